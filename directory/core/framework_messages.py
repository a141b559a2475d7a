"""Messages of Django itself that the public reads (form errors on the suggestion
forms), listed so that `make messages` copies them into our catalogues.

Django ships them for Spanish, Chinese, Vietnamese, Korean and French, but not for
Amharic; a message in locale/ wins over Django's own, so each shipped language's
catalogue carries all of them, reviewed with the rest. Nothing here runs: these are
only the msgids, exactly as Django writes them.
"""

from django.utils.translation import gettext_noop, ngettext

FORM_ERRORS = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
)


def _plural_messages(count: int) -> list[str]:
    return [
        ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            count,
        ),
    ]
