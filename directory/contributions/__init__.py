"""The public suggests, organizers decide: the suggestion forms and their abuse checks,
proposals and their diff, submitting, approving and rejecting, duplicate detection and
merging, and the moderation admin."""
