"""Cohorts: creating them (one at a time or a year's plan), their participants,
and the start of the programme."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.closed_days import swedish_closed_days
from painrehab.pathway.models import Episode
from painrehab.pathway.services.follow_ups_due import refresh_follow_ups_due
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State, TransitionRefused
from painrehab.programmes.models import (
    Attendance,
    Cohort,
    CohortParticipant,
    ProgrammeTemplate,
    Session,
)
from painrehab.programmes.rules import (
    Capacity,
    CapacityCheck,
    PlannedProgramme,
    capacity_check,
    plan_year,
)
from painrehab.programmes.services import (
    NOT_PERMITTED,
    ProgrammeRefused,
    require_unit,
)

# Episodes whose decision is a group programme (seed 0 §7.3–7.4, §8).
WAITING_FOR_PROGRAMME = (State.PLANNING_MEETING, State.PREPARATION)


def default_cohort_name(template: ProgrammeTemplate, start: date) -> str:
    """ "<template>, week <ISO week> <year>": how Swedish clinics name a run."""
    year, week, _weekday = start.isocalendar()
    return _("%(template)s, week %(week)s %(year)s") % {
        "template": template.name,
        "week": week,
        "year": year,
    }


def create_cohort(
    *, by: Membership, template: ProgrammeTemplate, start: date, name: str = ""
) -> Cohort:
    """A new cohort of `template` from the Monday `start` to the last day of
    its last week; no sessions until it is scheduled."""
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, template.unit_id)
    if start.weekday() != 0:
        raise ProgrammeRefused(_("A programme starts on a Monday."))
    with transaction.atomic():
        cohort = Cohort.objects.create(
            unit_id=template.unit_id,
            template=template,
            name=name.strip() or default_cohort_name(template, start),
            start=start,
            end=start + timedelta(weeks=template.weeks, days=-1),
            created_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            obj=cohort,
            what="cohort created",
        )
    return cohort


def propose_annual_plan(
    *, template: ProgrammeTemplate, year: int, count: int = 6
) -> list[PlannedProgramme]:
    """`count` programmes of the template in `year` (seed 0 §9.2: six a year),
    with Swedish public holidays left out of their days."""
    closed = swedish_closed_days(date(year, 1, 1), date(year, 12, 31))
    first_week, other_weeks = _needed_days(template)
    return plan_year(
        year=year,
        weeks=template.weeks,
        count=count,
        closed=closed,
        first_week_days=first_week,
        week_days=other_weeks,
    )


def _needed_days(template: ProgrammeTemplate) -> tuple[int, int]:
    """Working days the first and the other weeks need (KRT: one theory day)."""
    other = template.days_per_week_min or 1
    first = template.week_day_limits.get("1", [other])[0]
    return first, other


def create_annual_plan(
    *, by: Membership, template: ProgrammeTemplate, year: int, count: int = 6
) -> list[Cohort]:
    """Create the cohorts of `propose_annual_plan`, skipping any start on which
    the unit already has a cohort of this template. Returns the new cohorts."""
    require(by, Permission.MANAGE_UNIT, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, template.unit_id)
    plan = propose_annual_plan(template=template, year=year, count=count)
    taken = set(
        Cohort.objects.filter(template=template, start__year=year).values_list(
            "start", flat=True
        )
    )
    created = []
    with transaction.atomic():
        for programme in plan:
            if programme.start not in taken:
                created.append(
                    create_cohort(by=by, template=template, start=programme.start)
                )
    return created


@dataclass(frozen=True)
class Added:
    participant: CohortParticipant
    capacity: CapacityCheck


def add_participant(
    *,
    by: Membership,
    cohort: Cohort,
    episode: Episode,
    needs_patient_hotel: bool = False,
    over_capacity_reason: str = "",
    now: datetime | None = None,
) -> Added:
    """Give `episode` a place in `cohort`; the episode's state does not change.

    Only episodes decided for a group programme (planning meeting or
    preparation) and not placed in another cohort that is still to come or
    running. Beyond the template's maximum only a unit administrator may add,
    with a reason that is stored and audited. Whole-group sessions from today
    on get the new participant; individual sessions come with the next
    scheduling.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, cohort.unit_id)
    require_unit(by, episode.unit_id)
    if cohort.end < today:
        raise ProgrammeRefused(_("This programme has ended."))
    if episode.state not in WAITING_FOR_PROGRAMME:
        raise ProgrammeRefused(
            _(
                "Only patients decided for a group programme (planning meeting or "
                "preparatory interventions) can be given a place."
            )
        )
    places = CohortParticipant.objects.filter(episode=episode, cohort__end__gte=today)
    if places.filter(cohort=cohort).exists():
        raise ProgrammeRefused(_("The patient already has a place in this programme."))
    if places.exists():
        raise ProgrammeRefused(
            _("The patient already has a place in another programme.")
        )
    reason = over_capacity_reason.strip()
    template = cohort.template
    after = capacity_check(
        participants=cohort.participants.count() + 1,
        minimum=template.min_participants,
        maximum=template.max_participants,
    )
    if after.status == Capacity.TOO_MANY:
        _check_override(by, after, reason)
    else:
        reason = ""
    with transaction.atomic():
        participant = CohortParticipant.objects.create(
            cohort=cohort,
            episode=episode,
            needs_patient_hotel=needs_patient_hotel,
            over_capacity_reason=reason,
            added_by=by.user,
            added_at=now,
        )
        for session in cohort.sessions.filter(
            attendees=Session.Attendees.ALL, date__gte=today
        ):
            session.participants.add(participant)
        what = f"added to cohort {cohort.pk}"
        if reason:
            what += f", over the maximum of {template.max_participants}: {reason}"
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=participant,
            what=what,
        )
    return Added(participant, after)


def _check_override(by: Membership, after: CapacityCheck, reason: str) -> None:
    require(
        by,
        Permission.MANAGE_UNIT,
        ProgrammeRefused(
            _(
                "The group is full (at most %(maximum)s participants). A unit "
                "administrator can add more with a reason."
            )
            % {"maximum": after.maximum}
        ),
    )
    if not reason:
        raise ProgrammeRefused(
            _(
                "The group is full (at most %(maximum)s participants). Write the "
                "reason for adding more."
            )
            % {"maximum": after.maximum}
        )


def set_patient_hotel(
    *, by: Membership, participant: CohortParticipant, needs_patient_hotel: bool
) -> None:
    """Record whether the participant stays at the patient hotel (seed 0 §9.2)."""
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, participant.cohort.unit_id)
    with transaction.atomic():
        participant.needs_patient_hotel = needs_patient_hotel
        participant.save(update_fields=["needs_patient_hotel"])
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[participant.episode.patient_id],
            obj=participant,
            what=f"patient hotel {'yes' if needs_patient_hotel else 'no'}",
        )


def remove_participant(*, by: Membership, participant: CohortParticipant) -> None:
    """Take a place back, as long as no attendance was recorded for it; an
    episode already in the group programme returns to the waiting list."""
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, participant.cohort.unit_id)
    if Attendance.objects.filter(participant=participant).exists():
        raise ProgrammeRefused(
            _(
                "Attendance is recorded for this participant, so the place stays; "
                "discharge the patient from the episode page instead."
            )
        )
    episode = participant.episode
    with transaction.atomic():
        if episode.state == State.GROUP_PROGRAMME:
            # The programme had started for them: back to the waiting list
            # for the next programme or individual rehabilitation.
            move_episode(
                episode=episode,
                to=State.PREPARATION,
                by=by,
                note=_("Place in %(name)s taken back")
                % {"name": participant.cohort.name},
            )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=participant.cohort,
            what=f"removed from cohort {participant.cohort_id}",
        )
        participant.sessions.clear()
        participant.delete()
        # A KRT episode's follow-ups counted from this cohort's theory sessions.
        refresh_follow_ups_due([episode.pk])


@dataclass(frozen=True)
class Started:
    moved: list[CohortParticipant] = field(default_factory=list)
    skipped: list[tuple[CohortParticipant, str]] = field(default_factory=list)


def start_cohort(
    *, by: Membership, cohort: Cohort, now: datetime | None = None
) -> Started:
    """Start the programme: every participant in preparatory interventions
    moves to the group programme through `move_episode`.

    Participants whose episode cannot move (the plan is not signed yet, or it
    changed meanwhile) are skipped with the reason; they can be started later
    by running this again.
    """
    now = now or timezone.now()
    require(by, Permission.RUN_PROGRAMME, ProgrammeRefused(NOT_PERMITTED))
    require_unit(by, cohort.unit_id)
    if timezone.localdate(now) < cohort.start:
        raise ProgrammeRefused(
            _("The programme starts on %(day)s: start it on that day or later.")
            % {"day": formats.date_format(cohort.start, "l j F Y").lower()}
        )
    participants = list(cohort.participants.select_related("episode__patient"))
    if not participants:
        raise ProgrammeRefused(_("The programme has no participants yet."))
    result = Started()
    note = _("Programme %(name)s starts") % {"name": cohort.name}
    for participant in participants:
        episode = participant.episode
        if episode.state == State.GROUP_PROGRAMME:
            continue
        if episode.state != State.PREPARATION:
            result.skipped.append(
                (
                    participant,
                    _("The episode is in “%(state)s”.")
                    % {"state": episode.get_state_display()},
                )
            )
            continue
        try:
            move_episode(
                episode=episode, to=State.GROUP_PROGRAMME, by=by, note=note, now=now
            )
        except TransitionRefused as refusal:
            result.skipped.append((participant, str(refusal.message)))
        else:
            result.moved.append(participant)
    if cohort.started_at is None and result.moved:
        Cohort.objects.filter(pk=cohort.pk).update(started_at=now)
        cohort.started_at = now
    return result
