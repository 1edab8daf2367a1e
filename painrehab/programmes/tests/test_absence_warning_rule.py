"""When the written warning before a discharge for absence is due (seed 1
§12): over the threshold, nothing attended since, not warned, not discharged."""

from datetime import date

import pytest

from painrehab.programmes.rules import AbsenceRate, AbsenceWarning, absence_warning

MISSED = date(2027, 4, 14)
OVER = AbsenceRate(present=3, absent=2)  # 40 % missed
AT = AbsenceRate(present=4, absent=1)  # 20 %: at the threshold, not over


def _rule(**changes):  # noqa: ANN003, ANN202
    facts = {
        "rate": OVER,
        "threshold_percent": 20,
        "last_missed_on": MISSED,
        "last_present_on": date(2027, 4, 7),
        "warned": False,
        "discharged": False,
    }
    return absence_warning(**{**facts, **changes})


def test_due_when_over_the_threshold_and_absent_since():
    assert _rule() == AbsenceWarning.DUE
    assert _rule(last_present_on=None) == AbsenceWarning.DUE
    assert _rule(last_present_on=MISSED) == AbsenceWarning.DUE  # same day: not since


@pytest.mark.parametrize(
    ("changes", "decision"),
    [
        ({"rate": AT}, AbsenceWarning.NOT_OVER_THRESHOLD),
        ({"rate": AbsenceRate()}, AbsenceWarning.NOT_OVER_THRESHOLD),
        ({"last_missed_on": None}, AbsenceWarning.NOT_OVER_THRESHOLD),
        ({"last_present_on": date(2027, 4, 15)}, AbsenceWarning.ATTENDED_SINCE),
        ({"warned": True}, AbsenceWarning.ALREADY_WARNED),
        ({"discharged": True, "warned": True}, AbsenceWarning.DISCHARGED),
    ],
)
def test_not_due(changes, decision):  # noqa: ANN001
    assert _rule(**changes) == decision
