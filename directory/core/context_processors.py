from django.conf import settings


def site(request):
    """Site-wide values every template may show."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "DATA_LICENSE": settings.DATA_LICENSE,
        "DATA_LICENSE_URL": settings.DATA_LICENSE_URL,
    }
