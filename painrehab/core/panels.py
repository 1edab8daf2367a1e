"""Panels: parts of a page that belong to another app.

The episode page (pathway), the patient page (patients) and the worklist show
parts of higher apps: questionnaires and the programme card. The app that
owns a part registers a `Panel` for the page (in its AppConfig.ready), and
the page's view computes and renders the panels with `render_panels`, so the
template gets plain HTML and no template tag reads the database or applies a
rule. A panel's `values` takes the page's inputs as keywords and returns the
panel template's context, or None when the panel is not shown.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

EPISODE_PAGE = "episode page"  # inputs: membership, episode, today
PATIENT_PAGE = "patient page"  # inputs: membership, patient
PATIENT_EPISODES = "patient episodes"  # inputs: patient; the care episodes card
WORKLIST = "worklist"  # inputs: membership, today


@dataclass(frozen=True)
class Panel:
    template: str
    values: Callable[..., Mapping[str, object] | None]
    order: int = 0  # lower first on the page


_PANELS: dict[str, list[Panel]] = {}


def register(page: str, panel: Panel) -> None:
    """Show `panel` on `page` (once, however often an app is made ready)."""
    panels = _PANELS.setdefault(page, [])
    if panel not in panels:
        panels.append(panel)
        panels.sort(key=lambda p: p.order)


def render_panels(
    page: str, request: HttpRequest, **inputs: object
) -> list[SafeString]:
    """The panels of `page` as HTML, in their order; hidden panels left out."""
    shown = []
    for panel in _PANELS.get(page, []):
        values = panel.values(**inputs)
        if values is not None:
            shown.append(render_to_string(panel.template, values, request=request))
    return shown
