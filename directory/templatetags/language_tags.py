"""The language switcher, hreflang alternates and the JavaScript catalogue's address,
for base.html (and error pages, which render without a request), and the mark of a
listing's text shown in English on a page in another language."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from directory.browse import languages
from directory.core import languages as core_languages
from directory.listings import translations

register = template.Library()


# Parameters that say where the visitor came from, not what the page is: left out of the
# hreflang alternates and the switcher's way back (a page never repeats them).
NOT_PAGE_PARAMETERS = ("from",)


def _full_path(context) -> str | None:
    """The page's path and query, without NOT_PAGE_PARAMETERS."""
    request = context.get("request")
    if request is None:
        return None
    query = request.GET.copy()
    for name in NOT_PAGE_PARAMETERS:
        query.pop(name, None)
    return request.path + (f"?{query.urlencode()}" if query else "")


@register.inclusion_tag("includes/language_alternates.html", takes_context=True)
def language_alternates(context):
    path = _full_path(context)
    return {"alternates": languages.alternates(path) if path else []}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    path = _full_path(context)
    if path is None or not languages.alternates(path):
        # An error page or a page with no other languages: the switch goes home.
        path = "/"
    return {"choices": languages.switcher_choices(path), "next": path}


@register.filter
def shown_in_english(instance, field: str) -> bool:
    """Whether the field's text on this page is the English original standing in for a
    missing translation: the element holding it then says lang="en", so a screen reader
    reads it with English pronunciation."""
    return translations.shown_in_original(instance, (field,))[field]


@register.simple_tag
def original_lang() -> str:
    """` lang="en"` on a page in another language, for text that exists only in the
    original (a listing's description, a location's label and hours, the site's name):
    a screen reader then reads it with English pronunciation."""
    if (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return ""
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')


@register.simple_tag
def data_url(name: str, *args) -> str:
    """The one address of a data endpoint (core.languages.DATA_URL_NAMES): a page in
    Spanish links the manifest at /manifest.webmanifest, never /es/manifest.webmanifest
    (a 404)."""
    return core_languages.data_url(name, *args)


@register.simple_tag
def javascript_catalog_url() -> str:
    return f"{reverse('javascript-catalog')}?v={languages.catalogue_version()}"
