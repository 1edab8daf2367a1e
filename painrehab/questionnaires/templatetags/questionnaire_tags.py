"""Panels of the questionnaire app inside pages of other apps.

Each host page includes one `questionnaires/_*.html` file, which calls a tag
here; the tag reads the page's own context (the patient or episode that the
page's access helper fetched and logged, and the current membership), so the
host views need no change.
"""

from typing import Any

from django import template
from django.utils import timezone

from painrehab.questionnaires import catalogue, selectors
from painrehab.questionnaires.scoring import definition

register = template.Library()


def _membership(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "membership", None)


@register.inclusion_tag("questionnaires/_results.html", takes_context=True)
def patient_questionnaire_results(context: template.Context) -> dict[str, Any]:
    membership = _membership(context)
    patient = context.get("patient")
    if membership is None or patient is None:
        return {"panels": []}
    return {
        "panels": selectors.results_panel(membership=membership, patient=patient),
        "title_level": "h2",
    }


@register.inclusion_tag("questionnaires/_episode_panel_body.html", takes_context=True)
def episode_questionnaires(context: template.Context) -> dict[str, Any]:
    membership = _membership(context)
    episode = context.get("episode")
    if membership is None or episode is None:
        return {}
    granted = membership.permissions
    return {
        "episode": episode,
        "requests": selectors.episode_requests(membership=membership, episode=episode),
        "panels": selectors.results_panel(
            membership=membership, patient=episode.patient, episode=episode
        ),
        "today": timezone.localdate(),
        "may_send": bool(catalogue.SEND_PERMISSIONS & granted) and episode.is_open,
        "ratings": [
            (code, definition(code).title)
            for code, needed in catalogue.STAFF_RATED.items()
            if needed & granted
        ],
    }


@register.inclusion_tag("questionnaires/_outstanding_summary.html", takes_context=True)
def outstanding_questionnaires(context: template.Context) -> dict[str, Any]:
    membership = _membership(context)
    if membership is None:
        return {"counts": None}
    return {
        "counts": selectors.outstanding_counts(
            membership=membership, today=timezone.localdate()
        )
    }
