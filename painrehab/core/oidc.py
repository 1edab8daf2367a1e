"""OpenID Connect, the parts the staff sign-on and the patient's e-ID share.

`verify_id_token` is the one check of an id_token: an RS256 signature by one
of the provider's published keys, the issuer, the audience (and `azp` when
there are several), the expiry and issue time against an explicit clock, and
the nonce of this login. mozilla-django-oidc checks the signature and the
nonce only (it turns the audience check off and never looks at the issuer),
so both sign-ins call this function instead. The rest are thin wrappers around
the provider's HTTP endpoints, each with a timeout.
"""

import base64
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.utils.translation import gettext_lazy as _

from painrehab.core.refusals import Refused

ALGORITHM = "RS256"
LEEWAY_SECONDS = 60  # clock difference tolerated between us and the provider
TIMEOUT_SECONDS = 10
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]


class IdTokenRefused(Refused):
    """The id_token fails a check; `reason` names it (for the audit log)."""

    message = _("The identification did not go through")

    def __init__(self, reason: str) -> None:
        super().__init__(reason=reason)


def verify_id_token(
    token: str,
    *,
    jwks: dict[str, Any],
    issuer: str,
    audience: str,
    nonce: str,
    now: float | None = None,
) -> dict[str, Any]:
    """The claims of `token` if every check passes, else IdTokenRefused.

    `jwks` is the provider's key set as published; `nonce` the one sent with
    this login (an empty one refuses every token). `now` is seconds since the
    epoch, the current time by default.
    """
    now = time.time() if now is None else now
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise IdTokenRefused("not a signed token") from error
    if header.get("alg") != ALGORITHM:
        raise IdTokenRefused("algorithm is not RS256")
    key = _signing_key(jwks, header.get("kid"))
    try:
        claims = jwt.decode(
            token,
            key=key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={
                "require": REQUIRED_CLAIMS,
                "verify_exp": False,  # checked below against `now`
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.InvalidSignatureError as error:
        raise IdTokenRefused("signature does not verify") from error
    except jwt.InvalidAudienceError as error:
        raise IdTokenRefused("wrong audience") from error
    except jwt.InvalidIssuerError as error:
        raise IdTokenRefused("wrong issuer") from error
    except jwt.MissingRequiredClaimError as error:
        raise IdTokenRefused(f"claim missing: {error.claim}") from error
    except jwt.InvalidTokenError as error:
        raise IdTokenRefused("not a valid token") from error
    _check_times(claims, now=now)
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != audience:
        raise IdTokenRefused("wrong authorised party")
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise IdTokenRefused("wrong nonce")
    return claims


def _check_times(claims: dict[str, Any], *, now: float) -> None:
    try:
        expires, issued = float(claims["exp"]), float(claims["iat"])
        not_before = float(claims.get("nbf", issued))
    except (TypeError, ValueError) as error:
        raise IdTokenRefused("times are not numbers") from error
    if expires <= now - LEEWAY_SECONDS:
        raise IdTokenRefused("expired")
    if issued > now + LEEWAY_SECONDS or not_before > now + LEEWAY_SECONDS:
        raise IdTokenRefused("issued in the future")


def _signing_key(jwks: dict[str, Any], kid: str | None) -> Any:
    """The provider's RSA key named `kid` (or its only RSA key when the token names none)."""
    keys = [
        k
        for k in jwks.get("keys", [])
        if k.get("kty") == "RSA"
        and k.get("use", "sig") == "sig"
        and k.get("alg", ALGORITHM) == ALGORITHM
    ]
    if kid is not None:
        keys = [k for k in keys if k.get("kid") == kid]
    if len(keys) != 1:
        raise IdTokenRefused("no matching key of the provider")
    try:
        return jwt.PyJWK(keys[0], algorithm=ALGORITHM).key
    except (jwt.PyJWKError, jwt.InvalidKeyError) as error:
        raise IdTokenRefused("the provider's key is unusable") from error


def fetch_json(url: str, *, bearer: str | None = None) -> dict[str, Any]:
    """GET `url` (the provider's keys or userinfo) as JSON; requests' errors pass on."""
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    response = requests.get(url, headers=headers, timeout=TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()


def exchange_code(
    *,
    token_endpoint: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    code_verifier: str,
) -> dict[str, Any]:
    """The token response for an authorisation code (client_secret_post, PKCE)."""
    response = requests.post(
        token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
            "code_verifier": code_verifier,
        },
        timeout=TIMEOUT_SECONDS,
    )
    response.raise_for_status()
    return response.json()


def new_pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def authorization_url(endpoint: str, **params: str) -> str:
    return f"{endpoint}?{urlencode(params)}"
