"""The answers to a questionnaire are read by a form built from the
instrument's items: an answer out of range or not a number gets a message in
Swedish beside its question and stays as typed; the valid answers are saved;
the buttons and the session's key are read by forms too. Never a server error."""

import pytest
from django.urls import reverse

from painrehab.questionnaires.forms import AnswersForm
from painrehab.questionnaires.models import Answer, Result
from painrehab.questionnaires.selectors import ItemView
from painrehab.questionnaires.tests.conftest import full_answers

NOT_AN_OPTION = ["abc", "-1", "11", "5.5", "9" * 30, "1" * 5000, "ä", "1e1"]
NOT_IN_RANGE = ["abc", "-1", "101", "50.5", "9" * 30, "1" * 5000, "ä", "1e1"]


@pytest.mark.parametrize("value", NOT_AN_OPTION)
def test_an_answer_that_is_no_option_gets_a_message_and_keeps_the_others(value):
    form = AnswersForm({"a1": value, "a2": "0"}, code="hads")
    assert not form.is_valid()
    assert form.problems() == {1: "Välj ett av svarsalternativen."}
    assert form.answers() == {2: 0}


@pytest.mark.parametrize("value", NOT_IN_RANGE)
def test_a_number_out_of_range_gets_the_range_in_words(value):
    form = AnswersForm({"a6": value, "a1": "2"}, code="eq5d5l")
    assert form.problems() == {6: "Skriv ett heltal från 0 till 100."}
    assert form.answers() == {1: 2}
    items = [ItemView(number=6, text="", options=[], widget="number")]
    form.show_on(items)
    assert (items[0].value, items[0].error) == (
        value.strip(),
        "Skriv ett heltal från 0 till 100.",
    )


def test_free_text_is_kept_up_to_its_limit():
    form = AnswersForm({"a1": " Ont i ryggen ", "a2": "x" * 201}, code="ompsq")
    assert form.answers() == {1: "Ont i ryggen"}
    assert form.problems() == {2: "Svaret är för långt (högst 200 tecken)."}


def test_empty_and_missing_answers_are_unanswered_not_wrong():
    form = AnswersForm({"a1": "  ", "a99": "3"}, code="nprs")
    assert form.is_valid()
    assert form.answers() == {}


def _open(client, sent) -> dict[str, str]:  # noqa: ANN001
    """The form opened with the birth date; the form key its posts carry."""
    assert client.post(f"/f/{sent.token}/", {"value": "19850101"}).status_code == 302
    return {"form_key": client.session["questionnaire_link"]["key"]}


def _page_of(request, code: str) -> int:  # noqa: ANN001
    from painrehab.questionnaires import selectors

    pages = selectors.form_pages(
        codes=request.codes,
        wordings=selectors.request_wordings(questionnaire_request=request),
    )
    return next(n for n, page in enumerate(pages, start=1) if page.code == code)


@pytest.mark.parametrize("value", NOT_IN_RANGE)
def test_the_patients_number_out_of_range_is_shown_again_and_the_rest_saved(
    client, sent, value
):
    key = _open(client, sent)
    page = _page_of(sent.request, "eq5d5l")
    response = client.post(
        f"/f/svar/?sida={page}", {"a1": "2", "a6": value, "go": "next"} | key
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv ett heltal från 0 till 100." in html
    if len(value) < 100 and value.isascii():  # shown as typed (escaped)
        assert f'value="{value}"' in html
    assert Answer.objects.get(code="eq5d5l", item=1).value == 2
    assert not Answer.objects.filter(code="eq5d5l", item=6).exists()


@pytest.mark.parametrize("value", NOT_AN_OPTION)
def test_the_patients_answer_that_is_no_option_is_not_saved_by_htmx(
    client, sent, value
):
    key = _open(client, sent)
    response = client.post(
        "/f/svar/spara/?sida=1", {"a1": value} | key, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Välj ett av svarsalternativen." in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.parametrize("go", ["", "Back", "ä", "1" * 5000, None])
def test_an_unknown_button_on_the_patients_page_is_next(client, sent, go):
    key = _open(client, sent)
    data = {"a1": "4"} | key | ({} if go is None else {"go": go})
    response = client.post("/f/svar/?sida=1", data)
    assert response.status_code == 302
    assert response["Location"] == "/f/svar/?sida=2"
    back = client.post("/f/svar/?sida=2", {"go": "back"} | key)
    assert back["Location"] == "/f/svar/?sida=1"


@pytest.mark.parametrize("form_key", ["ä", "ä" * 5000, "\u202e", ""])
def test_a_form_key_in_other_letters_is_refused_not_a_server_error(
    client, sent, form_key
):
    _open(client, sent)
    response = client.post("/f/svar/?sida=1", {"a1": "4", "form_key": form_key})
    assert response.status_code == 403
    saved = client.post(
        "/f/svar/spara/?sida=1", {"a1": "4"}, HTTP_X_FORM_KEY="ÿ" * 40
    )  # a header is read as Latin-1: letters outside ASCII come through
    assert saved.status_code == 200
    assert not Answer.objects.exists()


@pytest.mark.parametrize("confirm", ["", "off", "false", "0"])
def test_sending_with_unanswered_questions_needs_the_box_ticked(client, sent, confirm):
    from painrehab.questionnaires import services

    key = _open(client, sent)
    request = sent.request
    services.save_answers(
        questionnaire_request=request, code="nprs", answers=full_answers("nprs")
    )
    request.refresh_from_db()
    data = {"version": request.version, "confirm_unanswered": confirm} | key
    response = client.post("/f/svar/skicka/", data)
    assert response.status_code == 400
    assert not Result.objects.exists()
    data["confirm_unanswered"] = "on"
    assert client.post("/f/svar/skicka/", data).status_code == 302
    assert Result.objects.filter(request=request).exists()


@pytest.mark.parametrize("value", NOT_AN_OPTION)
def test_a_paper_answer_that_is_no_option_stores_nothing_and_keeps_the_rest(
    client_for, secretary, sent, today, value
):
    url = reverse("questionnaires:paper_entry", kwargs={"request_id": sent.request.pk})
    typed = {f"a{n}": "2" for n in range(2, 15)} | {"answered_on": today}
    response = client_for(secretary).post(
        f"{url}?instrument=hads", typed | {"a1": value}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Välj ett av svarsalternativen." in html
    assert 'name="a2" value="2" checked' in html  # the other answers stay
    assert not Result.objects.exists()


@pytest.mark.parametrize("value", NOT_AN_OPTION)
def test_a_staff_rating_that_is_no_option_stores_nothing(
    client_for, physician, episode_a, today, value
):
    url = reverse("questionnaires:staff_rating", kwargs={"episode_id": episode_a.pk})
    typed = {f"a{n}": "3" for n in range(2, 11)} | {
        "answered_on": today,
        "time_point": "krt_before",
    }
    response = client_for(physician).post(
        f"{url}?instrument=madrs", typed | {"a1": value}
    )
    assert response.status_code == 400
    assert "Välj ett av svarsalternativen." in response.content.decode()
    assert not Result.objects.exists()
