"""Refusals: the one base of every action the rules refuse, and its text.

A service raises a subclass of `Refused` (`TransitionRefused`,
`PatientRefused`, `ProgrammeRefused`, …) with a `message` for the user, a
translated string (Swedish in the UI); `field`, when given, names the form
field the message belongs to; `reason`, when given, says what happened in
English for the audit log and is never shown. A view catches `Refused` (or the
subclass it expects) and shows `message` beside what was typed.

A missing permission is refused by `accounts.access.require`, with the
refusal the service names.
"""

from django_stubs_ext import StrOrPromise


class Refused(Exception):  # noqa: N818 - reads as the situation it names
    """An action the rules do not allow; `message` says why, in the user's language."""

    message: StrOrPromise = ""

    def __init__(
        self,
        message: StrOrPromise | None = None,
        field: str | None = None,
        *,
        reason: str = "",
    ) -> None:
        if message is not None:
            self.message = message
        super().__init__(reason or str(self.message))
        self.field = field
        self.reason = reason


def refusal_text(refusal: Exception) -> str:
    """The refusal's user-facing message (Swedish when the UI is Swedish)."""
    return str(getattr(refusal, "message", refusal))
