"""What the episode page shows beside the timeline."""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from painrehab.accounts.access import may
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.documents.models import Letter
from painrehab.pathway.models import (
    Booking,
    Episode,
    EpisodeTransition,
    NewVisitRecord,
    PatientConferenceNote,
)
from painrehab.pathway.selectors import running_wait, waiting_row
from painrehab.pathway.states import (
    State,
)
from painrehab.steps.investigation.rules import is_overdue, may_mark_held


def episode_overview(
    *, episode: Episode, membership: Membership, today: date
) -> dict[str, object]:
    """What the episode page shows beside the timeline: bookings, letters, pauses,
    new-visit records, the waiting clock and the actions the user may take."""

    step = running_wait(State(episode.state))
    episode = (
        Episode.objects.filter(pk=episode.pk)
        .select_related(
            "patient", "unit", "referral", "triage", "triage__decided_by", "discharge"
        )
        .prefetch_related(
            "pauses",
            Prefetch(
                "bookings",
                queryset=Booking.objects.select_related("staff", "second_staff"),
            ),
            Prefetch(
                "transitions",
                queryset=EpisodeTransition.objects.only("episode_id", "to_state", "at"),
            ),
            Prefetch(
                "new_visits",
                queryset=NewVisitRecord.objects.select_related("recorded_by"),
            ),
        )
        .get()
    )
    letters = (
        Letter.objects.filter(episode=episode)
        .select_related("created_by")
        .prefetch_related("dispatches")
    )
    return {
        "episode": episode,
        "clock": waiting_row(
            episode, step=step, today=today, absence_limit=episode.unit.absence_limit
        )
        if step
        else None,
        "bookings": list(episode.bookings.all()),
        "pauses": list(episode.pauses.all()),
        "new_visits": list(episode.new_visits.all()),
        "conference_notes": list(
            PatientConferenceNote.objects.filter(episode=episode)
            .select_related("author")
            .order_by("-week_of", "-pk")
        ),
        "letters": list(letters),
        "can": {
            "pause": episode.is_open
            and may(membership, Permission.MANAGE_WAITING_LIST),
            "completion": episode.state == State.REFERRAL_RECEIVED
            and may(membership, Permission.REGISTER_REFERRAL),
            "correct_referral": episode.state == State.REFERRAL_RECEIVED
            and may(membership, Permission.REGISTER_REFERRAL),
            "letters": may(membership, Permission.WRITE_LETTERS),
        },
        # The bookings' actions: invitation sent, interpreter, move, absence,
        # held; none once the episode has ended.
        "may_manage_waiting_list": may(membership, Permission.MANAGE_WAITING_LIST),
        "may_change_bookings": episode.is_open
        and may(membership, Permission.MANAGE_WAITING_LIST),
        # Visits that may be marked held, and booked visits whose day is past.
        "may_be_held": {
            b.pk
            for b in episode.bookings.all()
            if may_mark_held(
                kind=b.kind,
                status=b.status,
                visit_on=timezone.localdate(b.starts_at),
                today=today,
            )
        },
        "overdue": {
            b.pk
            for b in episode.bookings.all()
            if is_overdue(
                status=b.status, visit_on=timezone.localdate(b.starts_at), today=today
            )
        },
    }
