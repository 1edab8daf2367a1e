"""Runs the test OpenID provider until it is stopped.

    python -m tests.oidc_provider.serve DIRECTORY PORT [NOW]

DIRECTORY holds seed.json (users with their claims, clients; the tests'
seed from fixtures.py is written there when it has none); the provider
writes its SQLite file and a freshly generated RSA key there. NOW (an ISO
date-time) sets the provider's clock to the test run's, which scripts/test.sh
moves years ahead on the PostgreSQL pass. It serves once its key set answers.
"""

import json
import os
import secrets
import sys
from datetime import datetime
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _write_key(directory: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (directory / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _seed(seed: dict) -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    for user in seed["users"]:
        User.objects.create_user(username=user["username"], password=user["password"])
    for client in seed["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["client_secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            post_logout_redirect_uris=" ".join(client["post_logout_redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,
        )


def main() -> None:
    directory, port = Path(sys.argv[1]), int(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / "seed.json").exists():
        from tests.oidc_provider.fixtures import default_seed

        (directory / "seed.json").write_text(json.dumps(default_seed()))
    if len(sys.argv) > 3:
        import time_machine

        time_machine.travel(datetime.fromisoformat(sys.argv[3]), tick=True).start()
    _write_key(directory)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        OIDC_PROVIDER_DIR=str(directory),
        OIDC_PROVIDER_ISSUER=f"http://127.0.0.1:{port}/o",
        OIDC_PROVIDER_SECRET=secrets.token_hex(32),
        OIDC_PROVIDER_SEED=str(directory / "seed.json"),
    )
    import django
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0)
    _seed(json.loads((directory / "seed.json").read_text()))
    server = make_server(
        "127.0.0.1",
        port,
        get_wsgi_application(),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
