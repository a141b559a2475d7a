"""Keeping listings fresh and organizers informed: verification emails and their
answer page, and the emails to organizers about new suggestions."""
