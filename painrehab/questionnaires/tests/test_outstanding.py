from datetime import date

from painrehab.audit.models import AuditEvent
from painrehab.questionnaires import services
from painrehab.questionnaires.models import QuestionnaireRequest
from painrehab.questionnaires.tests.test_patient_form import full_answers
from painrehab.steps.discharge.services import discharge_episode


def _discharge(by, episode) -> None:  # noqa: ANN001
    discharge_episode(by=by, episode=episode, reason="patient_choice",
                      taken_over_by="Vårdcentralen Exempel", recommendation="Fortsatt träning")  # fmt: skip


def test_discharge_closes_the_unanswered_forms_and_they_leave_the_worklist(
    client_for, coordinator, physician, sent
):
    QuestionnaireRequest.objects.filter(pk=sent.request.pk).update(
        status=QuestionnaireRequest.Status.EXPIRED, expires_on=date(2026, 2, 1)
    )
    client = client_for(coordinator)
    before = client.get("/").content.decode()
    assert "<strong>1</strong> försenade" in before
    assert f"/formular/utskick/{sent.request.pk}/" in before
    _discharge(physician, sent.request.episode)
    request = QuestionnaireRequest.objects.get(pk=sent.request.pk)
    assert request.status == QuestionnaireRequest.Status.CLOSED
    assert AuditEvent.objects.filter(
        what="1 questionnaire requests closed at discharge"
    ).exists()
    after = client.get("/").content.decode()
    assert "<strong>0</strong> försenade" in after
    assert f"/formular/utskick/{sent.request.pk}/" not in after
    assert not QuestionnaireRequest.objects.outstanding().exists()
    listing = client.get("/formular/utestaende/").content.decode()
    assert "Andersson, Anna" not in listing
    detail = client.get(f"/formular/utskick/{sent.request.pk}/").content.decode()
    assert "Stängt vid utskrivningen" in detail
    assert "Ny länk och kod" not in detail
    assert "Försenad" not in detail


def test_discharge_keeps_submitted_answers_and_the_closed_link_takes_no_more(
    client, coordinator, physician, sent, episode_a, rehabilitation_started
):
    first = sent.request.codes[0]
    services.save_answers(
        questionnaire_request=sent.request, code=first, answers=full_answers(first)
    )
    submitted = services.send_package(
        by=coordinator, episode=episode_a, time_point="registry_end"
    )
    for code in submitted.request.codes:
        services.save_answers(
            questionnaire_request=submitted.request,
            code=code,
            answers=full_answers(code),
        )
    submitted.request.refresh_from_db()
    assert services.submit_request(
        questionnaire_request=submitted.request,
        expected_version=submitted.request.version,
    )
    _discharge(physician, episode_a)
    statuses = dict(
        QuestionnaireRequest.objects.values_list("pk", "status").order_by("pk")
    )
    assert statuses == {sent.request.pk: "closed", submitted.request.pk: "submitted"}
    first = sent.request.codes[0]
    assert sent.request.answers.count() == len(full_answers(first))  # kept
    page = client.get(f"/f/{sent.token}/")
    assert page.status_code == 410
    assert "Din vård hos mottagningen är avslutad" in page.content.decode()
    assert "Födelsedatum" not in page.content.decode()
