"""The start page of each profession: what is due today and what is overdue.

Every source is a query over dates (no job queue): referrals to triage, visits
to book, invitations to send, conferences to hold, plans to sign, follow-ups in
their window, letters to finalise and questionnaires not yet answered. An item
is overdue when its due date has passed, so the list is in due-date order
(overdue first) and shown a page at a time. Sources whose due date follows a
column are read in that order and only as far as the page needs, with a count
for the total; so the page costs a few queries and a page's worth of rows
however long the list is. The page is logged as one read naming the patients
shown on it.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from django.db.models import DateField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit, Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.windows import (
    AFTER_DISCHARGE,
    AFTER_DISCHARGE_MONTHS,
    FOLLOW_UP_SPECS,
    WORKLIST_STATUSES,
    FollowUp,
    Track,
    WindowStatus,
    add_months,
    follow_up_schedule,
    krt_follow_up_reference,
    window_status,
)
from painrehab.documents.models import Letter
from painrehab.pathway.clocks import INVITATION_DAYS_BEFORE
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    Episode,
    EpisodeTransition,
    FollowUpRecord,
    RehabPlan,
)
from painrehab.pathway.services.follow_up import track_for
from painrehab.pathway.states import State
from painrehab.patients.models import Patient

PAGE_SIZE = 50
Counts = Mapping[str, int]  # the unit's episodes per state
LETTER_DAYS = 7  # a drafted letter should be finalised within a week
TRIAGE_DAYS = 7  # a referral should be triaged within a week of arriving (unit routine)


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str | Promise
    patient_id: int
    due_on: date
    overdue: bool
    view: str  # the URL's name, reversed only for the items shown
    args: tuple = ()
    query: str = ""
    patient: Patient | None = None  # read for the items shown

    @property
    def url(self) -> str:
        return reverse(self.view, args=self.args) + self.query


@dataclass(frozen=True)
class Found:
    """What one source found: the first items in due-date order, and how many in all."""

    items: list[WorkItem]
    total: int


def _first(
    queryset: QuerySet, limit: int, make: Callable, total: int | None = None
) -> Found:
    """The first `limit` rows of an ordered query as items, with the count of
    all (`total` when the caller knows it already)."""
    items = [make(row) for row in queryset[:limit]]
    if len(items) < limit:
        total = len(items)
    elif total is None:
        total = queryset.count()
    return Found(items, total)


def _all(items: list[WorkItem]) -> Found:
    return Found(items, len(items))


def _episodes(membership: Membership, state: State) -> QuerySet[Episode]:
    return Episode.objects.in_unit(membership.unit_id).filter(state=state)


def _due_from_referral(  # noqa: PLR0913 - one step's facts
    membership: Membership,
    today: date,
    limit: int,
    counts: Counts,
    *,
    state: State,
    days: int,
    kind: str,
    label: Promise,
    view: str,
) -> Found:
    """The episodes at `state`, due `days` after the referral arrived."""

    def make(e: Episode) -> WorkItem:
        due = e.opened_on + timedelta(days=days)
        return WorkItem(kind, label, e.patient_id, due, today > due, view, (e.pk,))

    episodes = _episodes(membership, state)
    ordered = episodes.order_by("opened_on", "patient__last_name", "pk")
    return _first(ordered, limit, make, counts.get(state, 0))


def _referrals_to_triage(
    membership: Membership, today: date, limit: int, counts: Counts
) -> Found:
    return _due_from_referral(membership, today, limit, counts,
        state=State.REFERRAL_RECEIVED, days=TRIAGE_DAYS, kind="triage",
        label=_("Triage the referral"), view="pathway:triage")  # fmt: skip


def _visits_to_book(
    membership: Membership, today: date, limit: int, counts: Counts
) -> Found:
    return _due_from_referral(membership, today, limit, counts,
        state=State.TRIAGED, days=60, kind="book",
        label=_("Book the new visit"), view="pathway:book")  # fmt: skip


def _invitations(
    membership: Membership, today: date, limit: int, counts: Counts
) -> Found:
    def make(b: Booking) -> WorkItem:
        due = b.invitation_due_on
        return WorkItem("invitation", _("Send the invitation"), b.episode.patient_id, due,
                        today > due, "pathway:episode", (b.episode_id,))  # fmt: skip

    bookings = Booking.objects.filter(
        unit=membership.unit_id, status=Booking.Status.BOOKED, invitation_sent_on__isnull=True,
        kind__in=[Booking.Kind.NEW_VISIT, Booking.Kind.RETURN_VISIT],
        starts_at__date__lte=today + timedelta(days=INVITATION_DAYS_BEFORE),
    ).select_related("episode")  # fmt: skip
    return _first(bookings.order_by("starts_at", "pk"), limit, make)


def _conferences(
    membership: Membership, today: date, limit: int, counts: Counts
) -> Found:
    """Due on the open conference's day, else the day the step began."""

    def make(e: Episode) -> WorkItem:
        return WorkItem("conference", _("Decide at the assessment conference"), e.patient_id,
                        e.due, today > e.due, "pathway:conference", (e.pk,))  # fmt: skip

    open_conference = AssessmentConference.objects.filter(
        episode=OuterRef("pk"), decision=""
    ).order_by("held_on", "pk")
    episodes = _episodes(membership, State.ASSESSMENT_CONFERENCE).annotate(
        due=Coalesce(
            Subquery(open_conference.values("held_on")[:1]),
            TruncDate("state_since"),
            output_field=DateField(),
        )
    )
    total = counts.get(State.ASSESSMENT_CONFERENCE, 0)
    return _first(episodes.order_by("due", "pk"), limit, make, total)


def _plans(membership: Membership, today: date, limit: int, counts: Counts) -> Found:
    def make(e: Episode) -> WorkItem:
        due = timezone.localdate(e.state_since) + timedelta(days=21)
        return WorkItem("plan", _("Write and sign the rehabilitation plan"), e.patient_id, due,
                        today > due, "pathway:plan", (e.pk,))  # fmt: skip

    state = State.PLANNING_MEETING
    episodes = _episodes(membership, state).order_by("state_since", "pk")
    return _first(episodes, limit, make, counts.get(state, 0))


# A plan's track (group programme or individual), or None without a plan.
PLAN_TRACKS = [*(value for value, _label in RehabPlan.track.field.choices), None]


@lru_cache(maxsize=8192)
def _follow_ups_of(
    ended_on: date, track: Track, profession: str
) -> tuple[FollowUp, ...]:
    """The follow-ups of the track whose role is `profession`, dated from the
    day rehabilitation ended. Kept between requests: the same few hundred
    end dates come back on every worklist (the shipped schedule is fixed)."""
    specs = [spec for spec in FOLLOW_UP_SPECS[track] if spec.role == profession]
    return tuple(follow_up_schedule(ended_on=ended_on, track=track, specs=specs))


def _follow_ups(
    membership: Membership, today: date, limit: int, counts: Counts
) -> Found:
    """Follow-up items in their window (or overdue) whose role is the member's
    profession. The windows come from each episode's schedule, in Python, from
    plain rows (the day rehabilitation ended, the track, what is recorded)."""
    unit_kind = membership.unit.kind
    profession = membership.profession
    tracks = {track_for(unit_kind=unit_kind, plan_track=p) for p in PLAN_TRACKS}
    if not any(s.role == profession for t in tracks for s in FOLLOW_UP_SPECS[t]):
        return _all([])  # no follow-up of this unit is this profession's
    # In follow-up, and discharged recently enough for a 12-month item to be open.
    episodes = Episode.objects.in_unit(membership.unit_id).filter(
        Q(state=State.FOLLOW_UP)
        | Q(
            state=State.DISCHARGED,
            closed_on__gte=add_months(today, -AFTER_DISCHARGE_MONTHS),
        )
    )
    rows = episodes.values_list("pk", "patient_id", "plan__track", "state")
    ended = EpisodeTransition.objects.last_entered(episodes, State.FOLLOW_UP)
    if unit_kind == CareUnit.Kind.PRIMARY_CARE:
        ended = _krt_references(ended)
    recorded: dict[tuple[int, str], str] = {
        (episode_id, key): outcome
        for episode_id, key, outcome in FollowUpRecord.objects.filter(
            episode__in=episodes
        ).values_list("episode_id", "item_key", "outcome")
    }
    items = []
    for episode_id, patient_id, plan_track, state in rows:
        if episode_id not in ended:
            continue
        track = track_for(unit_kind=unit_kind, plan_track=plan_track)
        for item in _follow_ups_of(ended[episode_id], track, profession):
            if state == State.DISCHARGED and item.key not in AFTER_DISCHARGE:
                continue
            outcome = recorded.get((episode_id, item.key))
            status = window_status(
                item.window, today=today, done=outcome == "done",
                not_reached=outcome == "not_reached",
            )  # fmt: skip
            if status in WORKLIST_STATUSES:
                items.append(WorkItem("follow_up", item.label, patient_id, item.window.closes_on,
                                      status == WindowStatus.OVERDUE, "pathway:follow_up",
                                      (episode_id,), f"?punkt={item.key}"))  # fmt: skip
    return _all(items)


def _krt_references(ended: dict[int, date]) -> dict[int, date]:
    """KRT counts from the end of the cohort's training month (else from the
    day rehabilitation ended), by episode id; one query."""
    from painrehab.programmes.selectors import last_theory_sessions  # noqa: PLC0415

    theory = last_theory_sessions(ended)
    return {
        episode_id: krt_follow_up_reference(
            last_theory_session_on=theory.get(episode_id), rehabilitation_ended_on=day
        )
        or day
        for episode_id, day in ended.items()
    }


def _letters(membership: Membership, today: date, limit: int, counts: Counts) -> Found:
    def make(d: Letter) -> WorkItem:
        due = timezone.localdate(d.created_at) + timedelta(days=LETTER_DAYS)
        label = _("Finalise the letter: %(kind)s") % {"kind": d.get_kind_display()}
        return WorkItem(
            "letter", label, d.patient_id, due, today > due, "documents:letter", (d.pk,)
        )

    drafts = Letter.objects.filter(
        unit=membership.unit_id, finalised_at__isnull=True, created_by=membership.user
    )
    return _first(drafts.order_by("created_at", "pk"), limit, make)


def _questionnaires(
    membership: Membership, today: date, limit: int, counts: Counts
) -> Found:
    """Questionnaire requests still unanswered (sent, partly answered or past expiry)."""
    from painrehab.questionnaires.models import QuestionnaireRequest

    def make(r: QuestionnaireRequest) -> WorkItem:
        return WorkItem("questionnaires", _("Questionnaires not yet answered"), r.episode.patient_id,
                        r.expires_on, today > r.expires_on, "questionnaires:request", (r.pk,))  # fmt: skip

    requests = (
        QuestionnaireRequest.objects.in_unit(membership.unit_id)
        .outstanding()
        .select_related("episode")
        .only("pk", "expires_on", "episode__patient_id")
    )
    return _first(requests.order_by("expires_on", "pk"), limit, make)


# Each source with the permission that puts it on a member's worklist.
SOURCES = [
    (Permission.TRIAGE, _referrals_to_triage),
    (Permission.MANAGE_WAITING_LIST, _visits_to_book),
    (Permission.MANAGE_WAITING_LIST, _invitations),
    (Permission.MANAGE_WAITING_LIST, _questionnaires),
    (Permission.HOLD_CONFERENCE, _conferences),
    (Permission.PLAN_REHABILITATION, _plans),
    (Permission.RECORD_FOLLOW_UP, _follow_ups),
    (Permission.WRITE_LETTERS, _letters),
]


@dataclass(frozen=True)
class WorkPage:
    """One page of the worklist; iterating gives its items."""

    items: list[WorkItem]
    number: int
    total: int
    page_size: int = PAGE_SIZE

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.page_size + len(self.items)


def worklist_for(
    *,
    membership: Membership,
    today: date,
    page: int = 1,
    state_counts: Counts | None = None,
) -> WorkPage:
    """What the member should act on, by due date (so overdue first), one page
    of `PAGE_SIZE`; one audit row naming the patients on that page.
    `state_counts`: the unit's episodes per state, when the caller has them."""
    if state_counts is None:
        state_counts = Episode.objects.in_unit(membership.unit_id).count_by_state()
    page = max(1, page)
    wanted = page * PAGE_SIZE
    items: list[WorkItem] = []
    total = 0
    for permission, source in SOURCES:
        if permission in membership.permissions:
            found = source(membership, today, wanted, state_counts)
            items.extend(found.items)
            total += found.total
    # Stable: equal due dates keep each source's own order, the order its
    # query was cut in, so page n and page n + 1 neither repeat nor skip.
    items.sort(key=lambda item: item.due_on)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    shown = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    patients = Patient.objects.in_bulk([item.patient_id for item in shown])
    shown = [replace(item, patient=patients[item.patient_id]) for item in shown]
    record(by=membership.user, unit=membership.unit_id, action=Action.VIEW,
           patients=[item.patient_id for item in shown], what=f"worklist page {page}")  # fmt: skip
    return WorkPage(shown, page, total)
