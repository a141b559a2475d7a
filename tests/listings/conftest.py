import pytest


@pytest.fixture
def small_import_chunks(settings):
    """Import jobs in chunks of three rows, one chunk a request."""
    settings.IMPORT_CHUNK_ROWS = 3
    settings.IMPORT_STEP_SECONDS = 0
