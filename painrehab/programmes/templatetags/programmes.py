"""`{% rehabilitation_card episode %}`: the episode page's programme card
(cohort place and absence, or individual interventions and the §10.3 check)."""

from typing import Any

from django import template
from django.utils import timezone

from painrehab.pathway.models import Episode
from painrehab.pathway.states import State
from painrehab.programmes.rules import AbsenceRate, over_absence_threshold
from painrehab.programmes.selectors import absence_rates, individual_summary

register = template.Library()


@register.inclusion_tag("programmes/_episode_card.html")
def rehabilitation_card(episode: Episode) -> dict[str, Any]:
    """Shown on the episode page, whose view already logged the read."""
    places = list(
        episode.cohort_places.select_related("cohort__template").order_by("-pk")
    )
    rates = absence_rates(p.pk for p in places)
    rows = []
    for place in places:
        rate = rates.get(place.pk, AbsenceRate())
        threshold = place.cohort.template.absence_threshold_percent
        rows.append(
            {
                "participant": place,
                "rate": rate,
                "flagged": over_absence_threshold(rate, threshold_percent=threshold),
            }
        )
    summary = individual_summary(episode=episode, today=timezone.localdate())
    show_individual = (
        episode.state == State.INDIVIDUAL_REHABILITATION
        or summary.rate is not None
        or bool(summary.appointments)
    )
    return {
        "episode": episode,
        "places": rows,
        "summary": summary,
        "show_individual": show_individual,
    }
