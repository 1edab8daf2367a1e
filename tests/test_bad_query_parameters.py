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
    ("outbox:day", {}, ["day", "state"]),
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


def test_a_day_the_outbox_cannot_show_gives_todays_list_and_says_so(
    client_for, coordinator, today
):
    response = client_for(coordinator).get(reverse("outbox:day"), {"day": "9999-12-31"})
    assert response.status_code == 200
    assert response.context["day"] == today
    assert f'value="{today.isoformat()}"' in response.content.decode()
    assert _warnings(response) == [
        "Valet ”Dag” kunde inte användas: Fyll i ett datum mellan år 1900 och 2999."
    ]


@pytest.mark.parametrize("value", GARBAGE)
def test_a_follow_up_the_schedule_lacks_chooses_none_and_says_so(
    client_for, coordinator, episode_a, value
):
    response = client_for(coordinator).get(
        reverse("pathway:follow_up", kwargs={"episode_id": episode_a.pk}),
        {"punkt": value},
    )
    assert response.status_code == 200
    assert response.context["chosen"] == ""
    assert response.context["form"] is not None  # the page still opens
    if value:
        [warning] = _warnings(response)
        assert warning.startswith("Valet ”Uppföljning” kunde inte användas")


@pytest.fixture
def sent_forms(coordinator, episode_a):  # noqa: ANN001, ANN201
    from painrehab.questionnaires.sample_wording import install_sample_wordings
    from painrehab.questionnaires.services import send_package

    install_sample_wordings(unit=episode_a.unit, user=coordinator.user)
    return send_package(by=coordinator, episode=episode_a, time_point="registry_before")


@pytest.mark.parametrize("value", [*GARBAGE, "madrs"])
def test_an_instrument_the_page_is_not_for_is_not_found(
    client_for, physician, episode_a, sent_forms, value
):
    """The paper entry takes the request's instruments, the staff rating the
    staff-rated ones; anything else names no page."""
    client = client_for(physician)
    paper = reverse(
        "questionnaires:paper_entry", kwargs={"request_id": sent_forms.request.pk}
    )
    rating = reverse("questionnaires:staff_rating", kwargs={"episode_id": episode_a.pk})
    assert client.get(paper, {"instrument": value}).status_code == 404
    if value != "madrs":
        assert client.get(rating, {"instrument": value}).status_code == 404
    assert client.get(paper, {"instrument": "hads"}).status_code == 200
    assert client.get(rating, {"instrument": "madrs"}).status_code == 200


@pytest.mark.parametrize("value", GARBAGE)
def test_a_bad_answer_from_the_e_id_broker_is_refused_not_a_server_error(
    client, db, value
):
    response = client.get(
        reverse("patient_form:eid_return"),
        {"state": value, "code": value, "error": value},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("value", ["access_denied", "x" * 5000, "ä", ""])
def test_the_sign_on_providers_error_is_kept_short_in_the_refusal(rf, value):
    from painrehab.accounts.sso import refusal_of

    refusal = refusal_of(rf.get("/sso/callback/", {"error": value}))
    if value:
        assert refusal.reason.startswith(f"provider answered {value[:10]}")
        assert len(refusal.reason) <= 120
    else:
        assert refusal.reason == "no valid answer from the provider"
