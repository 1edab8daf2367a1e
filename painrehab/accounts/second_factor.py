"""The second factor of a password login: an authenticator app (TOTP) and
single-use recovery codes, both django-otp devices.

Each change of a staff member's second factor and each code tried is audited.
"""

import hashlib
import secrets
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts.lockout import note_failed_login
from painrehab.accounts.models import RecoveryCode, RecoveryCodeDevice, User
from painrehab.audit.services import Action, record

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def has_authenticator(user: User) -> bool:
    """Whether the user has a confirmed authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def second_factor_required(user: User) -> bool:
    """A password login asks for a code when the settings require it for
    everyone, or when the user has set up an authenticator of their own accord."""
    return settings.PAINREHAB_REQUIRE_2FA or has_authenticator(user)


def authenticator_to_confirm(user: User) -> TOTPDevice:
    """The user's authenticator being set up (unconfirmed), created on first
    call and kept until confirmed, so a reloaded page shows the same key."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    return device


def manual_key(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The authenticator's setup address as a QR code, an SVG data URI."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_code_digest(code: str) -> str:
    """Recovery codes are stored as this digest only. Each holds 60 random
    bits, so a fast unsalted hash is enough (as for API tokens)."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def issue_recovery_codes(*, user: User) -> list[str]:
    """Ten new recovery codes, to be shown once; every earlier code stops working."""
    # The device stays (a session verified by one of its codes stays valid);
    # its codes are replaced.
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes", "confirmed": True}
    )
    device.codes.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes
    )
    record(by=user, action=Action.ACCESS_CHANGE, what="new recovery codes")
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


@transaction.atomic
def confirm_authenticator(
    *, user: User, device: TOTPDevice, code: str
) -> list[str] | None:
    """Turn the authenticator on if `code` is right: any earlier one is
    removed and ten recovery codes are issued (returned, to be shown once).
    None if the code is wrong (audited; a try during login is counted by
    the caller, lockout.begin_attempt)."""
    if not device.verify_token(normalise_code(code)):
        note_failed_login(user.get_username(), user=user, what="wrong code at setup")
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(by=user, action=Action.ACCESS_CHANGE, what="authenticator app set up")
    return issue_recovery_codes(user=user)


@transaction.atomic
def verify_second_factor(*, user: User, code: str) -> Device | None:
    """The device that accepts `code`: the authenticator for six digits, else
    the recovery codes (a used recovery code is gone). Both outcomes are
    audited; the caller has counted the try (lockout.begin_attempt)."""
    code = normalise_code(code)
    if code.isdigit():
        devices: list[Device] = list(
            TOTPDevice.objects.devices_for_user(user).select_for_update()
        )
        how = "authenticator code"
    else:
        devices = list(
            RecoveryCodeDevice.objects.devices_for_user(user).select_for_update()
        )
        how = "recovery code"
    for device in devices:
        if device.verify_token(code):
            left = (
                f", {recovery_codes_left(user)} left"
                if isinstance(device, RecoveryCodeDevice)
                else ""
            )
            record(by=user, action=Action.LOGIN, what=f"second factor: {how}{left}")
            return device
    note_failed_login(user.get_username(), user=user, what=f"wrong {how}")
    return None


@transaction.atomic
def reset_second_factor(*, user: User, by: User, unit_id: int) -> None:
    """The unit administrator's reset: the staff member's authenticator and
    recovery codes are removed; the next password login asks them to set up
    a new one, and a session verified by the old one ends."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeDevice.objects.filter(user=user).delete()
    record(
        by=by,
        unit=unit_id,
        action=Action.ACCESS_CHANGE,
        obj=user,
        what=f"second factor reset for {user.get_username()}",
    )
