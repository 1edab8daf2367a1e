"""Views of no step: the site's icon at the address browsers ask for."""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """`/favicon.ico`: to the icon among the static files (an SVG)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
