"""The follow-ups due of a KRT cohort's participants (pathway's rows)."""

from painrehab.accounts.models import CareUnit
from painrehab.pathway.services.follow_ups_due import refresh_follow_ups_due
from painrehab.pathway.states import State
from painrehab.programmes.models import CohortParticipant


def refresh_cohort_follow_ups_due(cohort_id: int) -> None:
    """Rewrite the rows of a KRT cohort's participants in follow-up: their
    follow-ups count from the end of the cohort's training month."""
    ids = CohortParticipant.objects.filter(
        cohort_id=cohort_id,
        episode__state=State.FOLLOW_UP,
        episode__unit__kind=CareUnit.Kind.PRIMARY_CARE,
    ).values_list("episode_id", flat=True)
    refresh_follow_ups_due(ids)
