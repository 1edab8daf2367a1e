"""The kind of sick leave and its degree agree (no database)."""

import pytest

from painrehab.pathway.sick_leave import sick_leave_problem


@pytest.mark.parametrize(
    ("kind", "percent"),
    [
        ("fully", 100),
        ("partly", 25),
        ("partly", 50),
        ("partly", 75),
        ("none", 0),
        *[(kind, None) for kind in ("fully", "partly", "none", "unknown")],
    ],
)
def test_a_degree_that_fits_the_kind_is_accepted(kind, percent):  # noqa: ANN001
    assert sick_leave_problem(kind=kind, percent=percent) is None


@pytest.mark.parametrize(
    ("kind", "percent", "field"),
    [
        ("fully", 50, "sick_leave_percent"),
        ("fully", 0, "sick_leave_percent"),
        ("partly", 100, "sick_leave_percent"),
        ("partly", 0, "sick_leave_percent"),
        ("partly", 40, "sick_leave_percent"),
        ("none", 50, "sick_leave_percent"),
        ("unknown", 50, "sick_leave"),
        ("", 50, "sick_leave"),
    ],
)
def test_a_degree_that_contradicts_the_kind_is_refused_at_its_field(  # noqa: ANN201
    kind,
    percent,
    field,  # noqa: ANN001
):
    problem = sick_leave_problem(kind=kind, percent=percent)
    assert problem is not None
    assert problem[0] == field
