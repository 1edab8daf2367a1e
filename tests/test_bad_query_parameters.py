"""Pages read the choices in their address with small forms: a value that is
not valid gives the page's usual choice and a message in Swedish, never a
server error (the fuzz run's regressions were all of this kind)."""

import pytest
from django.urls import reverse

GARBAGE = ["abc", "-1", "0", "9" * 30, "1" * 5000, "2026-13-45", "ä\x00", ""]

PAGES = [
    ("home", {}, ["page"]),
    ("patients:search", {}, ["page", "q"]),
    ("pathway:waiting_list", {"step": "new_visit"}, ["page", "sort", "status"]),
    ("pathway:waiting_list", {"step": "rehabilitation"}, ["page", "sort", "status"]),
    ("pathway:accessibility", {}, ["year", "month"]),
    ("pathway:agenda", {}, ["vecka"]),
    ("audit:review", {}, ["page", "start", "end", "user", "patient"]),
    ("analytics:statistics", {}, ["year", "from", "to", "format"]),
    (
        "analytics:outcomes",
        {},
        ["year", "series", "track", "cohort", "template", "format", "table"],
    ),
    ("analytics:cost", {}, ["year", "format"]),
    ("analytics:forecast", {}, ["format"]),
    ("analytics:registry_export", {}, ["time_point", "pseudonymise", "format"]),
]


@pytest.mark.parametrize(("name", "kwargs", "params"), PAGES)
def test_no_bad_value_in_the_address_gives_a_server_error(
    client_for, coordinator, name, kwargs, params
):
    client = client_for(coordinator)
    url = reverse(name, kwargs=kwargs)
    for param in params:
        for value in GARBAGE:
            response = client.get(url, {param: value})
            assert response.status_code < 500, (param, value[:40])


def _warnings(response) -> list[str]:  # noqa: ANN001
    return [str(m) for m in response.context["messages"]]


def test_a_page_number_that_is_not_a_number_shows_the_first_page_and_says_so(
    client_for, coordinator
):
    response = client_for(coordinator).get(reverse("patients:search"), {"page": "två"})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert _warnings(response) == [
        "Valet ”Sida” kunde inte användas: Fyll i ett heltal."
    ]


def test_a_date_that_is_not_a_date_shows_this_week_and_says_so(
    client_for, coordinator, today
):
    from painrehab.core.dates import week_monday

    response = client_for(coordinator).get(
        reverse("pathway:agenda"), {"vecka": "2026-13-45"}
    )
    assert response.status_code == 200
    assert response.context["week_of"] == week_monday(today)  # the clock held
    assert _warnings(response) == [
        "Valet ”Vecka” kunde inte användas: Fyll i ett giltigt datum."
    ]


def test_an_unknown_filter_is_left_out_and_said_so(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("pathway:waiting_list", kwargs={"step": "new_visit"}),
        {"status": "bortglömd", "sort": "name"},
    )
    assert response.status_code == 200
    assert response.context["status"] == ""  # every status
    assert response.context["sort"] == "name"  # the valid choice is kept
    [warning] = _warnings(response)
    assert warning.startswith("Valet ”Status” kunde inte användas: Välj ett giltigt")


def test_an_unknown_track_on_the_outcome_page_is_left_out_and_said_so(
    client_for, coordinator
):
    response = client_for(coordinator).get(
        reverse("analytics:outcomes"), {"track": "x" * 5000, "year": "1850"}
    )
    assert response.status_code == 200
    assert response.context["filters"].track == ""
    assert response.context["filters"].year is None
    warnings = _warnings(response)
    assert len(warnings) == 2
    assert all(len(w) < 300 for w in warnings)  # what was typed is cut short


def test_good_values_give_no_warning(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("pathway:accessibility"), {"year": "2025", "month": "3"}
    )
    assert response.context["first"].isoformat() == "2025-03-01"
    assert _warnings(response) == []
