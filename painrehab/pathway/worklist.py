"""The start page of each profession: what is due today and what is overdue.

Every source is a query over dates (no job queue): referrals to triage, visits
to book, invitations to send, conferences to hold, plans to sign, follow-ups in
their window, and letters to finalise. Each source is a few queries whatever
the number of items; the page is logged as one read naming every patient shown.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.windows import WORKLIST_STATUSES, WindowStatus, window_status
from painrehab.documents.models import Letter
from painrehab.pathway.clocks import INVITATION_DAYS_BEFORE
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    Episode,
    EpisodeTransition,
    FollowUpRecord,
)
from painrehab.pathway.services.follow_up import schedule_for
from painrehab.pathway.states import State
from painrehab.patients.models import Patient

TRIAGE_DAYS = 7  # a referral should be triaged within a week of arriving (unit routine)


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str | Promise
    patient: Patient
    due_on: date
    overdue: bool
    url: str


def _referrals_to_triage(membership: Membership, today: date) -> list[WorkItem]:
    episodes = Episode.objects.in_unit(membership.unit_id).filter(state=State.REFERRAL_RECEIVED).select_related("patient")
    return [
        WorkItem("triage", _("Triage the referral"), e.patient, e.opened_on + timedelta(days=TRIAGE_DAYS),
                 today > e.opened_on + timedelta(days=TRIAGE_DAYS), reverse("pathway:triage", args=[e.pk]))
        for e in episodes
    ]


def _visits_to_book(membership: Membership, today: date) -> list[WorkItem]:
    episodes = Episode.objects.in_unit(membership.unit_id).filter(state=State.TRIAGED).select_related("patient")
    return [
        WorkItem("book", _("Book the new visit"), e.patient, e.opened_on + timedelta(days=60),
                 today > e.opened_on + timedelta(days=60), reverse("pathway:book", args=[e.pk]))
        for e in episodes
    ]


def _invitations(membership: Membership, today: date) -> list[WorkItem]:
    bookings = Booking.objects.filter(
        unit=membership.unit_id, status=Booking.Status.BOOKED, invitation_sent_on__isnull=True,
        kind__in=[Booking.Kind.NEW_VISIT, Booking.Kind.RETURN_VISIT],
        starts_at__date__lte=today + timedelta(days=INVITATION_DAYS_BEFORE),
    ).select_related("episode__patient")
    return [
        WorkItem("invitation", _("Send the invitation"), b.episode.patient, b.invitation_due_on,
                 today > b.invitation_due_on, reverse("pathway:episode", args=[b.episode_id]))
        for b in bookings
    ]


def _conferences(membership: Membership, today: date) -> list[WorkItem]:
    episodes = (
        Episode.objects.in_unit(membership.unit_id)
        .filter(state=State.ASSESSMENT_CONFERENCE)
        .select_related("patient")
        .prefetch_related(Prefetch("conferences", queryset=AssessmentConference.objects.filter(decision="")))
    )
    items = []
    for e in episodes:
        open_conference = next(iter(e.conferences.all()), None)
        due = open_conference.held_on if open_conference else timezone.localdate(e.state_since)
        items.append(WorkItem("conference", _("Decide at the assessment conference"), e.patient, due,
                              today > due, reverse("pathway:conference", args=[e.pk])))
    return items


def _plans(membership: Membership, today: date) -> list[WorkItem]:
    episodes = Episode.objects.in_unit(membership.unit_id).filter(state=State.PLANNING_MEETING).select_related("patient")
    return [
        WorkItem("plan", _("Write and sign the rehabilitation plan"), e.patient,
                 timezone.localdate(e.state_since) + timedelta(days=21),
                 today > timezone.localdate(e.state_since) + timedelta(days=21), reverse("pathway:plan", args=[e.pk]))
        for e in episodes
    ]


def _follow_ups(membership: Membership, today: date) -> list[WorkItem]:
    """Follow-up items in their window (or overdue) whose role is the member's profession;
    the coordinator nurse also sees every item of the coordinator role."""
    episodes = (
        Episode.objects.in_unit(membership.unit_id)
        .filter(state=State.FOLLOW_UP)
        .select_related("patient", "unit", "plan")
        .prefetch_related(
            Prefetch("transitions", queryset=EpisodeTransition.objects.filter(to_state=State.FOLLOW_UP).only("episode_id", "to_state", "at")),
            Prefetch("follow_ups", queryset=FollowUpRecord.objects.only("episode_id", "item_key", "outcome")),
        )
    )
    items = []
    for e in episodes:
        recorded = {r.item_key: r.outcome for r in e.follow_ups.all()}
        for item in schedule_for(e):
            if item.role != membership.profession:
                continue
            status = window_status(
                item.window, today=today, done=recorded.get(item.key) == "done",
                not_reached=recorded.get(item.key) == "not_reached",
            )
            if status in WORKLIST_STATUSES:
                url = reverse("pathway:follow_up", args=[e.pk]) + f"?punkt={item.key}"
                items.append(WorkItem("follow_up", item.label, e.patient, item.window.closes_on,
                                      status == WindowStatus.OVERDUE, url))
    return items


def _letters(membership: Membership, today: date) -> list[WorkItem]:
    drafts = Letter.objects.filter(unit=membership.unit_id, finalised_at__isnull=True, created_by=membership.user).select_related("patient")
    return [
        WorkItem("letter", _("Finalise the letter: %(kind)s") % {"kind": d.get_kind_display()}, d.patient,
                 timezone.localdate(d.created_at), today > timezone.localdate(d.created_at) + timedelta(days=7),
                 reverse("documents:letter", args=[d.pk]))
        for d in drafts
    ]


def _questionnaires(membership: Membership, today: date) -> list[WorkItem]:
    """Questionnaire requests still unanswered (sent, partly answered or past expiry)."""
    from painrehab.questionnaires.models import QuestionnaireRequest

    requests = (
        QuestionnaireRequest.objects.in_unit(membership.unit_id)
        .outstanding()
        .select_related("episode__patient")
        .order_by("expires_on", "pk")
    )
    return [
        WorkItem("questionnaires", _("Questionnaires not yet answered"), r.episode.patient, r.expires_on,
                 today > r.expires_on, reverse("questionnaires:request", args=[r.pk]))
        for r in requests
    ]


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


def worklist_for(*, membership: Membership, today: date) -> list[WorkItem]:
    """What the member should act on: overdue first, then by due date; one audit row."""
    items: list[WorkItem] = []
    for permission, source in SOURCES:
        if permission in membership.permissions:
            items.extend(source(membership, today))
    for provider in EXTRA_SOURCES:
        items.extend(provider(membership, today))
    items.sort(key=lambda item: (not item.overdue, item.due_on, item.patient.last_name))
    record(by=membership.user, unit=membership.unit_id, action=Action.VIEW,
           patients=[item.patient.pk for item in items], what="worklist")
    return items


# Sources of other apps (questionnaires outstanding …), listed here by name.
EXTRA_SOURCES: list = []
