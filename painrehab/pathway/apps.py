from django.apps import AppConfig

from painrehab.audit.descriptions import register_choices
from painrehab.core import panels


class PathwayConfig(AppConfig):
    name = "painrehab.pathway"
    label = "pathway"

    def ready(self) -> None:
        from painrehab.pathway.models import AssessmentConference, Booking
        from painrehab.pathway.selectors import patient_episodes
        from painrehab.pathway.states import DischargeReason, State

        # State before the conference's decision, DischargeReason before it too:
        # "group_programme" and "not_suitable" are named as the state and reason.
        register_choices(
            State, DischargeReason, Booking.Status, AssessmentConference.Decision
        )
        # The patient page (patients) shows the patient's care episodes.
        panels.register(
            panels.PATIENT_EPISODES,
            panels.Panel("pathway/_patient_episodes.html", patient_episodes),
        )
