"""What residents use: the one FilterSet, search, the selectors every public list reads,
the public pages (map, list, type pages, listing pages, embed), structured data for
search engines and the sitemaps."""
