"""What each profession may do: the one table of the system.

Views, services and the state machine ask `has_permission(...)`; nothing else
decides by profession. A unit administrator flag adds the administrative
permissions on top of whatever the profession gives.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    COORDINATOR_NURSE = "coordinator_nurse", _("Coordinator nurse")
    REHAB_COORDINATOR = "rehab_coordinator", _("Rehab coordinator")
    SPORTS_LEADER = "sports_leader", _("Sports leader")
    SECRETARY = "secretary", _("Secretary")


class Permission(StrEnum):
    VIEW_PATIENT = "view_patient"
    REGISTER_PATIENT = "register_patient"
    EDIT_PATIENT = "edit_patient"
    REGISTER_REFERRAL = "register_referral"
    TRIAGE = "triage"
    MANAGE_WAITING_LIST = "manage_waiting_list"
    RECORD_NEW_VISIT = "record_new_visit"
    RECORD_INVESTIGATION = "record_investigation"
    HOLD_CONFERENCE = "hold_conference"
    PLAN_REHABILITATION = "plan_rehabilitation"
    RUN_PROGRAMME = "run_programme"
    RECORD_FOLLOW_UP = "record_follow_up"
    DISCHARGE = "discharge"
    WRITE_LETTERS = "write_letters"
    REVIEW_AUDIT_LOG = "review_audit_log"
    MANAGE_UNIT = "manage_unit"


P = Permission
_CLINICIAN = {
    P.VIEW_PATIENT,
    P.RECORD_INVESTIGATION,
    P.HOLD_CONFERENCE,
    P.PLAN_REHABILITATION,
    P.RUN_PROGRAMME,
    P.RECORD_FOLLOW_UP,
    P.WRITE_LETTERS,
}

PROFESSION_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Profession.PHYSICIAN: frozenset(
        _CLINICIAN | {P.TRIAGE, P.RECORD_NEW_VISIT, P.DISCHARGE, P.EDIT_PATIENT}
    ),
    Profession.PSYCHOLOGIST: frozenset(_CLINICIAN),
    Profession.PHYSIOTHERAPIST: frozenset(_CLINICIAN),
    Profession.OCCUPATIONAL_THERAPIST: frozenset(_CLINICIAN),
    Profession.SOCIAL_WORKER: frozenset(_CLINICIAN),
    Profession.COORDINATOR_NURSE: frozenset(
        _CLINICIAN
        | {
            P.REGISTER_PATIENT,
            P.EDIT_PATIENT,
            P.REGISTER_REFERRAL,
            P.MANAGE_WAITING_LIST,
            P.DISCHARGE,
        }
    ),
    Profession.REHAB_COORDINATOR: frozenset(_CLINICIAN),
    Profession.SPORTS_LEADER: frozenset({P.VIEW_PATIENT, P.RUN_PROGRAMME}),
    Profession.SECRETARY: frozenset(
        {
            P.VIEW_PATIENT,
            P.REGISTER_PATIENT,
            P.EDIT_PATIENT,
            P.REGISTER_REFERRAL,
            P.MANAGE_WAITING_LIST,
            P.WRITE_LETTERS,
        }
    ),
}

ADMINISTRATOR_PERMISSIONS = frozenset({P.REVIEW_AUDIT_LOG, P.MANAGE_UNIT})


def permissions_for(*, profession: str, is_unit_admin: bool) -> frozenset[Permission]:
    """All permissions of one membership: the profession's row plus admin rights."""
    granted = PROFESSION_PERMISSIONS[profession]
    if is_unit_admin:
        granted = granted | ADMINISTRATOR_PERMISSIONS
    return granted
