"""The questionnaire parts of other apps' pages (see core.panels): the values
are computed here, from the page's own inputs, and the templates only show them."""

from datetime import date
from typing import Any

from painrehab.accounts.access import may
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission
from painrehab.pathway.models import Episode
from painrehab.patients.models import Patient
from painrehab.questionnaires import catalogue, selectors
from painrehab.questionnaires.scoring import definition


def patient_results(*, membership: Membership, patient: Patient, **_: Any) -> dict:
    """Every scored instrument of the patient, with bands and charts."""
    return {
        "panels": selectors.results_panel(membership=membership, patient=patient),
        "title_level": "h2",
    }


def episode_questionnaires(
    *, membership: Membership, episode: Episode, today: date, **_: Any
) -> dict:
    """The episode's requests and results, and what this member may send or rate."""
    return {
        "episode": episode,
        "requests": selectors.episode_requests(membership=membership, episode=episode),
        "panels": selectors.results_panel(
            membership=membership, patient=episode.patient, episode=episode
        ),
        "today": today,
        "may_send": may(membership, catalogue.SEND_PERMISSIONS) and episode.is_open,
        "ratings": [
            (code, definition(code).title)
            for code, needed in catalogue.STAFF_RATED.items()
            if may(membership, needed)
        ],
    }


def outstanding(*, membership: Membership, today: date, **_: Any) -> dict | None:
    """The unit's outstanding questionnaires, for those who keep the waiting lists."""
    if not may(membership, Permission.MANAGE_WAITING_LIST):
        return None
    return {"counts": selectors.outstanding_counts(membership=membership, today=today)}
