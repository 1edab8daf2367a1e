"""Staff passwords: the project's own rule of the policy, and the pages where
staff change their own password or set one through a link from their unit
administrator. Both pages are Django's, audited."""

import unicodedata
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from painrehab.accounts.models import User
from painrehab.accounts.permissions import Profession
from painrehab.accounts.team import link_days, record_password_set
from painrehab.accounts.team_audit import TeamEvent

# Words a colleague would guess first: the professions and roles in Swedish
# and English, the kind of clinic, and the system's own name.
GUESSABLE_WORDS = frozenset(
    {
        "lakare",
        "doktor",
        "psykolog",
        "fysioterapeut",
        "sjukgymnast",
        "arbetsterapeut",
        "kurator",
        "koordinator",
        "sjukskoterska",
        "rehabkoordinator",
        "idrottsledare",
        "sekreterare",
        "administrator",
        "admin",
        "personal",
        "smarta",
        "smartrehab",
        "rehab",
        "mottagning",
        "vardcentral",
        "painrehab",
        "losenord",
        "password",
        *(p.value.replace("_", "") for p in Profession),
    }
)


def _fold(text: str) -> str:
    """Lower case without accents, spaces or punctuation: Läkare-1 → lakare1."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c))


def _unit_words(user: object) -> set[str]:
    if not isinstance(user, User) or user.pk is None:
        return set()
    from painrehab.accounts.models import Membership

    names = Membership.all_periods.filter(user=user).values_list(
        "unit__name", flat=True
    )
    words = set()
    for name in names:
        words.add(_fold(name))
        words.update(_fold(part) for part in name.split() if len(part) >= 4)
    return words


def is_guessable(password: str, *, words: frozenset[str] | set[str]) -> bool:
    """True for a password that is one guessable word followed (or preceded)
    by nothing but digits and repeated characters, or is only those: e.g.
    `lakare123456`, `Psykolog!!!!!2024`, `aaaaaaaaaaaa`, `111111222222`."""
    folded = _fold(password) or password
    if _only_digits_and_repeats(password):
        return True
    for word in words:
        if not word or word not in folded:
            continue
        rest = folded.replace(word, "", 1)
        if not rest or _only_digits_and_repeats(rest):
            return True
    return False


def _only_digits_and_repeats(text: str) -> bool:
    """Digits and runs of one repeated character (two or more), nothing else."""
    runs = [list(run) for _char, run in groupby(text)]
    return bool(runs) and all(run[0].isdigit() or len(run) >= 2 for run in runs)


class GuessableWordValidator:
    """Refuses a profession or role word, the unit's name or the system's name
    followed by digits and repeated characters, and passwords made only of
    digits and repeated characters (see the README of this app)."""

    def validate(self, password: str, user: object = None) -> None:
        if is_guessable(password, words=GUESSABLE_WORDS | _unit_words(user)):
            raise ValidationError(
                _(
                    "The password is a word colleagues would guess (a profession, "
                    "a role or the unit's name) or repeated characters, with "
                    "digits. Choose a few unrelated words instead."
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _(
            "It may not be a profession, a role or the unit's name with digits "
            "or repeated characters."
        )


class ChangeOwnPassword(auth_views.PasswordChangeView):
    """Django's own page for changing one's password, audited."""

    template_name = "accounts/password/change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        record_password_set(user=form.user, event=TeamEvent.PASSWORD_CHANGED)
        messages.success(self.request, _("Your password is changed."))
        return response


class SetPasswordByLink(auth_views.PasswordResetConfirmView):
    """The set-password link a unit administrator hands a staff member.

    Django keeps the token in the session after the first visit and
    redirects to a path without it; the token stops working once a password
    is set, and after PASSWORD_RESET_TIMEOUT."""

    template_name = "accounts/password/set.html"
    success_url = reverse_lazy("login")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "days": link_days()}

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        record_password_set(user=form.user, event=TeamEvent.PASSWORD_SET)
        messages.success(self.request, _("Your password is set. Log in with it."))
        return response
