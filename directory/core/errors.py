"""The one error for request parameters that cannot be used."""


class InvalidParameters(Exception):
    """The query string has parameters (filters, options) that cannot be applied. Each
    message says which parameter and what is allowed; views answer a 400 with them."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = list(messages)
