"""The start page of each profession: its day's work and the fortnight ahead.

Every source is a query over dates (no job queue), and each is the work of
some professions or of the staff member it names (`work.py` says whose):
referrals to triage, visits to book, invitations to send, forms still
unanswered a week before the new visit, questionnaires not
answered, the records of the visits a member is booked at, conferences to
decide, plans to sign, goals to evaluate, preparatory interventions,
programme sessions and their attendance, individual appointments, follow-ups
in their window, and letters to finalise or send. An item is in "today and
overdue" when its due date has come, in "the coming 14 days" before that, and
not on the list at all further ahead. The list is in that order (overdue
first) and shown a page at a time.

Each source is one query, read in due-date order only as far as the page
needs, with its totals per section counted in the same query (a window
count); its SQL is compiled once per member and day and kept (`_first`).
So the page costs the same number of queries however long the list is. The page is logged as one read naming the
patients shown on it.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.sql.compiler import SQLCompiler
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.access import may
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.windows import (
    FOLLOW_UP_SPECS,
    FollowUp,
    WindowStatus,
)
from painrehab.documents.models import Letter, LetterDispatch, LetterKind
from painrehab.pathway import work
from painrehab.pathway.clocks import INVITATION_DAYS_BEFORE
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    Episode,
    FollowUpDue,
    Goal,
    GoalEvaluation,
    InvestigationRecord,
    NewVisitRecord,
    PreparatoryIntervention,
)
from painrehab.pathway.services.follow_up import track_for
from painrehab.pathway.states import OPEN_STATES, State
from painrehab.pathway.work import Section
from painrehab.patients.models import Patient
from painrehab.programmes.models import Appointment, Attendance, Session
from painrehab.questionnaires.models import QuestionnaireRequest, TimePoint

PAGE_SIZE = 50
Counts = Mapping[str, int]  # the unit's episodes per state
LETTER_DAYS = work.LETTER_DAYS
TRIAGE_DAYS = work.TRIAGE_DAYS


_ID_MARK = 2_147_483_647  # an id no row has, to find where an id goes in a URL


@lru_cache(maxsize=64)
def _url_around_id(view: str, script_prefix: str) -> tuple[str, str]:
    """The URL of `view` before and after its one id argument: reversed once,
    not for each row of the page."""
    before, after = reverse(view, args=(_ID_MARK,)).split(str(_ID_MARK))
    return before, after


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str | Promise
    patient_id: int | None  # None for a group's session
    due_on: date
    overdue: bool
    view: str  # the URL's name, reversed only for the items shown
    args: tuple = ()
    query: str = ""
    patient: Patient | None = None  # read for the items shown
    section: Section = Section.TODAY
    group: str = ""  # the cohort's name, for a group's session

    @cached_property
    def url(self) -> str:  # shown twice a row
        if len(self.args) == 1 and isinstance(self.args[0], int):
            before, after = _url_around_id(self.view, get_script_prefix())
            return f"{before}{self.args[0]}{after}{self.query}"
        return reverse(self.view, args=self.args) + self.query

    @property
    def upcoming(self) -> bool:
        return self.section == Section.UPCOMING


@dataclass(frozen=True)
class Found:
    """What one source found: the first items in due-date order, and how many
    in all and in today's section."""

    items: list[WorkItem]
    total: int
    today: int


def _item(  # noqa: PLR0913 - one item's facts
    kind: str,
    label: str | Promise,
    patient_id: int | None,
    due: date,
    today: date,
    view: str,
    args: tuple = (),
    query: str = "",
    group: str = "",
) -> WorkItem:
    section = work.section_of(due, today=today) or Section.UPCOMING
    return WorkItem(kind, label, patient_id, due, today > due, view, args, query,
                    section=section, group=group)  # fmt: skip


# A source's query for one member on one day, compiled (see `_first`).
_COMPILED: "OrderedDict[tuple, SQLCompiler | None]" = OrderedDict()
# Source queries kept per process (about 150 members' days at 13 sources),
# the least recently used dropped.
_COMPILED_KEPT = 2048


class Row(SimpleNamespace):
    """One row of a source's query: its columns by name, and `pk`."""


def _first(  # noqa: PLR0913 - a source's query and its key
    name: str,
    build: Callable[[], tuple[QuerySet, Q]],
    make: Callable[[Row], WorkItem],
    *,
    membership: Membership,
    today: date,
    limit: int,
) -> Found:
    """The first `limit` rows of a source's query (`build` gives it in due-date
    order, and which of its rows are due by today) as items, with the count of
    all its rows and of those due by today, in the same query.

    The query depends only on the member, the day and the limit, so it is
    built and compiled once for them and kept: making the SQL of a dozen
    queries cost about as much as running them. The rows are read as tuples,
    with Django's conversions, and named by their columns."""
    db = connections[DEFAULT_DB_ALIAS]  # the thread's connection
    key = (name, db, membership.pk, membership.unit_id, membership.user_id,
           membership.profession, membership.permissions, today, limit,
           timezone.get_current_timezone_name())  # fmt: skip
    if key in _COMPILED:
        _COMPILED.move_to_end(key)
    else:
        queryset, due_by_today = build()
        counted = queryset.annotate(
            _all=Window(Count("pk")), _today=Window(Count("pk", filter=due_by_today))
        )[:limit]
        compiler = counted.query.get_compiler(connection=db)
        try:
            sql = compiler.as_sql()
        except EmptyResultSet:  # a condition that matches nothing: no query
            compiler = None
        else:
            compiler.as_sql = lambda *_args, **_kwargs: sql  # the same SQL hereafter
        _COMPILED[key] = compiler
        if len(_COMPILED) > _COMPILED_KEPT:
            _COMPILED.popitem(last=False)
    compiler = _COMPILED[key]
    if compiler is None:
        return Found([], 0, 0)
    names = [
        alias or expression.target.attname
        for expression, _sql, alias in compiler.select[: compiler.col_count]
    ]
    rows = [
        Row(**dict(zip(names, values, strict=True)))
        for values in compiler.results_iter()
    ]
    if not rows:
        return Found([], 0, 0)
    for row in rows:
        row.pk = row.id
    return Found([make(row) for row in rows], rows[0]._all, rows[0]._today)


def _all(items: list[WorkItem]) -> Found:
    today = sum(1 for item in items if item.section == Section.TODAY)
    return Found(items, len(items), today)


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day`, local time: a bound on datetime columns
    that leaves their index usable."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _patient_of(episode: OuterRef) -> Subquery:
    """The episode's patient as a subquery: PostgreSQL reads it for the rows
    the page takes, where a join would be made for every row counted."""
    episodes = Episode.objects.filter(pk=episode).order_by()
    return Subquery(episodes.values("patient_id")[:1])


def _episodes(membership: Membership, state: State) -> QuerySet[Episode]:
    return Episode.objects.in_unit(membership.unit_id).filter(state=state)


def _due_from_referral(  # noqa: PLR0913 - one step's facts
    membership: Membership,
    today: date,
    limit: int,
    *,
    state: State,
    days: int,
    kind: str,
    label: Promise,
    view: str,
) -> Found:
    """The episodes at `state`, due `days` after the referral arrived."""

    def make(e: Row) -> WorkItem:
        due = e.opened_on + timedelta(days=days)
        return _item(kind, label, e.patient_id, due, today, view, (e.pk,))

    def rows() -> tuple[QuerySet, Q]:
        episodes = _episodes(membership, state).filter(
            opened_on__lte=work.horizon(today) - timedelta(days=days)
        )
        ordered = episodes.order_by("opened_on", "patient__last_name", "pk")
        ordered = ordered.only("pk", "opened_on", "patient_id")
        return ordered, Q(opened_on__lte=today - timedelta(days=days))

    return _first(kind, rows, make, membership=membership, today=today, limit=limit)


def _referrals_to_triage(membership: Membership, today: date, limit: int) -> Found:
    return _due_from_referral(membership, today, limit,
        state=State.REFERRAL_RECEIVED, days=TRIAGE_DAYS, kind="triage",
        label=_("Triage the referral"), view="pathway:triage")  # fmt: skip


def _visits_to_book(membership: Membership, today: date, limit: int) -> Found:
    return _due_from_referral(membership, today, limit,
        state=State.TRIAGED, days=work.BOOK_DAYS, kind="book",
        label=_("Book the new visit"), view="pathway:book")  # fmt: skip


def _invitations(membership: Membership, today: date, limit: int) -> Found:
    def make(b: Row) -> WorkItem:
        due = Booking(starts_at=b.starts_at, booked_at=b.booked_at).invitation_due_on
        return _item("invitation", _("Send the invitation"), b.patient_id,
                     due, today, "pathway:episode", (b.episode_id,))  # fmt: skip

    before = timedelta(days=INVITATION_DAYS_BEFORE + 1)

    def rows() -> tuple[QuerySet, Q]:
        # An invitation letter drafted since the booking, not yet sent, is the
        # work itself ("Slutför brevet" / "Skicka brevet"): one item, not two.
        letter_under_way = Letter.objects.filter(
            episode=OuterRef("episode"), kind=LetterKind.INVITATION,
            created_at__gte=OuterRef("booked_at"),
        ).filter(~Exists(LetterDispatch.objects.filter(letter=OuterRef("pk"))))  # fmt: skip
        bookings = (
            Booking.objects.filter(
                unit=membership.unit_id, status=Booking.Status.BOOKED,
                invitation_sent_on__isnull=True,
                kind__in=[Booking.Kind.NEW_VISIT, Booking.Kind.RETURN_VISIT],
                # A visit whose day has gone by needs no invitation any more.
                starts_at__gte=_start_of(today),
                starts_at__lt=_start_of(work.horizon(today) + before),
            )
            .filter(~Exists(letter_under_way))
            .only("pk", "episode_id", "starts_at", "booked_at")
            .annotate(patient_id=_patient_of(OuterRef("episode_id")))
        )  # fmt: skip
        due_by_today = Q(starts_at__lt=_start_of(today + before))
        return bookings.order_by("starts_at", "pk"), due_by_today

    return _first("invitation", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _questionnaires(membership: Membership, today: date, limit: int) -> Found:
    """Questionnaire requests still unanswered (sent, partly answered or past expiry)."""

    def make(r: Row) -> WorkItem:
        return _item("questionnaires", _("Questionnaires not yet answered"),
                     r.patient_id, r.expires_on, today,
                     "questionnaires:request", (r.pk,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        # Read and counted from the index of outstanding requests alone
        # (`questionnaire_outstanding_idx`); the patient only for the rows read.
        requests = (
            QuestionnaireRequest.objects.in_unit(membership.unit_id)
            .outstanding()
            .filter(expires_on__lte=work.horizon(today))
            .only("pk", "expires_on", "episode_id")
            .annotate(patient_id=_patient_of(OuterRef("episode_id")))
        )
        return requests.order_by("expires_on", "pk"), Q(expires_on__lte=today)

    return _first("questionnaires", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _forms_before_visit(membership: Membership, today: date, limit: int) -> Found:
    """New visits within a week whose forms before the visit are unanswered:
    the office's work from seven days before the visit until its day. Not
    in the coming 14 days: before then the patient still has time to answer."""
    if not work.chases_unanswered_forms(membership.profession):
        return _all([])

    def make(b: Row) -> WorkItem:
        due = work.forms_flag_on(timezone.localdate(b.starts_at))
        return _item("forms_before_visit", _("Forms not answered a week before the new visit"),
                     b.patient_id, due, today, "pathway:episode", (b.episode_id,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        unanswered = QuestionnaireRequest.objects.filter(
            episode=OuterRef("episode"),
            time_point__in=[TimePoint.REGISTRY_BEFORE, TimePoint.KRT_BEFORE],
            status__in=[
                QuestionnaireRequest.Status.OPEN,
                QuestionnaireRequest.Status.PARTLY,
            ],
        )
        bookings = (
            Booking.objects.filter(
                unit=membership.unit_id,
                kind=Booking.Kind.NEW_VISIT,
                status=Booking.Status.BOOKED,
                starts_at__gte=_start_of(today),
                starts_at__lt=_start_of(
                    today + timedelta(days=work.FORMS_FLAG_DAYS + 1)
                ),
            )
            .filter(Exists(unanswered))
            .only("pk", "starts_at", "episode_id")
            .annotate(patient_id=_patient_of(OuterRef("episode_id")))
        )
        return bookings.order_by("starts_at", "pk"), Q(pk__isnull=False)

    return _first("forms_before_visit", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _met_patient(membership: Membership) -> Q:
    """Episodes whose patient the member met in a visit or investigated."""
    user = membership.user_id
    met = Booking.objects.filter(
        Q(staff=user) | Q(second_staff=user),
        episode=OuterRef("pk"),
        kind__in=work.MEETING_KINDS,
    )
    wrote = InvestigationRecord.objects.filter(episode=OuterRef("pk"), author=user)
    return Q(Exists(met)) | Q(Exists(wrote))


def _conferences(membership: Membership, today: date, limit: int) -> Found:
    """Due on the open conference's day, else the day the step began; for the
    coordinator, and for those who met the patient in the investigation."""

    def make(e: Row) -> WorkItem:
        return _item("conference", _("Decide at the assessment conference"),
                     e.patient_id, e.due, today, "pathway:conference", (e.pk,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        open_conference = AssessmentConference.objects.filter(
            episode=OuterRef("pk"), decision=""
        ).order_by("held_on", "pk")
        episodes = _episodes(membership, State.ASSESSMENT_CONFERENCE)
        if not work.holds_conference(membership.profession, met_patient=False):
            episodes = episodes.filter(_met_patient(membership))
        episodes = episodes.annotate(
            due=Coalesce(
                Subquery(open_conference.values("held_on")[:1]),
                TruncDate("state_since"),
                output_field=DateField(),
            )
        ).filter(due__lte=work.horizon(today))
        episodes = episodes.only("pk", "patient_id")
        return episodes.order_by("due", "pk"), Q(due__lte=today)

    return _first("conference", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _plans(membership: Membership, today: date, limit: int) -> Found:
    """The plan of the planning meeting, three weeks after the decision; for the
    coordinator and the psychologist, and for whoever is booked at the meeting."""

    def make(e: Row) -> WorkItem:
        due = timezone.localdate(e.state_since) + timedelta(days=work.PLAN_DAYS)
        return _item("plan", _("Write and sign the rehabilitation plan"),
                     e.patient_id, due, today, "pathway:plan", (e.pk,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        days = timedelta(days=work.PLAN_DAYS - 1)
        episodes = _episodes(membership, State.PLANNING_MEETING).filter(
            state_since__lt=_start_of(work.horizon(today) - days)
        )
        if not work.plans_with_patient(membership.profession, booked_at_meeting=False):
            booked = Booking.objects.filter(
                Q(staff=membership.user_id) | Q(second_staff=membership.user_id),
                episode=OuterRef("pk"),
                kind=Booking.Kind.PLANNING_MEETING,
            )
            episodes = episodes.filter(Exists(booked))
        due_by_today = Q(state_since__lt=_start_of(today - days))
        episodes = episodes.only("pk", "patient_id", "state_since")
        return episodes.order_by("state_since", "pk"), due_by_today

    return _first("plan", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _visits_gone_by(membership: Membership, today: date, limit: int) -> Found:
    """Investigation visits whose day has gone by and that are still only
    booked: the clinic marks them held or not attended (episode page); due
    the day after the visit, while the episode is open."""

    def make(b: Row) -> WorkItem:
        return _item("visit_gone_by", _("Mark the visit held or not attended"),
                     b.patient_id, timezone.localdate(b.starts_at) + timedelta(days=1),
                     today, "pathway:episode", (b.episode_id,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        bookings = (
            Booking.objects.filter(
                unit=membership.unit_id, status=Booking.Status.BOOKED,
                kind=Booking.Kind.INVESTIGATION,
                starts_at__lt=_start_of(today),
                episode__state__in=OPEN_STATES,
            )
            .only("pk", "episode_id", "starts_at")
            .annotate(patient_id=_patient_of(OuterRef("episode_id")))
        )  # fmt: skip
        return bookings.order_by("starts_at", "pk"), Q(pk__isnull=False)

    return _first("visit_gone_by", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _visits_to_record(membership: Membership, today: date, limit: int) -> Found:
    """The new and return visits the physician is booked at and the
    investigation visits a member is booked at, until the record is written;
    due on the visit's day."""
    labels = {
        Booking.Kind.INVESTIGATION: (
            _("Write the investigation record"),
            "pathway:investigation",
        ),
    }

    def make(b: Row) -> WorkItem:
        label, view = labels.get(
            b.kind, (_("Record the new visit"), "pathway:new_visit")
        )
        return _item("record", label, b.patient_id,
                     timezone.localdate(b.starts_at), today, view, (b.episode_id,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        user = membership.user_id
        wanted = Q(pk__in=[])
        if may(membership, Permission.RECORD_NEW_VISIT):
            # Recording the visit marks its booking held (`record_new_visit`).
            recorded = NewVisitRecord.objects.filter(booking=OuterRef("pk"))
            wanted |= Q(
                ~Exists(recorded),
                status=Booking.Status.BOOKED,
                kind__in=[Booking.Kind.NEW_VISIT, Booking.Kind.RETURN_VISIT],
                episode__state__in=[State.WAITING_NEW_VISIT, State.NEW_VISIT],
                staff=user,
            )
        if may(membership, Permission.RECORD_INVESTIGATION):
            written = InvestigationRecord.objects.filter(
                episode=OuterRef("episode"), profession=OuterRef("screening_profession")
            )
            wanted |= Q(
                ~Exists(written),
                kind=Booking.Kind.INVESTIGATION,
                episode__state__in=[
                    State.TEAM_INVESTIGATION,
                    State.ASSESSMENT_CONFERENCE,
                ],
                staff=user,
            )
        bookings = Booking.objects.filter(
            wanted,
            unit=membership.unit_id,
            status__in=[Booking.Status.BOOKED, Booking.Status.HELD],
            starts_at__lt=_start_of(work.horizon(today) + timedelta(days=1)),
        ).only("pk", "kind", "starts_at", "episode_id")
        bookings = bookings.annotate(patient_id=_patient_of(OuterRef("episode_id")))
        due_by_today = Q(starts_at__lt=_start_of(today + timedelta(days=1)))
        return bookings.order_by("starts_at", "pk"), due_by_today

    return _first("record", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _goals(membership: Membership, today: date, limit: int) -> Found:
    """The goals the member owns, due for evaluation on their target date:
    at the end of rehabilitation, or at follow-up for a goal that runs until
    then; until evaluated, while the episode is open."""

    def make(g: Row) -> WorkItem:
        return _item("goal", _("Evaluate the goal"), g.patient_id, g.target_date,
                     today, "pathway:plan", (g.episode_id,), f"#mal-{g.pk}")  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        done = GoalEvaluation.objects.filter(goal=OuterRef("pk"))
        goals = (
            Goal.objects.filter(
                owner=membership.user_id,
                plan__episode__unit=membership.unit_id,
                target_date__lte=work.horizon(today),
            )
            .exclude(plan__episode__state=State.DISCHARGED)
            .filter(
                ~Exists(
                    done.filter(when=GoalEvaluation.When.PROGRAMME_END),
                )
                & Q(phase=Goal.Phase.REHABILITATION)
                | ~Exists(done.filter(when=GoalEvaluation.When.FOLLOW_UP))
                & Q(phase=Goal.Phase.UNTIL_FOLLOW_UP)
            )  # fmt: skip
            .only("pk", "target_date")
            .annotate(
                episode_id=F("plan__episode_id"),
                patient_id=F("plan__episode__patient_id"),
            )
        )
        return goals.order_by("target_date", "pk"), Q(target_date__lte=today)

    return _first("goal", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _preparations(membership: Membership, today: date, limit: int) -> Found:
    """The member's profession's preparatory interventions not yet done, while
    the episode is in preparation; due when the programme starts (or four
    weeks after planning without a cohort)."""

    def make(p: Row) -> WorkItem:
        due = work.preparation_due(
            planned_on=timezone.localdate(p.updated_at), programme_starts_on=p.starts
        )
        # The choice's label by its enum: `get_kind_display()` hashes every
        # choice's lazy label on each call (Django's `_get_FIELD_display`).
        kind = PreparatoryIntervention.Kind(p.kind).label
        label = _("Preparatory intervention: %(kind)s") % {"kind": kind}
        return _item("preparation", label, p.patient_id, due, today,
                     "pathway:plan", (p.episode_id,), "#preparations")  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        starts = Subquery(
            Episode.objects.filter(pk=OuterRef("episode_id"))
            .values("cohort_places__cohort__start")
            .order_by("cohort_places__cohort__start")[:1],
            output_field=DateField(),
        )
        planned = ExpressionWrapper(
            F("updated_at") + timedelta(days=work.PREPARATION_DAYS),
            output_field=DateTimeField(),
        )
        preparations = (
            PreparatoryIntervention.objects.filter(
                episode__unit=membership.unit_id,
                episode__state=State.PREPARATION,
                profession=membership.profession,
                status__in=[
                    PreparatoryIntervention.Status.PLANNED,
                    PreparatoryIntervention.Status.ONGOING,
                ],
            )
            .only("pk", "episode_id", "kind", "updated_at")
            .annotate(
                patient_id=_patient_of(OuterRef("episode_id")),
                starts=starts,
                due=Coalesce(starts, TruncDate(planned)),
            )
            .filter(due__lte=work.horizon(today))
        )
        return preparations.order_by("due", "pk"), Q(due__lte=today)

    return _first("preparation", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _sessions(membership: Membership, today: date, limit: int) -> Found:
    """The programme sessions the member runs: today and in the coming days,
    and those held without attendance registered (overdue from the next day)."""

    def make(s: Row) -> WorkItem:
        values = {
            "activity": s.activity_name,
            "time": s.start.strftime("%H:%M"),
            "date": date_format(s.date, "SHORT_DATE_FORMAT"),
        }
        if (
            work.session_work(on=s.date, today=today, attendance_recorded=False)
            == "attendance"
        ):
            label = _("Register attendance: %(activity)s, %(date)s") % values
        else:
            label = (
                _("Run the session and register attendance: %(time)s %(activity)s")
                % values
            )
        # A session for one participant names the patient, not the group.
        return _item("session", label, s.patient_id, s.date, today,
                     "programmes:attendance", (s.cohort_id,),
                     f"?dag={s.date.isoformat()}",
                     group="" if s.patient_id else s.group)  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        registered = Attendance.objects.filter(session=OuterRef("pk"))
        sessions = (
            Session.objects.filter(
                unit=membership.unit_id,
                staff__user=membership.user_id,
                date__lte=work.horizon(today),
            )
            .exclude(attendees=Session.Attendees.STAFF)
            .filter(~Exists(registered))
            .only("pk", "date", "start", "activity_name", "cohort_id")
            .annotate(
                group=F("cohort__name"),
                patient_id=Case(
                    When(
                        attendees=Session.Attendees.INDIVIDUAL,
                        then=Subquery(
                            Session.participants.through.objects.filter(
                                session_id=OuterRef("pk")
                            ).values("cohortparticipant__episode__patient_id")[:1]
                        ),
                    ),
                    default=None,
                ),
            )
        )
        return sessions.order_by("date", "start", "pk"), Q(date__lte=today)

    return _first("session", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _appointments(membership: Membership, today: date, limit: int) -> Found:
    """The member's individual rehabilitation appointments still booked: on
    their day, and overdue until recorded as held or not."""

    def make(a: Row) -> WorkItem:
        day = timezone.localdate(a.starts_at)
        values = {"time": timezone.localtime(a.starts_at).strftime("%H:%M")}
        if day > today:
            label = _("Individual appointment at %(time)s") % values
        else:
            label = (
                _("Individual appointment %(time)s: record whether it was held")
                % values
            )
        return _item("appointment", label, a.patient_id, day, today,
                     "programmes:appointments", (a.episode_id,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        appointments = Appointment.objects.filter(
            unit=membership.unit_id,
            staff=membership.user_id,
            status=Appointment.Status.BOOKED,
            starts_at__lt=_start_of(work.horizon(today) + timedelta(days=1)),
        ).only("pk", "episode_id", "starts_at")
        appointments = appointments.annotate(
            patient_id=_patient_of(OuterRef("episode_id"))
        )
        due_by_today = Q(starts_at__lt=_start_of(today + timedelta(days=1)))
        return appointments.order_by("starts_at", "pk"), due_by_today

    return _first("appointment", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


# Each follow-up item's label, by its key.
FOLLOW_UP_LABELS = {
    spec.key: spec.label for specs in FOLLOW_UP_SPECS.values() for spec in specs
}
# A plan's track (group programme or individual), or None without a plan.
PLAN_TRACKS: list[str | None] = [
    *(value for value, _label in AssessmentConference.Decision.choices[:2]),
    None,
]


def follow_up_section(
    item: FollowUp, *, today: date, status: WindowStatus
) -> Section | None:
    """Today's section while the window is open or overdue; the coming section
    when it opens within 14 days; else not on the list."""
    if status in (WindowStatus.OPEN, WindowStatus.OVERDUE):
        return Section.TODAY
    if status == WindowStatus.NOT_YET_OPEN and item.window.opens_on <= work.horizon(
        today
    ):
        return Section.UPCOMING
    return None


def _follow_ups(membership: Membership, today: date, limit: int) -> Found:
    """Follow-up items whose role is the member's profession: open or overdue,
    or opening in the coming 14 days (`follow_up_section`); after discharge
    only the 12-month items, for a while. Read from the due rows the services
    keep (`FollowUpDue`, listed from `listed_from` to `listed_until` by the
    rule in `follow_ups_due.py`): due on the window's last day once it is
    open, else on the day it opens."""
    unit_kind = membership.unit.kind
    profession = membership.profession
    tracks = {track_for(unit_kind=unit_kind, plan_track=p) for p in PLAN_TRACKS}
    if not any(s.role == profession for t in tracks for s in FOLLOW_UP_SPECS[t]):
        return _all([])  # no follow-up of this unit is this profession's
    is_open = Q(opens_on__lte=today)

    def make(row: Row) -> WorkItem:
        return WorkItem("follow_up", FOLLOW_UP_LABELS[row.item_key], row.patient_id,
                        row.due, today > row.closes_on, "pathway:follow_up",
                        (row.episode_id,), f"?punkt={row.item_key}",
                        section=Section.UPCOMING if row.upcoming else Section.TODAY)  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        due_rows = (
            FollowUpDue.objects.filter(
                unit=membership.unit_id,
                role=profession,
                outcome="",
                listed_until__gte=today,
                listed_from__lte=today,
            )
            .annotate(
                upcoming=Case(When(is_open, then=Value(0)), default=Value(1)),
                due=Case(When(is_open, then=F("closes_on")), default=F("opens_on")),
            )
            .only("pk", "episode_id", "patient_id", "item_key", "opens_on", "closes_on")
        )
        ordered = due_rows.order_by("upcoming", "due", "pk")
        return ordered, is_open

    return _first("follow_up", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


def _letters(membership: Membership, today: date, limit: int) -> Found:
    """Drafts the member finishes (the author when the text is the clinician's,
    else the office) and, for the office, final letters not yet sent."""
    profession = membership.profession

    def make(d: Row) -> WorkItem:
        finalised_on = timezone.localdate(d.finalised_at) if d.finalised_at else None
        due_on = work.letter_due(
            drafted_on=timezone.localdate(d.created_at), finalised_on=finalised_on
        )
        values = {"kind": LetterKind(d.kind).label}  # as for preparations
        if finalised_on is None:
            label = _("Finalise the letter: %(kind)s") % values
        else:
            label = _("Send the letter: %(kind)s") % values
        return _item("letter", label, d.patient_id, due_on, today,
                     "documents:letter", (d.pk,))  # fmt: skip

    def rows() -> tuple[QuerySet, Q]:
        clinical = list(work.CLINICAL_TEXT_LETTERS)
        drafts = Q(finalised_at__isnull=True) & (
            Q(kind__in=clinical, created_by=membership.user_id)
            | (Q(pk__in=[]) if profession not in work.OFFICE else ~Q(kind__in=clinical))
        )
        wanted = drafts
        if work.sends_letters(profession):
            sent = LetterDispatch.objects.filter(letter=OuterRef("pk"))
            # A final letter marked out of date must not go out as it stands.
            wanted |= Q(~Exists(sent), finalised_at__isnull=False, stale_note="")
        due = Coalesce(
            ExpressionWrapper(
                F("finalised_at") + timedelta(days=work.SEND_DAYS),
                output_field=DateTimeField(),
            ),
            ExpressionWrapper(
                F("created_at") + timedelta(days=work.LETTER_DAYS),
                output_field=DateTimeField(),
            ),
        )
        letters = (
            Letter.objects.filter(wanted, unit=membership.unit_id)
            .annotate(due_at=due)
            .filter(due_at__lt=_start_of(work.horizon(today) + timedelta(days=1)))
            .only("pk", "kind", "patient_id", "created_at", "finalised_at")
        )
        due_by_today = Q(due_at__lt=_start_of(today + timedelta(days=1)))
        return letters.order_by("due_at", "pk"), due_by_today

    return _first("letter", rows, make, membership=membership, today=today,
                  limit=limit)  # fmt: skip


# Each source with the permission that puts it on a member's worklist; the
# sources themselves narrow it to the work of the member's profession or to
# the member (`work.py`).
SOURCES = [
    (Permission.TRIAGE, _referrals_to_triage),
    (Permission.MANAGE_WAITING_LIST, _visits_to_book),
    (Permission.MANAGE_WAITING_LIST, _invitations),
    (Permission.MANAGE_WAITING_LIST, _visits_gone_by),
    (Permission.MANAGE_WAITING_LIST, _questionnaires),
    (Permission.MANAGE_WAITING_LIST, _forms_before_visit),
    (Permission.VIEW_PATIENT, _visits_to_record),
    (Permission.HOLD_CONFERENCE, _conferences),
    (Permission.PLAN_REHABILITATION, _plans),
    (Permission.PLAN_REHABILITATION, _preparations),
    (Permission.VIEW_PATIENT, _goals),
    (Permission.RUN_PROGRAMME, _sessions),
    (Permission.RUN_PROGRAMME, _appointments),
    (Permission.RECORD_FOLLOW_UP, _follow_ups),
    (Permission.WRITE_LETTERS, _letters),
]


@dataclass(frozen=True)
class WorkPage:
    """One page of the worklist; iterating gives its items, `today` and
    `upcoming` its two sections."""

    items: list[WorkItem]
    number: int
    total: int
    due_today: int = 0  # today and overdue, on all pages
    page_size: int = PAGE_SIZE

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def today(self) -> list[WorkItem]:
        return [item for item in self.items if not item.upcoming]

    @property
    def upcoming(self) -> list[WorkItem]:
        return [item for item in self.items if item.upcoming]

    @property
    def due_upcoming(self) -> int:
        return self.total - self.due_today

    @property
    def upcoming_page(self) -> int:
        """The page on which the coming 14 days begin."""
        return self.due_today // self.page_size + 1

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
    """What the member should act on today, overdue first, then what falls due
    in the coming 14 days; one page of `PAGE_SIZE`, one audit row naming the
    patients on that page. `state_counts` is accepted for callers that have
    the unit's episodes per state; the sources count what they show."""
    page = max(1, page)
    wanted = page * PAGE_SIZE
    items: list[WorkItem] = []
    total = due_today = 0
    for permission, source in SOURCES:
        if may(membership, permission):
            found = source(membership, today, wanted)
            items.extend(found.items)
            total += found.total
            due_today += found.today
    # Stable: equal keys keep each source's own order, the order its query
    # was cut in, so page n and page n + 1 neither repeat nor skip.
    items.sort(key=lambda item: (item.upcoming, item.due_on))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    shown = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    patients = Patient.objects.in_bulk(
        [item.patient_id for item in shown if item.patient_id is not None]
    )
    shown = [replace(item, patient=patients.get(item.patient_id)) for item in shown]
    record(by=membership.user, unit=membership.unit_id, action=Action.VIEW,
           patients=sorted({item.patient_id for item in shown if item.patient_id}),
           what=f"worklist page {page}")  # fmt: skip
    return WorkPage(shown, page, total, due_today)
