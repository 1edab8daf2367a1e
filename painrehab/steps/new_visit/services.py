"""Booking the new visit, its outcome, no-shows and cancellations (seed 1 §5.2, §6, §12)."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership, User
from painrehab.accounts.permissions import Permission, Profession
from painrehab.accounts.rules import require_staff_on
from painrehab.audit.services import Action, record
from painrehab.core.history import save_versioned
from painrehab.documents.models import Letter, LetterKind
from painrehab.documents.services import draft_letters_for, reschedule_letters
from painrehab.pathway.busy import check_time, visit
from painrehab.pathway.models import Booking, Episode, NewVisitRecord
from painrehab.pathway.services.transitions import move_episode
from painrehab.pathway.states import DischargeReason, State, TransitionRefused
from painrehab.steps.discharge.services import discharge_to_the_referrer

Status = Booking.Status


def _membership(unit_id: int, user: User | None, profession: str) -> Membership | None:
    """The user's membership of the unit in `profession`, of any period: whether
    it covers the visit's day is `require_staff_on`'s to say, by name."""
    if user is None:
        return None
    return (
        Membership.all_periods.filter(unit_id=unit_id, user=user, profession=profession)
        .select_related("user")
        .first()
    )


def book_new_visit(
    *,
    by: Membership,
    episode: Episode,
    starts_at: datetime,
    physician: User,
    second_staff: User | None = None,
    mode: str = Booking.Mode.ON_SITE,
    minutes: int = 60,
    kind: str = Booking.Kind.NEW_VISIT,
    confirmed: bool = False,
) -> Booking:
    """Book the new (or return) visit with the physician and, after screening
    triage, the screening profession; the episode then waits for it.

    Refuses a time before the referral was received, a physician who is not a
    physician of the unit, a missing or wrong screening colleague, one of them
    whose access to the unit does not cover the visit's day (the refusal's
    `field` names the form field), and a time when the physician, the
    colleague or the patient is already booked; a weekend, holiday or absence
    needs `confirmed` (pathway.busy).
    """
    require(
        by,
        Permission.MANAGE_WAITING_LIST,
        TransitionRefused(_("Your profession in this unit may not book visits.")),
    )
    if timezone.localdate(starts_at) < episode.referral.received_on:
        raise TransitionRefused(
            _("The visit cannot be booked before the referral was received.")
        )
    doctor = _membership(episode.unit_id, physician, Profession.PHYSICIAN)
    if doctor is None:
        raise TransitionRefused(_("Choose a physician of this unit."), "physician")
    triage = getattr(episode, "triage", None)
    screening = (
        triage.screening_profession
        if triage is not None and kind == Booking.Kind.NEW_VISIT
        else ""
    )
    colleague = (
        _membership(episode.unit_id, second_staff, screening) if screening else None
    )
    if screening and colleague is None:
        raise TransitionRefused(
            _(
                "The triage asks for screening with a %(profession)s: choose one of the unit's."
            )
            % {"profession": str(Profession(screening).label).lower()},
            "second_staff",
        )
    day = timezone.localdate(starts_at)
    require_staff_on([doctor], day, TransitionRefused, field="physician")
    if colleague is not None:
        require_staff_on([colleague], day, TransitionRefused, field="second_staff")
    check_time(
        visit(
            unit_id=episode.unit_id,
            starts_at=starts_at,
            minutes=minutes,
            staff=[
                physician.pk,
                second_staff.pk if screening and second_staff else None,
            ],
            patient_id=episode.patient_id,
        ),
        confirmed=confirmed,
    )
    with transaction.atomic():
        move_episode(
            episode=episode,
            to=State.WAITING_NEW_VISIT,
            by=by,
            note=f"{starts_at:%Y-%m-%d %H:%M}",
        )
        booking = Booking.objects.create(
            episode=episode,
            unit_id=episode.unit_id,
            kind=kind,
            starts_at=starts_at,
            minutes=minutes,
            staff=physician,
            screening_profession=screening,
            second_staff=second_staff if screening else None,
            mode=mode,
            booked_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=booking,
            what="visit booked",
        )
    return booking


def mark_invitation_sent(
    *, by: Membership, booking: Booking, on: date | None = None
) -> Booking:
    """The invitation, registry questionnaires and written information have gone out."""
    on = on or timezone.localdate()
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(invitation_sent_on=on)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[booking.episode.patient_id],
            obj=booking,
            what="invitation sent",
        )
    booking.invitation_sent_on = on
    return booking


def record_absence(
    *, by: Membership, booking: Booking, status: str, on: date | None = None
) -> Booking:
    """A no-show or a cancellation: the booking ends and the patient waits again."""
    on = on or timezone.localdate()
    if status not in {
        Status.NO_SHOW,
        Status.PATIENT_CANCELLATION,
        Status.UNIT_CANCELLATION,
    }:
        raise TransitionRefused(_("Unknown kind of absence."))
    if booking.status != Status.BOOKED:
        raise TransitionRefused(_("The booking is no longer open."))
    if status == Status.NO_SHOW and timezone.now() < booking.starts_at:
        raise TransitionRefused(
            _(
                "The visit has not begun yet: a patient who will not come has cancelled, not failed to attend."
            )
        )
    episode = booking.episode
    with transaction.atomic():
        if status != Status.NO_SHOW:  # a cancelled time is named by no letter
            reschedule_letters(by=by, episode=episode, old=booking.starts_at, new=None)
        changed = Booking.objects.filter(pk=booking.pk, status=Status.BOOKED).update(
            status=status, status_changed_on=on
        )
        if changed != 1:
            raise TransitionRefused(_("The booking is no longer open."))
        if episode.state == State.WAITING_NEW_VISIT:
            move_episode(
                episode=episode, to=State.TRIAGED, by=by, note=str(Status(status).label)
            )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=booking,
            what=f"booking {status}",
        )
    booking.status, booking.status_changed_on = status, on
    return booking


def book_interpreter(
    *,
    by: Membership,
    booking: Booking,
    confirmed: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Record that an interpreter in the patient's language is booked for the
    visit, and later that the interpreter service confirmed it."""
    require(
        by,
        Permission.MANAGE_WAITING_LIST,
        TransitionRefused(_("Your profession in this unit may not book visits.")),
    )
    patient = booking.episode.patient
    if not patient.needs_interpreter:
        raise TransitionRefused(_("The patient needs no interpreter."))
    if booking.status != Status.BOOKED:
        raise TransitionRefused(_("The booking is no longer open."))
    now = now or timezone.now()
    booking.interpreter_language = patient.interpreter_language
    booking.interpreter_booked_by = booking.interpreter_booked_by or by.user
    booking.interpreter_booked_at = booking.interpreter_booked_at or now
    booking.interpreter_confirmed = booking.interpreter_confirmed or confirmed
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(
            interpreter_language=booking.interpreter_language,
            interpreter_booked_by=booking.interpreter_booked_by,
            interpreter_booked_at=booking.interpreter_booked_at,
            interpreter_confirmed=booking.interpreter_confirmed,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[patient.pk],
            obj=booking,
            what="interpreter confirmed" if confirmed else "interpreter booked",
        )
    return booking


def move_booking(
    *,
    by: Membership,
    booking: Booking,
    starts_at: datetime,
    minutes: int,
    expected_version: int,
    confirmed: bool = False,
    now: datetime | None = None,
) -> Booking:
    """Move a booked visit to another time. The move is checked like a new
    booking (the staff's access to the unit must cover the new day), kept as a
    revision, the invitation is due again from the new time, and letters
    naming the old time are redrafted or marked out of date."""
    now = now or timezone.now()
    require(
        by,
        Permission.MANAGE_WAITING_LIST,
        TransitionRefused(_("Your profession in this unit may not book visits.")),
    )
    if booking.status != Status.BOOKED:
        raise TransitionRefused(_("The booking is no longer open."))
    if starts_at <= now:
        raise TransitionRefused(_("Choose a time that has not passed."))
    # The visit's staff go with it: their access must cover the new day.
    require_staff_on(
        Membership.all_periods.filter(
            unit_id=booking.unit_id,
            user__in=[pk for pk in (booking.staff_id, booking.second_staff_id) if pk],
        ).select_related("user"),
        timezone.localdate(starts_at),
        TransitionRefused,
    )
    check_time(
        visit(
            unit_id=booking.unit_id,
            starts_at=starts_at,
            minutes=minutes,
            staff=[booking.staff_id, booking.second_staff_id],
            patient_id=booking.episode.patient_id,
            moving=("Booking", booking.pk),
        ),
        confirmed=confirmed,
    )
    old = booking.starts_at
    booking.starts_at, booking.minutes = starts_at, minutes
    booking.invitation_sent_on = None  # the invitation goes out again
    with transaction.atomic():
        save_versioned(
            booking,
            expected_version=expected_version,
            by=by.user,
            fields=["starts_at", "minutes", "invitation_sent_on"],
        )
        reschedule_letters(by=by, episode=booking.episode, old=old, new=starts_at)
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[booking.episode.patient_id],
            obj=booking,
            what="visit moved",
        )
    return booking


def record_new_visit(
    *,
    by: Membership,
    episode: Episode,
    held_on: date,
    summary: str,
    outcome: str,
    other_action: str = "",
) -> tuple[NewVisitRecord, list[Letter], list[str]]:
    """The physician's record of the visit: the booking is held, the episode moves
    by the outcome, and the first notice to the referrer is drafted."""
    Outcome = NewVisitRecord.Outcome
    require(
        by,
        Permission.RECORD_NEW_VISIT,
        TransitionRefused(_("Only a physician may record the new visit.")),
    )
    if not summary.strip():
        raise TransitionRefused(_("Write the assessment."))
    if outcome == Outcome.OTHER and not other_action.strip():
        raise TransitionRefused(_("Describe the other action."))
    if held_on > timezone.localdate():
        raise TransitionRefused(_("The date cannot be in the future."))
    booking = (
        episode.bookings.filter(status=Status.BOOKED).order_by("starts_at").first()
    )
    if booking is not None and held_on < timezone.localdate(booking.starts_at):
        raise TransitionRefused(
            _("The visit cannot be recorded before its booked day.")
        )
    with transaction.atomic():
        if episode.state == State.WAITING_NEW_VISIT:
            move_episode(episode=episode, to=State.NEW_VISIT, by=by, note=summary)
        if booking is not None:
            Booking.objects.filter(pk=booking.pk).update(
                status=Status.HELD, status_changed_on=held_on
            )
        visit = NewVisitRecord.objects.create(
            episode=episode,
            booking=booking,
            held_on=held_on,
            summary=summary,
            outcome=outcome,
            other_action=other_action,
            recorded_by=by.user,
        )
        if outcome == Outcome.TEAM_INVESTIGATION:
            move_episode(episode=episode, to=State.TEAM_INVESTIGATION, by=by)
        elif outcome == Outcome.DISCHARGE:
            discharge_to_the_referrer(
                by=by,
                episode=episode,
                reason=DischargeReason.NOT_SUITABLE,
                recommendation=summary,
            )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=visit,
            what="new visit recorded",
        )
        drafts = draft_letters_for(
            by=by,
            episode=episode,
            kinds=[LetterKind.FIRST_NOTICE],
            extra={"new_visit": visit},
        )
    return visit, drafts.letters, drafts.problems


def book_investigation_visit(
    *,
    by: Membership,
    episode: Episode,
    starts_at: datetime,
    staff: User,
    profession: str,
    mode: str = Booking.Mode.ON_SITE,
    minutes: int = 60,
    confirmed: bool = False,
) -> Booking:
    """Book one profession's visit of the team investigation (seed 1 §7.1–7.2);
    refused for a staff member whose access to the unit does not cover the
    visit's day, and when the staff member or the patient is already booked
    then."""
    require(
        by,
        Permission.MANAGE_WAITING_LIST,
        TransitionRefused(_("Your profession in this unit may not book visits.")),
    )
    if episode.state not in (State.TEAM_INVESTIGATION, State.ASSESSMENT_CONFERENCE):
        raise TransitionRefused(
            _("Investigation visits are booked during the team investigation.")
        )
    if timezone.localdate(starts_at) < episode.referral.received_on:
        raise TransitionRefused(
            _("The visit cannot be booked before the referral was received.")
        )
    member = _membership(episode.unit_id, staff, profession)
    if member is None:
        raise TransitionRefused(
            _("Choose a staff member of this unit with that profession."), "staff"
        )
    require_staff_on(
        [member], timezone.localdate(starts_at), TransitionRefused, field="staff"
    )
    check_time(
        visit(
            unit_id=episode.unit_id,
            starts_at=starts_at,
            minutes=minutes,
            staff=[staff.pk],
            patient_id=episode.patient_id,
        ),
        confirmed=confirmed,
    )
    with transaction.atomic():
        booking = Booking.objects.create(
            episode=episode,
            unit_id=episode.unit_id,
            kind=Booking.Kind.INVESTIGATION,
            starts_at=starts_at,
            minutes=minutes,
            staff=staff,
            screening_profession=profession,
            mode=mode,
            booked_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=booking,
            what="investigation visit booked",
        )
    return booking
