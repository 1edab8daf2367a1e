"""Creating integration tokens: the raw token is returned once and never stored."""

import secrets

from django.db import transaction

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.interop.models import IntegrationToken, hash_token

TOKEN_BYTES = 32  # 256 bits


@transaction.atomic
def create_token(
    *, membership: Membership, label: str = ""
) -> tuple[str, IntegrationToken]:
    """A new token for `membership`; the grant is an audited access change."""
    raw = "pr_" + secrets.token_urlsafe(TOKEN_BYTES)
    token = IntegrationToken.objects.create(
        membership=membership, label=label, token_hash=hash_token(raw)
    )
    record(
        by=None,
        unit=membership.unit_id,
        action=Action.ACCESS_CHANGE,
        obj=token,
        what=f"API token created for {membership.user.get_username()}",
    )
    return raw, token
