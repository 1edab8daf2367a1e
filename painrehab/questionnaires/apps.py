from collections.abc import Callable, Mapping

from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "painrehab.questionnaires"
    label = "questionnaires"

    def ready(self) -> None:
        from painrehab.core import panels
        from painrehab.questionnaires import panels as parts

        shown: list[tuple[str, str, Callable[..., Mapping[str, object] | None]]] = [
            (panels.EPISODE_PAGE, "_episode_panel_body", parts.episode_questionnaires),
            (panels.PATIENT_PAGE, "_results", parts.patient_results),
            (panels.WORKLIST, "_outstanding_summary", parts.outstanding),
        ]
        for page, template, values in shown:
            panels.register(
                page, panels.Panel(f"questionnaires/{template}.html", values, 10)
            )
