"""The one function that moves a care episode, and the refusal to change a closed one."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.core.history import StaleEdit
from painrehab.pathway import hooks
from painrehab.pathway.models import Episode, EpisodeTransition
from painrehab.pathway.states import (
    DischargeReason,
    Requirement,
    State,
    TransitionRefused,
    check_transition,
)

# The states whose episodes have due follow-up rows (`FollowUpDue`).
FOLLOW_UP_ROWS = frozenset({State.FOLLOW_UP, State.DISCHARGED})


def move_episode(
    *,
    episode: Episode,
    to: State,
    by: Membership,
    note: str = "",
    discharge_reason: str = "",
    now: datetime | None = None,
) -> EpisodeTransition:
    """Move `episode` to `to` if the state table allows it for `by`.

    Checks the table (state, permission, requirements), then changes the state
    with a compare-and-set on the version, so two people moving the same
    episode at once cannot both succeed. Writes the event and the audit row in
    the same transaction. Raises TransitionRefused with the reason.
    """
    now = now or timezone.now()
    if by.unit_id != episode.unit_id:
        raise TransitionRefused(_("This episode belongs to another unit."))
    supplied = set()
    if note.strip():
        supplied.add(Requirement.NOTE)
    if discharge_reason:
        if discharge_reason not in DischargeReason.values:
            raise TransitionRefused(_("Unknown discharge reason."))
        supplied.add(Requirement.DISCHARGE_REASON)
    check_transition(
        source=State(episode.state),
        target=to,
        granted=by.permissions,
        supplied=frozenset(supplied),
    )
    closing = to == State.DISCHARGED
    closed_on: date | None = timezone.localdate(now) if closing else None
    with transaction.atomic():
        changed = Episode.objects.filter(
            pk=episode.pk, state=episode.state, version=episode.version
        ).update(
            state=to,
            state_since=now,
            version=episode.version + 1,
            closed_on=closed_on,
            discharge_reason=discharge_reason if closing else "",
        )
        if changed != 1:
            raise TransitionRefused(StaleEdit.message)
        event = EpisodeTransition.objects.create(
            episode=episode,
            from_state=episode.state,
            to_state=to,
            at=now,
            by=by.user,
            note=note,
        )
        record(
            by=by.user,
            unit=episode.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=episode,
            what=f"state {episode.state} -> {to}",
        )
        if closing:
            hooks.closing(by=by, episode=episode)  # e.g. questionnaire requests
        if {episode.state, to} & FOLLOW_UP_ROWS:  # what is due follows the state
            from painrehab.pathway.services.follow_ups_due import (  # noqa: PLC0415
                refresh_follow_ups_due,
            )

            refresh_follow_ups_due([episode.pk])
    episode.state = to
    episode.state_since = now
    episode.version += 1
    episode.closed_on = closed_on
    episode.discharge_reason = discharge_reason if closing else ""
    return event


def ensure_open(episode: Episode) -> None:
    """Refuse changes to a closed episode's clinical record."""
    if not episode.is_open:
        raise TransitionRefused(
            _(
                "The episode is closed and can no longer be changed. A new referral opens a new episode."
            )
        )
