"""How the §10.3 intervention rate reads on a page or in a note: every count
through ngettext, so one day is "1 dag" and two are "2 dagar". Pure."""

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painrehab.programmes.rules import InterventionRate


def rate_sentence(rate: InterventionRate, *, booked: int = 0) -> str:
    """The interventions held, the days counted, the pace per month and, when
    some are booked, how many more: one sentence ending in a full stop."""
    held = ngettext(
        "%(n)s intervention held", "%(n)s interventions held", rate.interventions
    ) % {"n": rate.interventions}
    days = ngettext("%(n)s day", "%(n)s days", rate.days) % {"n": rate.days}
    sentence = _("%(held)s in %(days)s (%(pace)s a month)") % {
        "held": held,
        "days": days,
        "pace": floatformat(rate.per_month, 1),  # rounded, in the language's form
    }
    if not booked:
        return _("%(sentence)s.") % {"sentence": sentence}
    more = ngettext("%(n)s more is booked", "%(n)s more are booked", booked) % {
        "n": booked
    }
    return _("%(sentence)s; %(more)s.") % {"sentence": sentence, "more": more}
