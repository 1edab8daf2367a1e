"""e-ID for the patient link: OpenID Connect to an e-ID broker (BankID and
Freja eID are reached that way), as the second factor `SecondFactor.EID`.

The link page starts the round trip (`begin`): state, nonce and a PKCE
verifier are kept in the patient's session with the request it is for, and
the patient is sent to the broker. The broker's answer comes back to a URL
without the token (`finish`): the state must match, the code is exchanged,
the id_token is checked by `core.oidc.verify_id_token`, and the
personnummer claim becomes an `EidIdentity` that `links.EidFactor` compares
with the link's patient. Configured only by PAINREHAB_EID_* (settings.py).
"""

import secrets
from collections.abc import Mapping
from typing import Any

import requests
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext_lazy as _

from painrehab.audit.services import Action, record
from painrehab.core import oidc
from painrehab.core.personnummer import PersonnummerError, parse_personnummer
from painrehab.core.refusals import Refused
from painrehab.questionnaires.links import EidIdentity
from painrehab.questionnaires.models import QuestionnaireRequest
from painrehab.questionnaires.services import PATIENT_BY_LINK

SESSION_KEY = "questionnaire_eid"


class EidRefused(Refused):
    """The round trip failed; `reason` is for the audit log only (never shown)."""

    message = _("The identification did not go through")

    def __init__(self, reason: str, found: QuestionnaireRequest | None = None) -> None:
        super().__init__(reason=reason)
        self.found = found


def is_available() -> bool:
    return bool(getattr(settings, "EID_ENABLED", False))


def begin(
    *, session: SessionBase, found: QuestionnaireRequest, redirect_uri: str
) -> str:
    """The broker's URL for proving who the patient is; remembers the
    round trip in `session`, for this request only (a new one replaces it)."""
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier, challenge = oidc.new_pkce_pair()
    session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "id": found.pk,
        "link": found.token_hash,
    }
    return oidc.authorization_url(
        settings.EID_AUTHORIZATION_ENDPOINT,
        response_type="code",
        client_id=settings.EID_CLIENT_ID,
        redirect_uri=redirect_uri,
        scope=settings.EID_SCOPES,
        state=state,
        nonce=nonce,
        code_challenge=challenge,
        code_challenge_method="S256",
        prompt="login",  # always a fresh e-ID, never a broker session left open
    )


def finish(
    *, session: SessionBase, params: Mapping[str, str], redirect_uri: str
) -> tuple[QuestionnaireRequest, EidIdentity]:
    """The request the round trip was for and the personnummer the broker
    proved; EidRefused when anything does not hold. The round trip is used
    up either way (a replayed answer finds no state)."""
    pending = session.pop(SESSION_KEY, None)
    if not pending or not secrets.compare_digest(
        str(params.get("state", "")), pending["state"]
    ):
        raise EidRefused("state does not match")
    found = (
        QuestionnaireRequest.objects.select_related("episode__patient")
        .filter(pk=pending["id"], token_hash=pending["link"])
        .first()
    )
    if found is None:
        raise EidRefused("the link is no longer there")
    if params.get("error") or not params.get("code"):
        raise EidRefused(
            f"broker answered {params.get('error', 'no code')}"[:80], found
        )
    try:
        tokens = oidc.exchange_code(
            token_endpoint=settings.EID_TOKEN_ENDPOINT,
            client_id=settings.EID_CLIENT_ID,
            client_secret=settings.EID_CLIENT_SECRET,
            code=params["code"],
            redirect_uri=redirect_uri,
            code_verifier=pending["verifier"],
        )
        claims = oidc.verify_id_token(
            str(tokens.get("id_token", "")),
            jwks=oidc.fetch_json(settings.EID_JWKS_ENDPOINT),
            issuer=settings.EID_ISSUER,
            audience=settings.EID_CLIENT_ID,
            nonce=pending["nonce"],
        )
    except oidc.IdTokenRefused as refusal:
        raise EidRefused(f"id_token: {refusal.reason}", found) from refusal
    except (requests.RequestException, ValueError) as error:
        raise EidRefused(f"broker: {type(error).__name__}", found) from error
    return found, EidIdentity(
        personnummer_from(claims, claim=settings.EID_PERSONNUMMER_CLAIM, found=found)
    )


def personnummer_from(
    claims: dict[str, Any], *, claim: str, found: QuestionnaireRequest | None = None
) -> str:
    """The 12-digit personnummer in `claims[claim]`; EidRefused if it is not one."""
    try:
        return parse_personnummer(str(claims.get(claim) or "")).number
    except PersonnummerError as error:
        raise EidRefused("no valid personnummer in the id_token", found) from error


def record_refusal(*, found: QuestionnaireRequest | None, reason: str) -> None:
    """Audit a refused e-ID. A person who proved to be someone else is named
    nowhere; the link's patient is, so their log shows the attempt."""
    record(
        by=PATIENT_BY_LINK,
        unit=found.unit_id if found else None,
        action=Action.REFUSED,
        patients=[found.episode.patient_id] if found else [],
        obj=found,
        what=f"e-ID refused: {reason}",
    )
