"""Locale formats Django does not ship (FORMAT_MODULE_PATH): Amharic. Every other
shipped language uses Django's own (django/conf/locale/<code>/formats.py)."""
