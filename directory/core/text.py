"""Text that people type: plain text only, everywhere it is accepted.

No HTML tags, no control characters, and at most a few web addresses in free text.
Public forms, the admin and imports all use these validators.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# A "<" directly followed by a letter, "/", "!" or "?" starts a tag in HTML; "a < b"
# and "<3" do not, so they stay allowed.
_HTML_TAG = re.compile(r"<[a-zA-Z!?/]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def validate_plain_text(value: str) -> None:
    """No HTML tags and no control characters, in any text field."""
    if _HTML_TAG.search(value or ""):
        raise ValidationError(
            gettext_lazy(
                "Please write plain text, without HTML tags such as <b> or <a>. "
                "Remove the angle brackets < >."
            ),
            code="html",
        )
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError(
            gettext_lazy("This contains characters that are not text. Please retype it."),
            code="control_characters",
        )


def validate_few_links(value: str) -> None:
    """At most CONTRIBUTION_MAX_LINKS web addresses in a free-text field."""
    limit = settings.CONTRIBUTION_MAX_LINKS
    count = len(_LINK.findall(value or ""))
    if count > limit:
        raise ValidationError(
            gettext_lazy(
                "Please include at most %(limit)d web addresses here (this has %(count)d)."
            ),
            code="too_many_links",
            params={"limit": limit, "count": count},
        )
