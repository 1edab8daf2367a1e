"""Staff single sign-on with OpenID Connect (SITHS through the region's
identity provider), on mozilla-django-oidc.

The user is found by the HSA-id in the claim the settings name
(`OIDC_HSA_CLAIM`) and never created here: an unknown HSA-id is refused, and
what a user may see still comes only from the memberships given in the
application. The id_token is checked by `core.oidc.verify_id_token`
(signature by the provider's published keys, issuer, audience, expiry,
nonce). Every login and every refusal is audited by the views.
"""

from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from painrehab.accounts.forms import ProviderAnswerForm
from painrehab.accounts.models import User
from painrehab.core import oidc
from painrehab.core.refusals import Refused

SSO_SESSION = "painrehab_sso"  # set in the session of a single sign-on login
REFUSAL = "painrehab_sso_refusal"  # request attribute: why a sign-on failed


class SsoRefused(Refused):
    """A sign-on the application refuses; `reason` goes to the audit log,
    `message` (Swedish) to the user."""

    message = _(
        "The log-in with the e-service card did not succeed. Try again, "
        "or log in with your user name and password."
    )

    def __init__(self, reason: str, message: StrOrPromise | None = None) -> None:
        super().__init__(message or None, reason=reason)


UNKNOWN_USER_MESSAGE = _(
    "Your e-service card is not linked to an account in this system. "
    "Ask your unit's administrator to create your account with your HSA-id."
)


def is_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def hsa_id_from(claims: dict[str, Any], *, claim: str) -> str:
    """The HSA-id in `claims`, or SsoRefused if there is none."""
    value = claims.get(claim)
    if not isinstance(value, str) or not value.strip():
        raise SsoRefused(f"no HSA-id in claim {claim}"[:120])
    return value.strip()


def user_for_hsa_id(hsa_id: str) -> User:
    """The active user with this HSA-id; SsoRefused when there is none."""
    user = User.objects.filter(hsa_id=hsa_id).first()
    if user is None:
        raise SsoRefused(f"no account has HSA-id {hsa_id}", UNKNOWN_USER_MESSAGE)
    if not user.is_active:
        raise SsoRefused(f"account of HSA-id {hsa_id} is inactive")
    return user


def refusal_of(request: HttpRequest) -> SsoRefused:
    """Why the sign-on of this request failed (the provider's own error or a
    broken round trip when no check of ours refused it)."""
    refusal = getattr(request, REFUSAL, None)
    if refusal is not None:
        return refusal
    answer = ProviderAnswerForm(request.GET)
    error = answer.cleaned_data["error"] if answer.is_valid() else ""
    if error:
        return SsoRefused(f"provider answered {error}"[:120])
    return SsoRefused("no valid answer from the provider")


class StaffOidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with our id_token checks and HSA-id matching."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        try:
            return super().authenticate(request, **kwargs)
        except oidc.IdTokenRefused as refusal:
            setattr(request, REFUSAL, SsoRefused(f"id_token: {refusal.reason}"))
        except SsoRefused as refusal:
            setattr(request, REFUSAL, refusal)
        except (requests.RequestException, ValueError) as error:
            setattr(request, REFUSAL, SsoRefused(f"provider: {type(error).__name__}"))
        return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        return oidc.verify_id_token(
            token,
            jwks=oidc.fetch_json(self.OIDC_OP_JWKS_ENDPOINT),
            issuer=settings.OIDC_ISSUER,
            audience=self.OIDC_RP_CLIENT_ID,
            nonce=kwargs.get("nonce") or "",
        )

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The id_token's claims, completed from userinfo when the provider
        has one (its `sub` must be the id_token's: OpenID Connect Core 5.3.2)."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = oidc.fetch_json(self.OIDC_OP_USER_ENDPOINT, bearer=access_token)
        if info.get("sub") != payload["sub"]:
            raise SsoRefused("userinfo is about another subject")
        return {**info, **payload}

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        return user_for_hsa_id(hsa_id_from(claims, claim=settings.OIDC_HSA_CLAIM))


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where to end the provider's session too, for a single sign-on session
    when the provider offers end_session; None otherwise. Call it before the
    local session ends (it reads the id_token kept there)."""
    endpoint = getattr(settings, "OIDC_OP_END_SESSION_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not (is_enabled() and endpoint and request.session.get(SSO_SESSION)):
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"
