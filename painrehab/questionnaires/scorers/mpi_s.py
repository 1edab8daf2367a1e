"""MPI-S scorer: validates answers, computes nothing until the key is in hand.

Policy and sources are in definitions/mpi_s.py.
"""

from painrehab.questionnaires.definitions.mpi_s import NOT_CONFIGURED_REASON, SCALES
from painrehab.questionnaires.definitions.schema import Definition
from painrehab.questionnaires.scorers.engine import Answers, ScoreResult, read_answers


def score_mpi_s(definition: Definition, answers: Answers) -> ScoreResult:
    """Always `valid=False` with "scoring key not configured".

    Answers are still checked (ValueError for a value outside 0-6), so that
    collected data are clean when a key is configured. Every scale is None.
    """
    scored, _ = read_answers(definition, answers)
    return ScoreResult(
        code=definition.code,
        version=definition.version,
        total=None,
        subscales=dict.fromkeys(SCALES),
        band="",
        valid=False,
        reason=NOT_CONFIGURED_REASON,
        item_scores=scored,
    )
