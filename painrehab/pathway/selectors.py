"""Reads of care episodes for screens. Lists name their patients in the audit log."""

from django.db.models import Count, Prefetch, QuerySet

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.pathway.models import Episode, EpisodeTransition
from painrehab.pathway.states import STATE_ORDER, State, transitions_from
from painrehab.patients.models import Patient


def episode_counts(*, membership: Membership) -> list[tuple[State, int]]:
    """Open and closed episodes of the current unit per state, in pathway order.

    Counts only: no patient is shown, so nothing is logged.
    """
    counts = dict(
        Episode.objects.in_unit(membership.unit_id)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return [(state, counts.get(state, 0)) for state in STATE_ORDER]


def episodes_in_state(
    *, membership: Membership, state: State, limit: int = 200
) -> list[Episode]:
    """The unit's episodes in one state, longest waiting first, logged as one read."""
    episodes = list(
        Episode.objects.in_unit(membership.unit_id)
        .filter(state=state)
        .select_related("patient", "referral")
        .order_by("state_since", "pk")[:limit]
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[e.patient_id for e in episodes],
        what=f"episodes in state {state}",
    )
    return episodes


def patient_timeline(*, patient: Patient) -> QuerySet[Episode]:
    """The patient's episodes, newest first, each with its events in order."""
    return (
        Episode.objects.filter(patient=patient)
        .select_related("referral")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=EpisodeTransition.objects.select_related("by").order_by(
                    "at", "id"
                ),
            )
        )
        .order_by("-opened_on", "-pk")
    )


def available_steps(
    *, episode: Episode, membership: Membership
) -> list[dict[str, object]]:
    """The steps the table offers from the episode's state, marked allowed or not."""
    granted = membership.permissions
    return [
        {"transition": t, "allowed": t.permission in granted}
        for t in transitions_from(State(episode.state))
    ]
