"""Team investigation: each profession's record, the unit's record templates
and the visits held (seed 1 §7.2)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.access import require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.history import save_versioned, write_revision
from painrehab.pathway.investigation_fields import DEFAULT_FIELDS
from painrehab.pathway.models import (
    Booking,
    Episode,
    InvestigationRecord,
    InvestigationTemplate,
)
from painrehab.pathway.services.transitions import ensure_open
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.investigation.rules import may_mark_held


def investigation_fields(
    *, unit_id: int, profession: str
) -> tuple[str, list[dict[str, str]]]:
    """The unit's current fields for a profession's record (version label, fields)."""
    saved = (
        InvestigationTemplate.objects.filter(unit_id=unit_id, profession=profession)
        .order_by("-version")
        .first()
    )
    if saved is not None:
        return f"v{saved.version}", saved.fields
    return "standard", DEFAULT_FIELDS.get(
        profession, [{"key": "assessment", "label": "Bedömning"}]
    )


def save_investigation_template(
    *, by: Membership, profession: str, labels: list[str]
) -> InvestigationTemplate:
    """A new version of a profession's record fields (unit administrator)."""
    require(
        by,
        Permission.MANAGE_UNIT,
        TransitionRefused(
            _("Only the unit administrator may change record templates.")
        ),
    )
    fields = [
        {"key": f"field_{i}", "label": label.strip()}
        for i, label in enumerate(labels, 1)
        if label.strip()
    ]
    with transaction.atomic():
        version = (
            InvestigationTemplate.objects.filter(
                unit_id=by.unit_id, profession=profession
            ).count()
            + 1
        )
        template = InvestigationTemplate.objects.create(
            unit_id=by.unit_id,
            profession=profession,
            version=version,
            fields=fields,
            saved_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            obj=template,
            what="investigation template",
        )
    return template


def save_investigation_record(
    *,
    by: Membership,
    episode: Episode,
    values: dict[str, str],
    expected_version: int | None,
) -> InvestigationRecord:
    """Write or change the member's own profession's record; versioned, never overwritten silently."""
    require(
        by,
        Permission.RECORD_INVESTIGATION,
        TransitionRefused(
            _("Your profession in this unit may not record investigation findings.")
        ),
    )
    ensure_open(episode)
    existing = InvestigationRecord.objects.filter(
        episode=episode, profession=by.profession
    ).first()
    if existing is None and not any(str(v).strip() for v in values.values()):
        # An empty first version says nothing: nothing is stored.
        raise TransitionRefused(_("Write something in the note."))
    with transaction.atomic():
        if existing is None:
            version_label, fields = investigation_fields(
                unit_id=episode.unit_id, profession=by.profession
            )
            keys = {f["key"] for f in fields}
            saved = InvestigationRecord.objects.create(
                episode=episode,
                profession=by.profession,
                template_version=version_label,
                fields=fields,
                values={k: v for k, v in values.items() if k in keys},
                author=by.user,
            )
            write_revision(saved, by=by.user)
            action = Action.CREATE
        else:
            keys = {f["key"] for f in existing.fields}
            existing.values = {k: v for k, v in values.items() if k in keys}
            existing.author = by.user
            save_versioned(
                existing,
                expected_version=expected_version or 0,
                by=by.user,
                fields=["values", "author"],
            )
            saved, action = existing, Action.UPDATE
        record(
            by=by.user,
            unit=by.unit_id,
            action=action,
            patients=[episode.patient_id],
            obj=saved,
            what="investigation record",
        )
    return saved


def mark_visit_held(
    *, by: Membership, booking: Booking, on: date | None = None
) -> Booking:
    """The investigation visit took place: the clinic marks it held, on its
    day or later, while the episode is open."""
    require(
        by,
        Permission.MANAGE_WAITING_LIST,
        TransitionRefused(_("Your profession in this unit may not book visits.")),
    )
    on = on or timezone.localdate()
    episode = booking.episode
    ensure_open(episode)
    if booking.kind != Booking.Kind.INVESTIGATION:
        raise TransitionRefused(
            _("A new or return visit is marked held when its record is written.")
        )
    if booking.status != Booking.Status.BOOKED:
        raise TransitionRefused(_("The booking is no longer open."))
    visit_on = timezone.localdate(booking.starts_at)
    if not may_mark_held(
        kind=booking.kind, status=booking.status, visit_on=visit_on, today=on
    ):
        raise TransitionRefused(
            _("The visit has not taken place yet: it can be marked held from its day.")
        )
    with transaction.atomic():
        changed = Booking.objects.filter(
            pk=booking.pk, status=Booking.Status.BOOKED
        ).update(status=Booking.Status.HELD, status_changed_on=on)
        if changed != 1:
            raise TransitionRefused(_("The booking is no longer open."))
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[episode.patient_id],
            obj=booking,
            what="investigation visit held",
        )
    booking.status, booking.status_changed_on = Booking.Status.HELD, on
    return booking
