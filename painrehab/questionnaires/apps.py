from collections.abc import Callable, Mapping

from django.apps import AppConfig

from painrehab.audit.descriptions import register_choices, register_words
from painrehab.core import panels
from painrehab.pathway import hooks


class QuestionnairesConfig(AppConfig):
    name = "painrehab.questionnaires"
    label = "questionnaires"

    def ready(self) -> None:
        from painrehab.questionnaires import panels as parts
        from painrehab.questionnaires.models import TimePoint
        from painrehab.questionnaires.scoring import instrument_title
        from painrehab.questionnaires.services import close_requests_at_discharge

        register_words(instrument_title)
        register_choices(TimePoint)

        shown: list[tuple[str, str, Callable[..., Mapping[str, object] | None]]] = [
            (panels.EPISODE_PAGE, "_episode_panel_body", parts.episode_questionnaires),
            (panels.PATIENT_PAGE, "_results", parts.patient_results),
            (panels.WORKLIST, "_outstanding_summary", parts.outstanding),
        ]
        for page, template, values in shown:
            panels.register(
                page, panels.Panel(f"questionnaires/{template}.html", values, 10)
            )
        # Closing an episode closes its unanswered requests, in the same transaction.
        hooks.register(hooks.ON_CLOSING, close_requests_at_discharge)
