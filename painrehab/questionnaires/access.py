"""Fetching questionnaire requests and results for a staff member.

The same pattern as `accounts/access.py`, kept beside the models it reads:
an id of another unit is a 404, and every fetch writes an audit row naming
the patient. The views of this app fetch requests and results only here.
"""

from django.shortcuts import get_object_or_404

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.questionnaires.models import QuestionnaireRequest, Result


def get_request_for_user(
    membership: Membership, request_id: int, *, what: str
) -> QuestionnaireRequest:
    """The request if the current unit owns it, else 404; logs the read."""
    found = get_object_or_404(
        QuestionnaireRequest.objects.in_unit(membership.unit_id).select_related(
            "episode__patient", "episode__unit"
        ),
        pk=request_id,
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[found.episode.patient_id],
        obj=found,
        what=what,
    )
    return found


def get_result_for_user(membership: Membership, result_id: int, *, what: str) -> Result:
    """The result if the current unit owns it, else 404; logs the read."""
    found = get_object_or_404(
        Result.objects.in_unit(membership.unit_id).select_related(
            "episode__patient", "recorded_by", "request"
        ),
        pk=result_id,
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[found.episode.patient_id],
        obj=found,
        what=what,
    )
    return found
