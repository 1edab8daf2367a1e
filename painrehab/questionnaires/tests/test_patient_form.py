"""The patient's form by link: second factor, session binding, saving, one submit."""

import io
import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from painrehab.audit.models import AuditEvent
from painrehab.questionnaires import services
from painrehab.questionnaires.models import Answer, QuestionnaireRequest, Result
from painrehab.questionnaires.tests.conftest import full_answers

Status = QuestionnaireRequest.Status


def _open(client, sent, birth="19850101"):  # noqa: ANN001, ANN202
    return client.post(f"/f/{sent.token}/", {"value": birth})


def _page_of(request, code: str) -> int:  # noqa: ANN001
    """The number of the first form page of instrument `code`."""
    from painrehab.questionnaires import selectors

    pages = selectors.form_pages(
        codes=request.codes,
        wordings=selectors.request_wordings(questionnaire_request=request),
    )
    return next(n for n, page in enumerate(pages, start=1) if page.code == code)


def _send_page(request) -> int:  # noqa: ANN001
    from painrehab.questionnaires import selectors

    wordings = selectors.request_wordings(questionnaire_request=request)
    return len(selectors.form_pages(codes=request.codes, wordings=wordings)) + 1


def _key(client) -> dict[str, str]:  # noqa: ANN001
    """The form key the bound session expects with every POST."""
    return {"form_key": client.session["questionnaire_link"]["key"]}


def test_a_get_of_the_link_only_shows_a_page(client, sent):
    response = client.get(f"/f/{sent.token}/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "questionnaire_link" not in client.session
    assert not AuditEvent.objects.filter(what="patient opened questionnaire").exists()


def test_the_page_shows_nothing_stored_about_the_patient(client, sent, patient_a):
    html = client.get(f"/f/{sent.token}/").content.decode()
    for stored in [
        patient_a.first_name,
        patient_a.last_name,
        patient_a.personnummer,
        "1985",
    ]:
        assert stored not in html
    assert "Logga ut" not in html
    assert "Arbetslista" not in html


def test_the_birth_date_binds_the_session_and_redirects_without_the_token(client, sent):
    response = _open(client, sent)
    assert response.status_code == 302
    assert response["Location"] == "/f/svar/"
    assert sent.token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get("/f/svar/")
    assert page.status_code == 200
    assert "Smärtintensitet" in page.content.decode()
    assert AuditEvent.objects.filter(what="patient opened questionnaire").count() == 1


def test_a_wrong_birth_date_is_explained_in_swedish(client, sent):
    response = _open(client, sent, birth="19850102")
    assert response.status_code == 400
    assert "stämmer inte" in response.content.decode()
    response = _open(client, sent, birth="1985-13-01")
    assert "ÅÅÅÅMMDD" in response.content.decode()


def test_after_five_wrong_tries_the_link_is_locked(client, sent):
    for _ in range(5):
        _open(client, sent, birth="19900101")
    response = _open(client, sent)
    assert response.status_code == 400
    assert "15 minuter" in response.content.decode()
    assert "questionnaire_link" not in client.session


def test_the_short_code_page_opens_the_form_with_code_and_birth_date(client, sent):
    response = client.post(
        "/f/kod/", {"code": sent.short_code.lower(), "birth_date": "1985-01-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/f/svar/"


def test_a_wrong_code_is_explained(client, sent):
    response = client.post("/f/kod/", {"code": "ABCDE-FGHJK", "birth_date": "19850101"})
    assert response.status_code == 400
    assert "Ingen enkät har den här koden" in response.content.decode()


def test_a_post_without_the_sessions_form_key_is_refused(client, sent):
    _open(client, sent)
    # htmx swaps only 2xx answers, so the refusal comes as a visible message.
    assert (
        "Inte sparat"
        in client.post("/f/svar/spara/?sida=1", {"a1": "6"}).content.decode()
    )
    wrong = {"a1": "6", "form_key": "guessed"}
    assert "Inte sparat" in client.post("/f/svar/spara/?sida=1", wrong).content.decode()
    assert client.post("/f/svar/skicka/", {"version": 1}).status_code == 403
    assert not Answer.objects.exists()
    assert not Result.objects.exists()


def test_htmx_saves_each_answer_as_it_is_given(client, sent):
    _open(client, sent)
    response = client.post(
        "/f/svar/spara/?sida=1", {"a1": "6"} | _key(client), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Sparad" in response.content.decode()
    assert Answer.objects.get(code="nprs", item=1).value == 6
    bad = client.post(
        "/f/svar/spara/?sida=1", {"a1": "12"} | _key(client), HTTP_HX_REQUEST="true"
    )
    assert "Välj ett av svarsalternativen" in bad.content.decode()
    assert Answer.objects.get(code="nprs", item=1).value == 6


def test_a_number_field_out_of_range_gets_a_clear_message(client, sent):
    _open(client, sent)
    page = _page_of(sent.request, "eq5d5l")
    response = client.post(
        f"/f/svar/?sida={page}", {"a6": "150", "go": "next"} | _key(client)
    )
    assert response.status_code == 400
    assert "heltal från 0 till 100" in response.content.decode()


def test_unanswered_questions_are_marked_and_can_be_skipped(client, sent):
    _open(client, sent)
    page = _page_of(sent.request, "tsk")
    response = client.post(
        f"/f/svar/?sida={page}", {"a1": "2", "go": "next"} | _key(client)
    )
    assert response.status_code == 200
    # TSK's 17 questions are two pages (9 and 8): 8 unanswered on the first.
    assert "8 frågor är inte besvarade" in response.content.decode()
    response = client.post(
        f"/f/svar/?sida={page}", {"a1": "2", "go": "skip"} | _key(client)
    )
    assert response.status_code == 302
    assert Answer.objects.get(code="tsk", item=1).value == 2


def test_answers_survive_a_new_session_on_another_device(
    client, sent, django_user_model
):
    from django.test import Client

    _open(client, sent)
    client.post("/f/svar/spara/?sida=1", {"a1": "7"} | _key(client))
    other = Client()
    assert other.get("/f/svar/").status_code == 403  # not bound: open the link again
    _open(other, sent)
    html = other.get("/f/svar/?sida=1").content.decode()
    assert 'value="7" checked' in html


def test_two_submits_store_one_answer_set_and_say_already_received(client, sent):
    _open(client, sent)
    request = sent.request
    for code in request.codes:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    request.refresh_from_db()
    first = client.post(
        "/f/svar/skicka/",
        {"version": request.version, "confirm_unanswered": "on"} | _key(client),
    )
    second = client.post(
        "/f/svar/skicka/",
        {"version": request.version, "confirm_unanswered": "on"} | _key(client),
    )
    assert first.status_code == 302
    assert second.status_code == 200
    assert "mottagna" in second.content.decode()
    assert Result.objects.filter(request=request).count() == len(request.codes)
    again = client.get(f"/f/{sent.token}/")
    assert "mottagna" in again.content.decode()
    assert "Födelsedatum" not in again.content.decode()


def _end_session(client, how: str) -> None:  # noqa: ANN001
    """The 30-minute idle limit passed: the server's session row is past its
    expiry date, or the browser already dropped the expired cookie."""
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    if how == "server":
        Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    else:
        client.cookies.pop(settings.SESSION_COOKIE_NAME)


@pytest.mark.parametrize("how", ["server", "browser"])
def test_a_session_expiring_mid_form_loses_no_saved_answer(client, sent, how):
    request = sent.request
    tsk = _page_of(request, "tsk")
    _open(client, sent)
    key = _key(client)
    client.post("/f/svar/spara/?sida=1", {"a1": "7"} | key, HTTP_HX_REQUEST="true")
    client.post(f"/f/svar/?sida={tsk}", {"a1": "3", "a2": "2", "go": "skip"} | key)
    _end_session(client, how)

    late_save = client.post(
        "/f/svar/spara/?sida=1", {"a1": "2"} | key, HTTP_HX_REQUEST="true"
    )
    late_page = client.post(f"/f/svar/?sida={tsk}", {"a3": "4", "go": "next"} | key)
    late_submit = client.post(
        "/f/svar/skicka/", {"version": 1, "confirm_unanswered": "on"} | key
    )

    # Each late answer is refused visibly, so the patient knows it was not kept.
    assert "Inte sparat: öppna länken igen" in late_save.content.decode()
    assert late_page.status_code == 403
    assert "Öppna länken igen" in late_page.content.decode()
    assert late_submit.status_code == 403
    stored = set(Answer.objects.values_list("code", "item", "value"))
    assert stored == {("nprs", 1, 7), ("tsk", 1, 3), ("tsk", 2, 2)}
    request.refresh_from_db()
    assert request.status == Status.PARTLY
    assert not Result.objects.exists()

    _open(client, sent)  # the link again, as the page asks
    assert 'value="7" checked' in client.get("/f/svar/?sida=1").content.decode()
    assert 'value="3" checked' in client.get(f"/f/svar/?sida={tsk}").content.decode()
    client.post(f"/f/svar/?sida={tsk}", {"a3": "4", "go": "skip"} | _key(client))
    request.refresh_from_db()
    sent_again = client.post(
        "/f/svar/skicka/",
        {"version": request.version, "confirm_unanswered": "on"} | _key(client),
    )
    assert sent_again.status_code == 302
    assert Result.objects.get(request=request, code="nprs").answers == {"1": 7}
    assert Result.objects.get(request=request, code="tsk").answers == {
        "1": 3,
        "2": 2,
        "3": 4,
    }


def _answered_request(client, sent, items: int):  # noqa: ANN001, ANN202
    """A bound session with `items` answers saved, spread over the package."""
    _open(client, sent)
    request = sent.request
    left = items
    for code in request.codes:
        answers = full_answers(code)
        chosen = dict(list(answers.items())[:left])
        services.save_answers(questionnaire_request=request, code=code, answers=chosen)
        left -= len(chosen)
    assert Answer.objects.filter(request=request).count() == items
    request.refresh_from_db()
    return request


def test_the_submit_view_makes_the_same_number_of_queries_for_2_and_120_answers(
    client,
    coordinator,
    episode_a,
    django_assert_num_queries,
    rehabilitation_started,
    wordings_a,
):
    from django.test import Client

    from painrehab.questionnaires.models import TimePoint

    small = services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    request = _answered_request(client, small, 2)
    data = {"version": request.version, "confirm_unanswered": "on"} | _key(client)
    with CaptureQueriesContext(connection) as at_2:
        assert client.post("/f/svar/skicka/", data).status_code == 302
    # Read now: the next request resets Django's query log.
    queries_at_2 = [q["sql"] for q in at_2.captured_queries]
    large = services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_END
    )
    other = Client()
    request = _answered_request(other, large, 120)
    data = {"version": request.version, "confirm_unanswered": "on"} | _key(other)
    with django_assert_num_queries(len(queries_at_2)):
        assert other.post("/f/svar/skicka/", data).status_code == 302
    assert Result.objects.filter(request=request).count() == len(request.codes)
    assert (
        len(queries_at_2) == 16
    )  # with the check of unanswered items and paper results


def test_an_expired_link_is_explained_kindly(client, sent):
    QuestionnaireRequest.objects.filter(pk=sent.request.pk).update(
        expires_on=sent.request.sent_on - timedelta(days=1)
    )
    response = client.get(f"/f/{sent.token}/")
    assert response.status_code == 410
    assert "ringa" in response.content.decode().lower()


def test_every_patient_write_and_read_is_audited(client, sent, patient_a):
    _open(client, sent)
    client.get("/f/svar/?sida=1")
    client.post("/f/svar/spara/?sida=1", {"a1": "3"} | _key(client))
    request = QuestionnaireRequest.objects.get(pk=sent.request.pk)
    client.post(
        "/f/svar/skicka/",
        {"version": request.version, "confirm_unanswered": "on"} | _key(client),
    )
    whats = list(
        AuditEvent.objects.filter(actor_label="patient (link)")
        .order_by("id")
        .values_list("what", flat=True)
    )
    assert whats[:2] == ["patient opened questionnaire", "patient form page"]
    assert "answers saved nprs" in whats
    assert "questionnaires submitted" in whats
    for event in AuditEvent.objects.filter(actor_label="patient (link)"):
        assert list(event.patients.values_list("patient_id", flat=True)) == [
            patient_a.pk
        ]


@pytest.fixture
def console_output():  # noqa: ANN201
    """What the project's configured console handler writes, captured."""
    root = logging.getLogger()
    handler = next(h for h in root.handlers if type(h) is logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_the_token_never_reaches_the_log(client, sent, console_output):
    bad_token = sent.token[:-4] + "AAAA"
    assert client.get(f"/f/{bad_token}/").status_code == 404
    assert client.post(f"/f/{sent.token}/", {"value": "19000101"}).status_code == 400
    written = console_output.getvalue()
    assert "Not Found: /f/[token]/" in written
    assert bad_token not in written
    assert sent.token not in written


def test_sending_with_unanswered_questions_asks_to_confirm_and_sends_once_confirmed(
    client, sent
):
    _open(client, sent)
    client.post("/f/svar/spara/?sida=1", {"a1": "3"} | _key(client))
    request = QuestionnaireRequest.objects.get(pk=sent.request.pk)
    summary = client.get(f"/f/svar/?sida={_send_page(request)}").content.decode()
    assert "frågor är inte besvarade; listan ovan visar var." in summary
    first = client.post("/f/svar/skicka/", {"version": request.version} | _key(client))
    assert first.status_code == 400
    assert "kryssa i rutan för att skicka de svar du har gett" in first.content.decode()
    assert not Result.objects.filter(request=request).exists()
    confirmed = client.post(
        "/f/svar/skicka/",
        {"version": request.version, "confirm_unanswered": "on"} | _key(client),
    )
    assert confirmed.status_code == 302
    assert Result.objects.filter(request=request).count() == len(request.codes)


def test_a_form_with_nothing_answered_is_not_sent_from_the_page(client, sent):
    _open(client, sent)
    request = QuestionnaireRequest.objects.get(pk=sent.request.pk)
    response = client.post(
        "/f/svar/skicka/",
        {"version": request.version, "confirm_unanswered": "on"} | _key(client),
    )
    assert response.status_code == 400
    assert "Svara på minst en fråga innan du skickar." in response.content.decode()
    assert not Result.objects.filter(request=request).exists()


def test_a_version_or_page_no_request_can_have_is_refused_without_an_error(
    client, sent
):
    _open(client, sent)
    request = sent.request
    for code in request.codes:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    for version in ["9" * 30, "1" * 5000, "-3", "en"]:
        response = client.post(
            "/f/svar/skicka/",
            {"version": version, "confirm_unanswered": "on"} | _key(client),
        )
        assert response.status_code < 500, version[:40]
    assert not Result.objects.filter(request=request).exists()
    for sida in ["9" * 30, "1" * 5000, "-3", "en"]:
        assert client.get("/f/svar/", {"sida": sida}).status_code == 200
