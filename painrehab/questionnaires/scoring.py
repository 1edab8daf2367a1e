"""The one public entry point for scoring questionnaires.

    from painrehab.questionnaires.scoring import score
    result = score("hads", {1: 2, 2: 1, ...})

`answers` maps item numbers (from 1, in the order of the published form) to
the value the chosen option carries on the form or scoring key, before any
reversal, or to None for an unanswered item (instruments.md, conventions).

Every instrument is registered below by hand: its definition (data, in
`definitions/`) and its scorer (the generic sum, or a small function in
`scorers/`). There is no auto-discovery.
"""

from collections.abc import Callable

from painrehab.questionnaires.definitions import (
    borg_rpe,
    cpaq8,
    eq5d5l,
    hads,
    isi,
    lisat11,
    madrs,
    madrs_s,
    mpi_s,
    nprs,
    obq11,
    ompsq,
    ompsq_short,
    pcs,
    tsk,
    wai,
    who5,
)
from painrehab.questionnaires.definitions.schema import Definition
from painrehab.questionnaires.scorers.engine import Answers, ScoreResult, score_sum
from painrehab.questionnaires.scorers.eq5d import score_eq5d5l
from painrehab.questionnaires.scorers.hads import score_hads
from painrehab.questionnaires.scorers.lisat11 import score_lisat11
from painrehab.questionnaires.scorers.mpi_s import score_mpi_s
from painrehab.questionnaires.scorers.wai import score_wai
from painrehab.questionnaires.scorers.who5 import score_who5

__all__ = ["CODES", "ScoreResult", "definition", "score", "score_with"]

Scorer = Callable[[Definition, Answers], ScoreResult]

# In the order of shared/instruments.md.
REGISTRY: dict[str, tuple[Definition, Scorer]] = {
    "nprs": (nprs.DEFINITION, score_sum),
    "tsk": (tsk.DEFINITION, score_sum),
    "cpaq8": (cpaq8.DEFINITION, score_sum),
    "eq5d5l": (eq5d5l.DEFINITION, score_eq5d5l),
    "hads": (hads.DEFINITION, score_hads),
    "isi": (isi.DEFINITION, score_sum),
    "lisat11": (lisat11.DEFINITION, score_lisat11),
    "mpi_s": (mpi_s.DEFINITION, score_mpi_s),
    "pcs": (pcs.DEFINITION, score_sum),
    "wai": (wai.DEFINITION, score_wai),
    "obq11": (obq11.DEFINITION, score_sum),
    "ompsq": (ompsq.DEFINITION, score_sum),
    "ompsq_short": (ompsq_short.DEFINITION, score_sum),
    "madrs": (madrs.DEFINITION, score_sum),
    "madrs_s": (madrs_s.DEFINITION, score_sum),
    "borg_rpe": (borg_rpe.DEFINITION, score_sum),
    "who5": (who5.DEFINITION, score_who5),
}

CODES: tuple[str, ...] = tuple(REGISTRY)


def _registered(code: str) -> tuple[Definition, Scorer]:
    try:
        return REGISTRY[code]
    except KeyError:
        raise ValueError(
            f"unknown questionnaire code {code!r}; known: {', '.join(CODES)}"
        ) from None


def score(code: str, answers: Answers) -> ScoreResult:
    """Score one answer set with the registered definition of `code`.

    Guarantees: a value outside an item's options, or an unknown item number,
    raises ValueError naming the item; too many unanswered items give
    `valid=False` with a `reason` and no total, never a number that looks
    real; the result carries the definition `version` that produced it.
    Raises ValueError for an unknown code.
    """
    registered_definition, scorer = _registered(code)
    return scorer(registered_definition, answers)


def score_with(definition_: Definition, answers: Answers) -> ScoreResult:
    """Score with a unit-configured variant of a registered instrument.

    For definitions built by a definition module's `build(...)`: CPAQ-8 in
    another item order, HADS with another proration setting, Borg RPE with
    half values. Same guarantees as `score`.
    """
    _, scorer = _registered(definition_.code)
    return scorer(definition_, answers)


def definition(code: str) -> Definition:
    """The registered definition of `code`; ValueError for an unknown code."""
    return _registered(code)[0]


def instrument_title(code: str) -> str | None:
    """The instrument's title for a registered code, else None (the log's words)."""
    return REGISTRY[code][0].title if code in REGISTRY else None
