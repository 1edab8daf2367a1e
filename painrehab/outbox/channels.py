"""The ways a message leaves: e-mail, SMS, a digital mailbox; post goes by
the daily print batch (printing.py), not through a channel.

Each channel is one class with `send(message) -> Sent`; another SMS provider
or a mailbox operator is one more class named in the settings.
"""

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.module_loading import import_string

from painrehab.outbox.models import Channel, Message


@dataclass(frozen=True)
class Sent:
    provider_id: str = ""


class SendFailed(Exception):  # noqa: N818 - reads as the situation
    """The channel did not take the message. `permanent`: trying again will
    not help (a refused number, no operator configured)."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason[:300]
        self.permanent = permanent


class MessageChannel(Protocol):
    def send(self, message: Message) -> Sent: ...


class EmailChannel:
    """Through Django's e-mail framework to the region's SMTP relay
    (EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS … in the settings)."""

    def send(self, message: Message) -> Sent:
        email = EmailMessage(
            subject=message.subject,
            body=message.text,
            from_email=settings.PAINREHAB_OUTBOX_FROM_EMAIL,
            to=[message.recipient],
        )
        try:
            email.send(fail_silently=False)
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
            raise SendFailed(f"SMTP: {error}") from error
        return Sent()


class ElksSms:
    """46elks' HTTP API (POST /a1/sms, form fields from/to/message, basic
    auth, and `whendelivered`, the URL of the delivery report, when a
    callback secret is set); the URL is a setting, so tests point it at a
    local server."""

    def send(self, message: Message) -> Sent:
        config = settings.PAINREHAB_SMS
        fields = {
            "from": config["SENDER"],
            "to": message.recipient,
            "message": message.text,
        }
        if config.get("CALLBACK_SECRET"):
            # The provider calls back with the delivery report (services.
            # record_delivery_report); the secret in the path proves it is them.
            fields["whendelivered"] = settings.PAINREHAB_PUBLIC_URL.rstrip(
                "/"
            ) + reverse("outbox:sms_delivered", args=[config["CALLBACK_SECRET"]])
        body = urllib.parse.urlencode(fields).encode()
        credentials = base64.b64encode(
            f"{config['USER']}:{config['PASSWORD']}".encode()
        ).decode()
        request = urllib.request.Request(  # noqa: S310 - URL from settings
            config["URL"].rstrip("/") + "/a1/sms",
            data=body,
            headers={"Authorization": f"Basic {credentials}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=config["TIMEOUT"]) as answer:  # noqa: S310  # nosec B310
                reply = json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            # 4xx: the provider refused this message; 5xx: try again later.
            raise SendFailed(
                f"SMS: HTTP {error.code}", permanent=400 <= error.code < 500
            ) from error
        except (OSError, ValueError) as error:
            raise SendFailed(f"SMS: {error}") from error
        return Sent(provider_id=str(reply.get("id", ""))[:100])


class LocalSmsLog:
    """No provider: each SMS is a line in a log file on this machine (the
    demo and development; PAINREHAB_OUTBOX_SINK_DIR)."""

    def send(self, message: Message) -> Sent:
        folder = Path(settings.PAINREHAB_OUTBOX_SINK_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"to": message.recipient, "message": message.text}, ensure_ascii=False
        )
        with (folder / "sms.log").open("a", encoding="utf-8") as log:
            log.write(line + "\n")
        return Sent(provider_id=f"local-{message.pk}")


class NoMailboxOperator:
    """The digital mailbox interface with no operator behind it yet."""

    def send(self, message: Message) -> Sent:
        raise SendFailed("no digital mailbox operator is configured", permanent=True)


def channel(name: str) -> MessageChannel:
    """The configured implementation of an electronic channel."""
    return import_string(settings.PAINREHAB_OUTBOX_CHANNELS[name])()


ELECTRONIC = (Channel.EMAIL, Channel.SMS, Channel.MAILBOX)
