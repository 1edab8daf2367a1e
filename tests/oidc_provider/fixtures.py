"""Fixtures that start the test OpenID provider and point the application at it.

`oidc_provider` (session) runs serve.py in a second process on a free port of
127.0.0.1 with its own SQLite file and a new RSA key in a temporary
directory, and stops it after the run. `sso` and `eid` set the application's
settings for staff single sign-on and the patients' e-ID against it, the way
settings.py sets them from PAINREHAB_OIDC_* and PAINREHAB_EID_*.
`through_provider` signs a seeded user in at the provider (as a browser
would, with requests) and returns the URL the provider sends back to the app.
"""

import html
import json
import re
import socket
import subprocess  # nosec B404: starts the test provider only
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

import pytest
import requests

from painrehab.core.personnummer import tax_agency_test_number

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "provider-password-1"  # test provider users only
STAFF_CLIENT = ("painrehab-staff", "staff-client-secret-for-tests-only")
EID_CLIENT = ("painrehab-eid", "eid-client-secret-for-tests-only")
HSA_CLAIM = "hsa_id"
PERSONNUMMER_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"

# Synthetic people: HSA-ids of an invented issuer, personnummer on the Tax
# Agency's test-number scheme (the root conftest's patient A and patient B).
HSA_PHYSICIAN = "SE2321000016-T001"
HSA_WITHOUT_UNIT = "SE2321000016-T002"
HSA_UNKNOWN = "SE2321000016-T999"
PNR_PATIENT_A = tax_agency_test_number(born=date(1985, 1, 1), female=True)
PNR_SOMEONE_ELSE = tax_agency_test_number(born=date(1970, 6, 15), female=False)

USERS = [
    {"username": "siths-physician", "claims": {HSA_CLAIM: HSA_PHYSICIAN}},
    {"username": "siths-without-unit", "claims": {HSA_CLAIM: HSA_WITHOUT_UNIT}},
    {"username": "siths-unknown", "claims": {HSA_CLAIM: HSA_UNKNOWN}},
    {
        "username": "siths-wrong-audience",
        "claims": {HSA_CLAIM: HSA_PHYSICIAN},
        "misbehave": "wrong_audience",
    },
    {
        "username": "siths-expired",
        "claims": {HSA_CLAIM: HSA_PHYSICIAN},
        "misbehave": "expired",
    },
    {"username": "bankid-patient-a", "claims": {PERSONNUMMER_CLAIM: PNR_PATIENT_A}},
    {
        "username": "bankid-someone-else",
        "claims": {PERSONNUMMER_CLAIM: PNR_SOMEONE_ELSE},
    },
]
# Loopback redirect URIs match on any port (RFC 8252), which the live server
# needs; the test client's host is "testserver".
HOSTS = ["http://127.0.0.1", "http://testserver"]


@dataclass(frozen=True)
class Provider:
    url: str
    directory: Path

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def endpoint(self, name: str) -> str:
        return {
            "authorization": f"{self.issuer}/authorize/",
            "token": f"{self.issuer}/token/",
            "userinfo": f"{self.issuer}/userinfo/",
            "jwks": f"{self.issuer}/.well-known/jwks.json",
            "end_session": f"{self.issuer}/logout/",
        }[name]

    @property
    def private_key_pem(self) -> bytes:
        return (self.directory / "key.pem").read_bytes()


def default_seed() -> dict:
    def client(client_id: str, secret: str) -> dict:
        return {
            "client_id": client_id,
            "client_secret": secret,
            "redirect_uris": [
                f"{host}{path}"
                for host in HOSTS
                for path in ("/konto/siths/tillbaka/", "/f/e-leg/")
            ],
            "post_logout_redirect_uris": [f"{host}/konto/logga-in/" for host in HOSTS],
        }

    return {
        "users": [{**user, "password": PASSWORD} for user in USERS],
        "clients": [client(*STAFF_CLIENT), client(*EID_CLIENT)],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):  # noqa: ANN001, ANN201
    directory = tmp_path_factory.mktemp("oidc_provider")
    (directory / "seed.json").write_text(json.dumps(default_seed()))
    # A free port can be taken by another process before the provider binds
    # it (test runs side by side): then the provider stops, and is started
    # again on another port.
    for attempt in range(3):
        process, provider, log = _start(directory)
        try:
            _wait_until_serving(provider, process)
            break
        except RuntimeError:
            process.terminate()
            process.wait(timeout=10)
            log.close()
            if attempt == 2:
                raise
    try:
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _start(directory: Path) -> tuple[subprocess.Popen, Provider, IO[str]]:
    port = _free_port()
    log = (directory / "provider.log").open("w")
    process = subprocess.Popen(  # nosec B603: our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.serve",
            str(directory),
            str(port),
            datetime.now(UTC).isoformat(),  # the run's clock, moved or not
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, Provider(url=f"http://127.0.0.1:{port}", directory=directory), log


def _wait_until_serving(provider: Provider, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (provider.directory / "provider.log").read_text()
            raise RuntimeError(f"the test OpenID provider stopped:\n{log}")
        try:
            if requests.get(provider.endpoint("jwks"), timeout=5).ok:
                return
        except requests.RequestException:  # not listening yet, or slow to answer
            pass
        time.sleep(0.2)
    raise RuntimeError("the test OpenID provider did not start within 60 s")


@pytest.fixture
def sso(settings, oidc_provider):  # noqa: ANN001, ANN201
    """Staff single sign-on against the test provider (settings.py's OIDC block)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.endpoint("authorization")
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.endpoint("token")
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.endpoint("userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.endpoint("jwks")
    settings.OIDC_OP_END_SESSION_ENDPOINT = oidc_provider.endpoint("end_session")
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = STAFF_CLIENT
    settings.OIDC_RP_SCOPES = "openid profile"
    settings.OIDC_HSA_CLAIM = HSA_CLAIM
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_CREATE_USER = False
    settings.OIDC_STORE_ID_TOKEN = True
    settings.OIDC_TIMEOUT = 10
    settings.OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "painrehab.accounts.sso.StaffOidcBackend",
    ]
    _allow_form_target(settings, oidc_provider.url)
    return oidc_provider


@pytest.fixture
def eid(settings, oidc_provider):  # noqa: ANN001, ANN201
    """Patients' e-ID against the test provider (settings.py's EID block)."""
    settings.EID_ENABLED = True
    settings.EID_ISSUER = oidc_provider.issuer
    settings.EID_AUTHORIZATION_ENDPOINT = oidc_provider.endpoint("authorization")
    settings.EID_TOKEN_ENDPOINT = oidc_provider.endpoint("token")
    settings.EID_JWKS_ENDPOINT = oidc_provider.endpoint("jwks")
    settings.EID_CLIENT_ID, settings.EID_CLIENT_SECRET = EID_CLIENT
    settings.EID_SCOPES = "openid"
    settings.EID_PERSONNUMMER_CLAIM = PERSONNUMMER_CLAIM
    _allow_form_target(settings, oidc_provider.url)
    return oidc_provider


def _allow_form_target(settings, origin: str) -> None:  # noqa: ANN001
    policy = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    if origin not in policy["DIRECTIVES"]["form-action"]:
        policy["DIRECTIVES"]["form-action"].append(origin)
    settings.CONTENT_SECURITY_POLICY = policy


def through_provider(
    provider: Provider, url: str, username: str, session: requests.Session | None = None
) -> str:
    """Follow `url` (the app's redirect to the provider) as `username` would:
    sign in on the provider's login page when it shows, and return the URL
    the provider finally sends the browser to (the app's)."""
    session = session or requests.Session()
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "csrfmiddlewaretoken" in response.text:
            token = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text
            )
            assert token is not None
            response = session.post(
                response.url,
                data={
                    "csrfmiddlewaretoken": html.unescape(token.group(1)),
                    "username": username,
                    "password": PASSWORD,
                },
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in (301, 302), response.text[:500]
        url = urljoin(response.url, response.headers["Location"])
        if not url.startswith(provider.url):
            return url
    raise AssertionError("the provider kept redirecting")
