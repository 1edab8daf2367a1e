"""The patient link: the token, the short code, and the second factors.

The token (`secrets.token_urlsafe(32)`, 256 bits) and the short code printed on
the letter are shown once, when the package is sent, and stored only as
hashes. The token hash is a plain SHA-256 (the token is too long to guess);
the short code is short, so its hash is an HMAC keyed with the secret key and
an offline guess needs the key too.

A second factor is a small object with a key, a form field and `verify`.
The unit chooses which one a link asks for (`FormSettings.second_factor`);
the birth date is the default and weak (it is half the personnummer), the
short code is stronger, and e-ID (BankID or Freja through an OpenID Connect
broker, `questionnaires/eid.py`) is the strongest. A factor that is proved
elsewhere (`leaves_the_page`) has no field to type in: the link page sends
the patient to the broker, and what comes back is checked by `verify`.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from painrehab.questionnaires.models import QuestionnaireRequest, SecondFactor

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
CODE_LENGTH = 10  # 50 bits; guessing is also rate-limited per address


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_short_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def hash_code(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    message = b"questionnaire-code:" + normalise_code(code).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def parse_birth_date(text: str) -> date | None:
    """A birth date typed as ÅÅÅÅMMDD or ÅÅÅÅ-MM-DD; None if it is not one."""
    digits = re.sub(r"[\s\-]", "", text)
    if not re.fullmatch(r"\d{8}", digits):
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


class BirthDateField(forms.CharField):
    default_error_messages = {
        "invalid": _("That is not a date. Write it as YYYYMMDD, for example 19640312."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Your date of birth"))
        kwargs.setdefault("help_text", _("As YYYYMMDD, for example 19640312."))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "bday",
                    "placeholder": "ÅÅÅÅMMDD",
                }
            ),
        )
        super().__init__(max_length=10, **kwargs)

    def clean(self, value: Any) -> date:
        text = super().clean(value)
        parsed = parse_birth_date(text)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class ShortCodeField(forms.CharField):
    default_error_messages = {
        "invalid": _("The code has ten letters and digits, for example ABCDE-23456."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Code from the letter"))
        kwargs.setdefault("help_text", _("Ten letters and digits, as on the letter."))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "autocapitalize": "characters",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(max_length=20, **kwargs)

    def clean(self, value: Any) -> str:
        text = normalise_code(super().clean(value))
        if len(text) != CODE_LENGTH:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return text


class Factor(Protocol):
    """What the link page needs of a second factor."""

    @property
    def key(self) -> str: ...

    @property
    def leaves_the_page(self) -> bool: ...

    def field(self) -> forms.Field: ...

    def verify(self, request: QuestionnaireRequest, value: Any) -> bool: ...


@dataclass(frozen=True)
class BirthDateFactor:
    key: str = SecondFactor.BIRTH_DATE
    leaves_the_page: bool = False

    def field(self) -> forms.Field:
        return BirthDateField()

    def verify(self, request: QuestionnaireRequest, value: Any) -> bool:
        if not isinstance(value, date):
            return False
        return request.episode.patient.birth_date == value


@dataclass(frozen=True)
class ShortCodeFactor:
    key: str = SecondFactor.SHORT_CODE
    leaves_the_page: bool = False

    def field(self) -> forms.Field:
        return ShortCodeField()

    def verify(self, request: QuestionnaireRequest, value: Any) -> bool:
        if not isinstance(value, str):
            return False
        return hmac.compare_digest(request.code_hash, hash_code(value))


@dataclass(frozen=True)
class EidIdentity:
    """A personnummer proved by the e-ID broker's signed id_token. Only
    `questionnaires.eid` makes one, so nothing typed into a form can pass
    for it."""

    personnummer: str  # 12 digits


@dataclass(frozen=True)
class EidFactor:
    key: str = SecondFactor.EID
    leaves_the_page: bool = True

    def field(self) -> forms.Field:
        return forms.CharField(required=False, widget=forms.HiddenInput)

    def verify(self, request: QuestionnaireRequest, value: Any) -> bool:
        if not isinstance(value, EidIdentity):
            return False
        return hmac.compare_digest(
            value.personnummer, request.episode.patient.personnummer
        )


FACTORS: dict[str, Factor] = {
    SecondFactor.BIRTH_DATE: BirthDateFactor(),
    SecondFactor.SHORT_CODE: ShortCodeFactor(),
    SecondFactor.EID: EidFactor(),
}


def factor_for(request: QuestionnaireRequest) -> Factor:
    return FACTORS[request.second_factor]


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (error correction M), for the letter."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True, nl=False
    )
    return out.getvalue().decode()
