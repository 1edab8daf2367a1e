"""The weekly patient conference: the minutes written per patient."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.pathway.models import (
    Episode,
    PatientConferenceNote,
)
from painrehab.pathway.services.transitions import ensure_open
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.plan.services import _require


def write_conference_note(
    *, by: Membership, episode: Episode, week_of: date, text: str
) -> PatientConferenceNote:
    """Minutes for one patient at the weekly patient conference."""
    _require(by, Permission.HOLD_CONFERENCE)
    ensure_open(episode)
    if not text.strip():
        raise TransitionRefused(_("Write the minutes."))
    with transaction.atomic():
        note = PatientConferenceNote.objects.create(
            episode=episode, week_of=week_of, text=text, author=by.user
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=note,
            what="patient conference minutes",
        )
    return note
