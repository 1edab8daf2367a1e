from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from painrehab.audit.descriptions import register_choices
from painrehab.core import panels
from painrehab.pathway import hooks


class ProgrammesConfig(AppConfig):
    name = "painrehab.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        # Modules that define or read models load once the registry is ready.
        from painrehab.pathway import busy
        from painrehab.programmes import busy_sources
        from painrehab.programmes.models import Appointment
        from painrehab.programmes.selectors import (
            last_theory_sessions,
            rehabilitation_card,
        )

        register_choices(Appointment.Status)
        panels.register(
            panels.EPISODE_PAGE,
            panels.Panel("programmes/_episode_card.html", rehabilitation_card, 20),
        )
        for source in (busy_sources.appointments_taken, busy_sources.sessions_taken):
            if source not in busy.SOURCES:
                busy.SOURCES.append(source)
        if busy_sources.staff_away not in busy.AVAILABILITY:
            busy.AVAILABILITY.append(busy_sources.staff_away)
        # A KRT episode's follow-ups count from its cohort's last theory session.
        hooks.register(hooks.LAST_THEORY_SESSIONS, last_theory_sessions)
