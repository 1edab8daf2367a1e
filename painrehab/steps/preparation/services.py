"""Preparation: the interventions planned before the group programme (seed 1 §8.1)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.pathway.models import (
    Episode,
    PreparatoryIntervention,
    RehabPlan,
)
from painrehab.pathway.states import TransitionRefused
from painrehab.steps.plan.services import Decision, _require


def plan_preparation(
    *,
    by: Membership,
    episode: Episode,
    profession: str,
    kind: str,
    description: str = "",
) -> PreparatoryIntervention:
    """A preparatory intervention before the group programme (programme patients only, seed 1 §8.1)."""
    _require(by, Permission.PLAN_REHABILITATION)
    plan = RehabPlan.objects.filter(episode=episode).first()
    if plan is None or plan.track != Decision.GROUP_PROGRAMME:
        raise TransitionRefused(
            _("Preparatory interventions are for patients going to a group programme.")
        )
    with transaction.atomic():
        item = PreparatoryIntervention.objects.create(
            episode=episode,
            profession=profession,
            kind=kind,
            description=description,
            updated_by=by.user,
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.CREATE,
            patients=[episode.patient_id],
            obj=item,
            what="preparatory intervention",
        )
    return item


def set_preparation_status(
    *, by: Membership, item: PreparatoryIntervention, status: str
) -> PreparatoryIntervention:
    _require(by, Permission.PLAN_REHABILITATION)
    with transaction.atomic():
        PreparatoryIntervention.objects.filter(pk=item.pk).update(
            status=status, updated_by=by.user, updated_at=timezone.now()
        )
        record(
            by=by.user,
            unit=by.unit_id,
            action=Action.UPDATE,
            patients=[item.episode.patient_id],
            obj=item,
            what=f"preparation {status}",
        )
    item.status = status
    return item
