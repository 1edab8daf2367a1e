"""Follow-up after rehabilitation: the schedule per track and its records (seed 1 §11)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrPromise

from painrehab.accounts.models import CareUnit, Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.windows import (
    FollowUp,
    Track,
    follow_up_schedule,
    krt_follow_up_reference,
)
from painrehab.pathway import hooks
from painrehab.pathway.models import Episode, FollowUpDue, FollowUpRecord, WorkStatus
from painrehab.pathway.services.transitions import ensure_open
from painrehab.pathway.states import State, TransitionRefused


def mark_follow_up_due(*, episode_id: int, item_key: str, outcome: str) -> None:
    """Record an item's outcome on its due row ("" takes the record back)."""
    FollowUpDue.objects.filter(episode_id=episode_id, item_key=item_key).update(
        outcome=outcome
    )


def track_for(*, unit_kind: str, plan_track: str | None) -> Track:
    """The follow-up track: KRT in primary care, else the plan's group or individual track."""
    if unit_kind == CareUnit.Kind.PRIMARY_CARE:
        return Track.KRT
    if plan_track == "individual":
        return Track.INDIVIDUAL
    return Track.GROUP_PROGRAMME


def track_of(episode: Episode) -> Track:
    plan = getattr(episode, "plan", None)
    return track_for(
        unit_kind=episode.unit.kind, plan_track=plan.track if plan else None
    )


def rehabilitation_ended_on(episode: Episode) -> date | None:
    """The day the episode entered follow-up (from its prefetched or stored events)."""
    ended = [t.at for t in episode.transitions.all() if t.to_state == State.FOLLOW_UP]
    return timezone.localdate(max(ended)) if ended else None


def follow_up_reference_on(episode: Episode, track: Track | None = None) -> date | None:
    """The date the episode's follow-ups count from: for KRT the end of its
    cohort's training month (else the day rehabilitation ended), for the other
    tracks the day rehabilitation ended. None until it is known."""
    ended = rehabilitation_ended_on(episode)
    if (track or track_of(episode)) != Track.KRT:
        return ended
    return krt_follow_up_reference(
        last_theory_session_on=hooks.last_theory_sessions([episode.pk]).get(episode.pk),
        rehabilitation_ended_on=ended,
    )


def schedule_for(episode: Episode) -> list[FollowUp]:
    """The episode's dated follow-ups; empty until their reference is known.

    KRT's are known once the cohort's theory sessions are scheduled: the
    1-month group follow-up falls on the day the training month ends, which
    may come before the programme is recorded as ended."""
    track = track_of(episode)
    reference = follow_up_reference_on(episode, track)
    if reference is None:
        return []
    return follow_up_schedule(ended_on=reference, track=track)


def item_of(episode: Episode, item_key: str) -> FollowUp | None:
    """The episode's follow-up item with this key, if its schedule has one."""
    return next((i for i in schedule_for(episode) if i.key == item_key), None)


def record_group_follow_up(
    *, by: Membership, episode: Episode, item_key: str, held_on: date, present: bool
) -> bool:
    """Record a group follow-up from the attendance at its session: present
    records it as done (held as a group meeting on the session's day); a
    change from present to absent takes back the record that attendance made.
    The caller checks that `by` may record attendance. Does nothing, and
    returns False, when the episode is closed, the item is not in its
    schedule, or it is already recorded otherwise; True when it changed."""
    if not episode.is_open or item_of(episode, item_key) is None:
        return False
    existing = FollowUpRecord.objects.filter(episode=episode, item_key=item_key)
    with transaction.atomic():
        if present:
            if existing.exists():
                return False
            saved = FollowUpRecord.objects.create(
                episode=episode,
                item_key=item_key,
                outcome=FollowUpRecord.Outcome.DONE,
                mode=FollowUpRecord.Mode.GROUP,
                held_on=held_on,
                recorded_by=by.user,
            )
            action, what = Action.CREATE, f"follow-up {item_key} from attendance"
        else:
            made = existing.filter(
                mode=FollowUpRecord.Mode.GROUP,
                held_on=held_on,
                outcome=FollowUpRecord.Outcome.DONE,
            ).first()
            if made is None:
                return False
            saved = made
            action, what = Action.UPDATE, f"follow-up {item_key} taken back: absent"
        record(
            by=by.user,
            unit=by.unit_id,
            action=action,
            patients=[episode.patient_id],
            obj=saved,
            what=what,
        )
        if not present:
            saved.delete()
        mark_follow_up_due(
            episode_id=episode.pk,
            item_key=item_key,
            outcome=saved.outcome if present else "",
        )
    return True


def record_work_status(
    *,
    by: Membership,
    episode: Episode,
    time_point: str,
    sick_leave_percent: int,
    recorded_on: date,
) -> WorkStatus:
    """Record (or correct) the sick-leave degree at one time point; one audit row."""
    if Permission.RECORD_FOLLOW_UP not in by.permissions:
        raise TransitionRefused(
            _("Your profession in this unit may not record follow-ups.")
        )
    if recorded_on > timezone.localdate():
        raise TransitionRefused(_("The date cannot be in the future."))
    ensure_open(episode)
    with transaction.atomic():
        status, created = WorkStatus.objects.update_or_create(
            episode=episode,
            time_point=time_point,
            defaults={
                "sick_leave_percent": sick_leave_percent,
                "recorded_on": recorded_on,
                "recorded_by": by.user,
            },
        )
        record(
            by=by.user,
            unit=episode.unit_id,
            action=Action.CREATE if created else Action.UPDATE,
            patients=[episode.patient_id],
            obj=status,
            what=f"sick leave {time_point}: {sick_leave_percent} %",
        )
    return status


def work_statuses(
    episode: Episode,
) -> list[tuple[str, StrPromise, int | None, WorkStatus | None]]:
    """Each time point with its recorded degree; before falls back to the
    referral. KRT's 3-month point is shown for KRT episodes (or when recorded)."""
    recorded = {w.time_point: w for w in episode.work_statuses.all()}
    referral = getattr(episode, "referral", None)
    rows = []
    for value, label in work_status_time_points(episode):
        saved = recorded.get(value)
        degree = saved.sick_leave_percent if saved else None
        if degree is None and value == WorkStatus.TimePoint.BEFORE and referral:
            degree = referral.sick_leave_degree
        rows.append((value, label, degree, saved))
    return rows


def work_status_time_points(episode: Episode) -> list[tuple[str, StrPromise]]:
    """The sick-leave time points of the episode's track, as choices."""
    krt = track_of(episode) == Track.KRT
    return [
        (value, label)
        for value, label in WorkStatus.TimePoint.choices
        if krt or value != WorkStatus.TimePoint.THREE_MONTHS
    ]
