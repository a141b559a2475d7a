"""A test URLconf: the site's URLs plus two tiny views, one marked like /embed/ will be."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.clickjacking import xframe_options_exempt

from solidarity.urls import urlpatterns as site_urlpatterns


@xframe_options_exempt
def frameable(request):
    return HttpResponse("<!doctype html><title>Embeddable</title><p>A map for partners.")


def not_frameable(request):
    return HttpResponse("<!doctype html><title>Ordinary</title><p>An ordinary page.")


urlpatterns = [
    path("test-embed/", frameable),
    path("test-ordinary/", not_frameable),
    *site_urlpatterns,
]
