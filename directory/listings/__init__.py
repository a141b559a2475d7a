"""Listings and what is written about them: the public field schema, the privacy rule
for locations, the write services (one slug allocator, one publish rule, placing a
location from its ZIP code), the signals that keep derived columns current, the
organization admin with its edit-conflict guard, and the spreadsheet import."""
