"""What the Django side needs to know about the instruments beyond their scoring.

Data only: the shipped packages per time point, which instruments staff rate,
which permissions may rate them, how each flag reads, what a chart plots.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import CareUnit
from painrehab.accounts.permissions import Permission
from painrehab.questionnaires.definitions.schema import Definition
from painrehab.questionnaires.models import TimePoint

# The registry's self-rating forms (seed 1 §7.2: physiotherapist's and
# psychologist's instruments) at each of its three time points (seed 1 §2, §11).
REGISTRY_CODES = [
    "nprs",
    "tsk",
    "cpaq8",
    "eq5d5l",
    "hads",
    "isi",
    "lisat11",
    "mpi_s",
    "pcs",
    "wai",
]
# KRT outcome measures (seed 2): Linton's questionnaire, HAD, MADRS and the
# well-being form before, after and 3 months after. By post the patient fills
# in the self-rated MADRS-S; the clinician's MADRS is entered by staff.
KRT_CODES = ["ompsq", "hads", "madrs_s", "who5"]

SHIPPED_PACKAGES: dict[str, dict[str, list[str]]] = {
    CareUnit.Kind.SPECIALIST: {
        TimePoint.REGISTRY_BEFORE: REGISTRY_CODES,
        TimePoint.REGISTRY_END: REGISTRY_CODES,
        TimePoint.REGISTRY_12_MONTHS: REGISTRY_CODES,
    },
    CareUnit.Kind.PRIMARY_CARE: {
        TimePoint.KRT_BEFORE: KRT_CODES,
        TimePoint.KRT_AFTER: KRT_CODES,
        TimePoint.KRT_3_MONTHS: KRT_CODES,
    },
}

# Instruments a clinician rates (not sent to the patient), and who may rate them.
STAFF_RATED: dict[str, frozenset[Permission]] = {
    "madrs": frozenset({Permission.RECORD_INVESTIGATION}),
    "borg_rpe": frozenset(
        {Permission.RECORD_INVESTIGATION, Permission.RUN_PROGRAMME}
    ),  # rated during training (seed 1 §9.3)
}

# Who may send packages and type in paper forms.
SEND_PERMISSIONS = frozenset(
    {Permission.MANAGE_WAITING_LIST, Permission.RECORD_INVESTIGATION}
)

FLAG_LABELS: dict[str, Promise] = {
    "hads_anxiety_case": _("HADS anxiety ≥ 11"),
    "hads_depression_case": _("HADS depression ≥ 11"),
    "hads_anxiety_prorated": _("HADS anxiety prorated (one item missing)"),
    "hads_depression_prorated": _("HADS depression prorated (one item missing)"),
    "madrs_above_krt_threshold": _("MADRS above 28 (KRT exclusion)"),
    "madrs_s_above_krt_threshold": _("MADRS-S above 28 (KRT exclusion)"),
    "who5_likely_depression": _("WHO-5 ≤ 28 %: screen for depression"),
    "eq5d_vas_missing": _("EQ VAS not answered"),
}
# Flags that only say how a score was computed, not that it is high.
INFORMATIVE_FLAGS = frozenset(
    {"hads_anxiety_prorated", "hads_depression_prorated", "eq5d_vas_missing"}
)

# The series a chart plots: (key in the result, label, range). A total where the
# manual has one; HADS its two subscales; EQ-5D the EQ VAS.
CHART_SERIES_OVERRIDES: dict[str, list[tuple[str, str, tuple[float, float]]]] = {
    "eq5d5l": [("vas", "EQ VAS", (0, 100))],
    "lisat11": [],
    "mpi_s": [],
}


def chart_series(definition: Definition) -> list[tuple[str, str, tuple[float, float]]]:
    """What to plot for an instrument: `("total", …)`, its subscales, or nothing."""
    if definition.code in CHART_SERIES_OVERRIDES:
        return CHART_SERIES_OVERRIDES[definition.code]
    if definition.total_range is not None:
        return [("total", str(_("Total")), definition.total_range)]
    return [(s.key, s.label, s.score_range) for s in definition.subscales]


def thresholds(definition: Definition) -> list[tuple[str, float]]:
    """Flag thresholds to draw on a chart: (series key, value)."""
    return [(rule.target, rule.threshold) for rule in definition.flags]


# Who owns each licensed wording, for the administrator who imports it. Only
# what the sources establish (shared/instruments.md §17); where no holder is
# known the note says so.
_UNKNOWN_HOLDER = _(
    "No rights holder has been established; check the terms before you import a wording."
)
LICENCE_NOTES: dict[str, Promise] = {
    "tsk": _UNKNOWN_HOLDER,
    "cpaq8": _UNKNOWN_HOLDER,
    "eq5d5l": _(
        "The wording belongs to the EuroQol Research Foundation; use needs its written consent."
    ),
    "hads": _("The wording belongs to GL Assessment; use needs a licence and fees."),
    "isi": _(
        "The wording belongs to Charles M. Morin and is licensed through Mapi Research Trust."
    ),
    "mpi_s": _UNKNOWN_HOLDER,
    "pcs": _(
        "The wording belongs to Michael Sullivan; free for clinical use, commercial use needs permission."
    ),
    "wai": _(
        "The wording belongs to the Finnish Institute of Occupational Health; check its terms."
    ),
    "obq11": _UNKNOWN_HOLDER,
    "ompsq": _(
        "The wording belongs to Steven J. Linton; free for clinical use, keep the copyright line."
    ),
    "ompsq_short": _(
        "The wording belongs to Steven J. Linton; free for clinical use, keep the copyright line."
    ),
    "madrs": _(
        "The wording belongs to the Royal College of Psychiatrists; use needs its permission."
    ),
    "madrs_s": _UNKNOWN_HOLDER,
    "borg_rpe": _(
        "The wording belongs to BorgPerception AB; use needs a licence and a fee."
    ),
    "who5": _(
        "The wording belongs to the World Health Organization (CC BY-NC-SA 3.0 IGO): non-commercial use with attribution."
    ),
}


def licence_note(code: str) -> str:
    return str(LICENCE_NOTES.get(code, _UNKNOWN_HOLDER))
