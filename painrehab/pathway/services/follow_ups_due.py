"""The due follow-up rows (`FollowUpDue`) kept in line with what changes them.

The services that change what is due call these in their own transaction:
moving an episode into, out of or on from follow-up (`move_episode`, which
also discharges), recording a follow-up or taking a group one back
(`services.follow_up.mark_follow_up_due`), and changing a KRT cohort's participants or theory
sessions (`programmes.services`), which moves the day KRT's follow-ups
count from. The rows are the rule's (`pathway.follow_ups_due`), built from
the same plain values the follow-up page reads.
"""

from collections.abc import Iterable

from django.db import transaction

from painrehab.accounts.models import CareUnit
from painrehab.core.windows import krt_follow_up_reference
from painrehab.pathway import hooks
from painrehab.pathway.follow_ups_due import due_follow_ups
from painrehab.pathway.models import (
    Episode,
    EpisodeTransition,
    FollowUpDue,
    FollowUpRecord,
)
from painrehab.pathway.services.follow_up import track_for
from painrehab.pathway.states import State

CHUNK = 2000  # episodes read and written at a time


def refresh_follow_ups_due(episode_ids: Iterable[int]) -> int:
    """Rewrite the due follow-up rows of these episodes from their state,
    schedule and records; returns how many rows they now have. A handful of
    queries per 2,000 episodes."""
    ids = list(episode_ids)
    return sum(_refresh(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK))


def refresh_all_follow_ups_due() -> int:
    """Rewrite the rows of every episode in follow-up or discharged (a data
    migration, a loaded demo clinic)."""
    ids = Episode.objects.filter(
        state__in=[State.FOLLOW_UP, State.DISCHARGED]
    ).values_list("pk", flat=True)
    return refresh_follow_ups_due(ids.order_by("pk").iterator(chunk_size=CHUNK))


def _refresh(ids: list[int]) -> int:
    rows = list(
        Episode.objects.filter(
            pk__in=ids, state__in=[State.FOLLOW_UP, State.DISCHARGED]
        ).values_list(
            "pk", "unit_id", "patient_id", "state", "closed_on", "unit__kind",
            "plan__track",
        )
    )  # fmt: skip
    wanted = [row[0] for row in rows]
    ended = EpisodeTransition.objects.last_entered(wanted, State.FOLLOW_UP)
    krt = [row[0] for row in rows if row[5] == CareUnit.Kind.PRIMARY_CARE]
    theory = _last_theory_sessions(krt)
    recorded = dict(
        ((episode_id, key), outcome)
        for episode_id, key, outcome in FollowUpRecord.objects.filter(
            episode_id__in=wanted
        ).values_list("episode_id", "item_key", "outcome")
    )
    due: list[FollowUpDue] = []
    for episode_id, unit_id, patient_id, state, closed_on, kind, plan_track in rows:
        ended_on = ended.get(episode_id)
        reference_on = ended_on
        if kind == CareUnit.Kind.PRIMARY_CARE:
            reference_on = krt_follow_up_reference(
                last_theory_session_on=theory.get(episode_id),
                rehabilitation_ended_on=ended_on,
            )
        items = due_follow_ups(
            state=state,
            track=track_for(unit_kind=kind, plan_track=plan_track),
            reference_on=reference_on,
            ended_on=ended_on,
            closed_on=closed_on,
        )
        due.extend(
            FollowUpDue(
                episode_id=episode_id,
                unit_id=unit_id,
                patient_id=patient_id,
                item_key=item.key,
                role=item.role,
                opens_on=item.opens_on,
                closes_on=item.closes_on,
                listed_from=item.listed_from,
                listed_until=item.listed_until,
                outcome=recorded.get((episode_id, item.key), ""),
            )
            for item in items
        )
    with transaction.atomic():
        FollowUpDue.objects.filter(episode_id__in=ids).delete()
        FollowUpDue.objects.bulk_create(due, batch_size=CHUNK)
    return len(due)


def _last_theory_sessions(episode_ids: list[int]) -> dict:
    return hooks.last_theory_sessions(episode_ids)
