"""Keeps patient-link tokens and personnummer out of log output."""

import logging
import re

# Patient-link tokens appear in paths as /f/<token>/; personnummer as 10 or 12 digits.
_TOKEN_IN_PATH = re.compile(r"(/f/)[A-Za-z0-9_\-]{8,}")
# A staff member's set-password link: /konto/satt-losenord/<uid>/<token>/.
_PASSWORD_LINK = re.compile(r"(/konto/satt-losenord/)[A-Za-z0-9_\-]+/[A-Za-z0-9_\-]+")
_PERSONNUMMER = re.compile(r"\b(\d{6}|\d{8})[-+]?\d{4}\b")
# OpenID Connect answers carry a one-time code and the login's state in the query.
_OIDC_PARAMETER = re.compile(r"([?&](?:code|state|id_token_hint)=)[^&\s\"]+")


def scrub(text: str) -> str:
    text = _TOKEN_IN_PATH.sub(r"\1[token]", text)
    text = _PASSWORD_LINK.sub(r"\1[token]", text)
    text = _OIDC_PARAMETER.sub(r"\1[secret]", text)
    return _PERSONNUMMER.sub("[personnummer]", text)


class ScrubSecretsFilter(logging.Filter):
    """Rewrites each record's message with tokens and personnummer removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True


def scrub_handlers(loggers: list[logging.Logger]) -> None:
    """Put the scrub filter on every handler of `loggers` (once); called by
    gunicorn.conf.py for gunicorn's access and error logs."""
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, ScrubSecretsFilter) for f in handler.filters):
                handler.addFilter(ScrubSecretsFilter())
