"""The OpenAPI schema of the JSON API (drf-spectacular), behind the same login."""

from typing import Any

from drf_spectacular.views import SpectacularAPIView

from painrehab.interop.api.base import UnitScopedMixin


def only_api_endpoints(endpoints: list[Any], **kwargs: Any) -> list[Any]:
    """Spectacular preprocessing hook: document /api/ only, nothing else."""
    return [e for e in endpoints if e[0].startswith("/api/")]


class SchemaApi(UnitScopedMixin, SpectacularAPIView):
    """The schema names no patient, but it maps the API, so it asks for a login."""
