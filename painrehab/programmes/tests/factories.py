"""Programme test data: a full team, the premises, and episodes walked along the
pathway with `move_episode` (the only way their state changes)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from painrehab.accounts.models import CareUnit, Membership, User
from painrehab.pathway.models import Episode
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import State
from painrehab.patients.tests.factories import PatientFactory
from painrehab.programmes.models import Room
from painrehab.steps.referral.services import open_episode

PASSWORD = "test-password-123"

# The team of seed 0 §7 beyond the standing cast's physician and coordinator.
TEAM = [
    ("psykolog", "psychologist", "Petra", "Psykolog"),
    ("fysio1", "physiotherapist", "Fia", "Fysio"),
    ("fysio2", "physiotherapist", "Frans", "Fysio"),
    ("arbetsterapeut", "occupational_therapist", "Asta", "Arbetsterapeut"),
    ("kurator", "social_worker", "Kurt", "Kurator"),
    ("rehabkoordinator", "rehab_coordinator", "Rut", "Rehab"),
    ("idrottsledare", "sports_leader", "Ivar", "Idrott"),
]


def member(
    unit: CareUnit, username: str, profession: str, first: str = "", last: str = ""
) -> Membership:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first or username.title(),
        last_name=last or "Testsson",
    )
    return Membership.objects.create(user=user, unit=unit, profession=profession)


def team(unit: CareUnit, prefix: str = "") -> dict[str, Membership]:
    """Members of every programme profession but physician and coordinator nurse."""
    return {
        username: member(unit, prefix + username, profession, first, last)
        for username, profession, first, last in TEAM
    }


def premises(unit: CareUnit) -> dict[str, Room]:
    """A group room, a gym, and a pool open Tuesday 10–12 and Thursday 13–15."""
    return {
        "group_room": Room.objects.create(
            unit=unit, name="Grupprummet", kind="group_room"
        ),
        "gym": Room.objects.create(unit=unit, name="Träningssalen", kind="gym"),
        "pool": Room.objects.create(
            unit=unit,
            name="Bassängen",
            kind="pool",
            opening_hours={"1": [["10:00", "12:00"]], "3": [["13:00", "15:00"]]},
        ),
    }


def decided_episode(
    *,
    unit: CareUnit,
    physician: Membership,
    coordinator: Membership,
    decided_at: datetime,
    to: State = State.PREPARATION,
    **patient: object,
) -> Episode:
    """A new patient's episode walked from referral to `to`, the assessment
    conference's decision (the move to the planning meeting) at `decided_at`."""
    person = PatientFactory.create(unit=unit, **patient)
    episode = open_episode(
        patient=person,
        by=coordinator,
        source="referral",
        received_on=timezone.localdate(decided_at) - timedelta(days=90),
        now=decided_at - timedelta(days=90),
    )
    path = [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
        (State.ASSESSMENT_CONFERENCE, physician),
        (State.PLANNING_MEETING, physician),
    ]
    if to in (State.PREPARATION, State.INDIVIDUAL_REHABILITATION):
        path.append((to, physician))
    steps = len(path)
    for number, (state, by) in enumerate(path, start=1):
        at = decided_at - timedelta(days=steps - number)
        if state == State.PLANNING_MEETING:
            at = decided_at
        elif number > 6:
            at = decided_at + timedelta(days=number - 6)
        move_episode(episode=episode, to=state, by=by, now=at)
    return episode


def aware(day: date, hour: int = 9) -> datetime:
    """`hour` o'clock on `day` in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))
