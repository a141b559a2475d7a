"""The language switcher, hreflang alternates and the JavaScript catalogue's address,
for base.html (and error pages, which render without a request)."""

from django import template
from django.urls import reverse

from directory.browse import languages

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


@register.simple_tag
def javascript_catalog_url() -> str:
    return f"{reverse('javascript-catalog')}?v={languages.catalogue_version()}"
