"""Read a rendered HTML form back into POST data, as a browser would submit it."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: list[tuple[str, str]] = []
        self._select = None
        self._select_chosen = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
                return
            self.data.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._select_chosen = []
        elif tag == "option" and self._select is not None:
            self._option = attrs
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        if tag == "option" and self._option is not None:
            if "selected" in self._option:
                self._select_chosen.append(self._option.get("value", ""))
            self._option = None
        if tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = self._select_chosen or ([] if multiple else [""])
            self.data.extend((name, value) for value in chosen)
            self._select = None
        if tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.data.append((name, value.removeprefix("\n")))
            self._textarea = None


def form_data(response, form_id=None) -> dict:
    """The named form's fields as a dict; multi-valued fields become lists."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    result: dict = {}
    for name, value in parser.data:
        if name in result:
            existing = result[name]
            result[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            result[name] = value
    return result
