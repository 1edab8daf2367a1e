"""The provider's claims: each seeded user's HSA-id or personnummer.

A seeded user may also `misbehave`, so that the tests can prove the
application refuses what a broken or hostile provider signs: an id_token for
another audience, or one that has already expired.
"""

import json
import os
import time
from pathlib import Path
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

SEED = json.loads(Path(os.environ["OIDC_PROVIDER_SEED"]).read_text())
USERS = {user["username"]: user for user in SEED["users"]}


class TestValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below goes out with the openid scope

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return dict(USERS[request.user.username].get("claims", {}))

    def get_id_token_dictionary(
        self, token: Any, token_handler: Any, request: Any
    ) -> tuple[dict[str, Any], Any]:
        claims, expiration = super().get_id_token_dictionary(
            token, token_handler, request
        )
        misbehave = USERS[request.user.username].get("misbehave", "")
        if misbehave == "wrong_audience":
            claims["aud"] = "another-client"
        if misbehave == "expired":
            claims["iat"] = int(time.time()) - 7200
            claims["exp"] = int(time.time()) - 3600
        return claims, expiration
