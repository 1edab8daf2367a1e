"""A real SMTP server (aiosmtpd) and a local stand-in for the SMS
provider's HTTP API, both on 127.0.0.1, started per test."""

import base64
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode())
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings) -> Iterator[_Collect]:  # noqa: ANN001
    handler = _Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    try:
        yield handler
    finally:
        controller.stop()


class SmsProvider:
    """What the provider received, and what it answers next."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.answer_status = 200
        self.delay = 0.0
        self.lock = threading.Lock()


@pytest.fixture
def sms_provider(settings) -> Iterator[SmsProvider]:  # noqa: ANN001
    provider = SmsProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            expected = base64.b64encode(b"elks-user:elks-secret").decode()
            if self.headers.get("Authorization") != f"Basic {expected}":
                self.send_response(401)
                self.end_headers()
                return
            length = int(self.headers["Content-Length"])
            fields = {
                k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()
            }
            if provider.delay:
                threading.Event().wait(provider.delay)
            status = provider.answer_status
            if status == 200:
                with provider.lock:
                    provider.received.append(fields)
                    number = len(provider.received)
            body = (
                json.dumps({"id": f"s{number}", "status": "created"})
                if status == 200
                else "{}"
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PAINREHAB_OUTBOX_CHANNELS = {
        **settings.PAINREHAB_OUTBOX_CHANNELS,
        "sms": "painrehab.outbox.channels.ElksSms",
    }
    settings.PAINREHAB_SMS = {
        "URL": f"http://127.0.0.1:{server.server_address[1]}",
        "USER": "elks-user",
        "PASSWORD": "elks-secret",
        "SENDER": "Smartrehab",
        "TIMEOUT": 5,
    }
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
