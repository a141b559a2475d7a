"""What tests share: factories, form helpers, fixtures of URLs and surfaces, checkers."""
