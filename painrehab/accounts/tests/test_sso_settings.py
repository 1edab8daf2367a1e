"""settings.py turns single sign-on and e-ID on from the environment only
(read in a fresh interpreter, as a server starts)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
READ = """
import json, importlib
s = importlib.import_module("painrehab.settings")
print(json.dumps({
    "sso": s.OIDC_ENABLED,
    "eid": s.EID_ENABLED,
    "backends": s.AUTHENTICATION_BACKENDS,
    "form_action": s.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
    "hsa_claim": getattr(s, "OIDC_HSA_CLAIM", None),
    "algorithm": getattr(s, "OIDC_RP_SIGN_ALGO", None),
    "create_user": getattr(s, "OIDC_CREATE_USER", None),
    "pkce": getattr(s, "OIDC_USE_PKCE", None),
    "pnr_claim": getattr(s, "EID_PERSONNUMMER_CLAIM", None),
}))
"""
IDP = "https://idp.region.example"
SSO = {
    "PAINREHAB_OIDC_CLIENT_ID": "painrehab",
    "PAINREHAB_OIDC_CLIENT_SECRET": "s",
    "PAINREHAB_OIDC_ISSUER": f"{IDP}/oidc",
    "PAINREHAB_OIDC_AUTHORIZATION_ENDPOINT": f"{IDP}/authorize",
    "PAINREHAB_OIDC_TOKEN_ENDPOINT": f"{IDP}/token",
    "PAINREHAB_OIDC_JWKS_ENDPOINT": f"{IDP}/jwks",
    "PAINREHAB_OIDC_END_SESSION_ENDPOINT": f"{IDP}/logout",
    "PAINREHAB_OIDC_HSA_CLAIM": "https://id.oidc.se/claim/hsaId",
}
BROKER = "https://eid.broker.example"
EID = {
    "PAINREHAB_EID_CLIENT_ID": "painrehab",
    "PAINREHAB_EID_CLIENT_SECRET": "s",
    "PAINREHAB_EID_ISSUER": BROKER,
    "PAINREHAB_EID_AUTHORIZATION_ENDPOINT": f"{BROKER}/authorize",
    "PAINREHAB_EID_TOKEN_ENDPOINT": f"{BROKER}/token",
    "PAINREHAB_EID_JWKS_ENDPOINT": f"{BROKER}/jwks",
}


def _settings_with(extra: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PAINREHAB_OIDC_", "PAINREHAB_EID_"))
    }
    return subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**environment, **extra},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_the_variables_both_are_off():
    read = json.loads(_settings_with({}).stdout)
    assert (read["sso"], read["eid"]) == (False, False)
    assert "painrehab.accounts.sso.StaffOidcBackend" not in read["backends"]
    assert read["form_action"] == ["'self'"]


def test_the_variables_turn_both_on():
    read = json.loads(_settings_with(SSO | EID).stdout)
    assert (read["sso"], read["eid"]) == (True, True)
    assert read["backends"][-1] == "painrehab.accounts.sso.StaffOidcBackend"
    assert read["hsa_claim"] == "https://id.oidc.se/claim/hsaId"
    assert (read["algorithm"], read["create_user"], read["pkce"]) == (
        "RS256",
        False,
        True,
    )
    assert read["pnr_claim"] == "https://id.oidc.se/claim/personalIdentityNumber"
    assert read["form_action"] == ["'self'", IDP, BROKER]


@pytest.mark.parametrize(
    "missing", ["PAINREHAB_OIDC_ISSUER", "PAINREHAB_OIDC_JWKS_ENDPOINT"]
)
def test_a_client_id_without_the_provider_stops_the_start(missing):
    started = _settings_with({k: v for k, v in SSO.items() if k != missing})
    assert started.returncode != 0
    assert f"Set the environment variable {missing}" in started.stderr
