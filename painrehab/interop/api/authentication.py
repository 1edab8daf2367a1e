"""`Authorization: Token …` or `Bearer …` for integration users."""

from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from painrehab.interop.models import IntegrationToken, hash_token

KEYWORDS = {"token", "bearer"}


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    """Finds the token by its hash; the request then acts as the token's membership."""

    def authenticate(self, request: Request) -> tuple[Any, IntegrationToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed token header.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        token = (
            IntegrationToken.objects.filter(
                token_hash=hash_token(raw), revoked_at__isnull=True
            )
            .select_related("membership__user", "membership__unit")
            .first()
        )
        if (
            token is None
            or not token.membership.user.is_active
            or not token.membership.is_valid_on(timezone.localdate())
        ):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return token.membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "integrationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}
