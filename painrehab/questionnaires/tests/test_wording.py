"""Licensed wording: the file is read and checked against the definition,
previewed, put in use, fixed on each request when sent and recorded on each
answer set; a package without wording is not sent; the patient's form shows
answer texts (never scores) on pages of at most 15 questions and resumes at
the first unanswered page."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape

from painrehab.audit.models import AuditEvent
from painrehab.questionnaires import selectors, services, wording
from painrehab.questionnaires.catalogue import KRT_CODES, REGISTRY_CODES
from painrehab.questionnaires.models import (
    Answer,
    LicensedWording,
    QuestionnaireRequest,
    Result,
    TimePoint,
)
from painrehab.questionnaires.sample_wording import sample_yaml
from painrehab.questionnaires.scoring import CODES, definition
from painrehab.questionnaires.tests.conftest import full_answers
from painrehab.questionnaires.wording import Wording, WordingItem

SAMPLE = Path(__file__).parent / "samples" / "hads_exempel.yaml"
HADS = definition("hads")


def _problems(text: str, code: str = "hads") -> list[str]:
    with pytest.raises(wording.WordingRefused) as refused:
        wording.read_wording(text.encode(), instrument=definition(code))
    return refused.value.messages


# --- Reading and checking the file (no database) ------------------------------------


def _item(checked: Wording, number: int) -> WordingItem:
    found = checked.item(number)
    assert found is not None
    return found


def test_the_sample_file_is_read_with_every_question_and_answer_in_paper_order():
    checked = wording.read_wording(SAMPLE.read_bytes(), instrument=HADS)
    assert checked.label == "Exempelversion 2026, påhittad text"
    assert checked.instructions.startswith("Exempelinstruktion för testerna.")
    assert [i.number for i in checked.items] == list(range(1, 15))
    first = _item(checked, 1)
    assert first.intro == "Exempelavsnitt ett"
    assert [value for value, _label in first.options] == [3, 2, 1, 0]
    assert dict(first.options)[0] == "Exempelsvar aldrig"
    assert [value for value, _label in _item(checked, 2).options] == [0, 1, 2, 3]


@pytest.mark.parametrize("code", [c for c in CODES if definition(c).licensed_text])
def test_a_complete_file_is_accepted_for_every_licensed_instrument(code):
    checked = wording.read_wording(
        sample_yaml(code).encode(), instrument=definition(code)
    )
    assert len(checked.items) == len(definition(code).items)


def test_a_missing_answer_text_names_the_question_the_line_and_the_value():
    text = SAMPLE.read_text().replace(
        '      - {value: 1, label: "Exempelsvar ibland"}\n', ""
    )
    [problem] = _problems(text)
    assert problem.startswith("Fråga 1 (rad 10): ")
    assert "svarsalternativet med värdet 1 saknas" in problem


def test_a_value_the_question_does_not_have_is_named_with_the_values_it_has():
    text = SAMPLE.read_text().replace(
        '{value: 0, label: "Exempelsvar aldrig"}', '{value: 4, label: "Fyra"}'
    )
    problems = _problems(text)
    assert any(
        "värdet ”4” finns inte bland svaren på frågan; den har 0, 1, 2, 3" in p
        and p.startswith("Fråga 1 (rad 17): ")
        for p in problems
    ), problems


def test_missing_and_misordered_questions_are_named():
    lines = sample_yaml("isi").splitlines()
    # drop question 7 (its block is the last 13 lines: item, text, options, 5 x 2)
    without_seven = "\n".join(lines[:-13]) + "\n"
    assert _problems(without_seven, "isi") == [
        "Fråga 7 saknas; texten måste ha med alla frågor."
    ]
    swapped = sample_yaml("isi").replace("item: 2\n", "item: 9\n")
    assert any("”9” är inget frågenummer" in p for p in _problems(swapped, "isi"))
    twice = sample_yaml("isi").replace("item: 3\n", "item: 2\n")
    assert any(
        "frågorna ska stå i pappersformulärets ordning" in p
        for p in _problems(twice, "isi")
    )


def test_a_file_for_another_instrument_or_unreadable_yaml_is_explained():
    problems = _problems(sample_yaml("isi"), "hads")
    assert f"inte en text till {HADS.name_sv}" in problems[0]
    [broken] = _problems("instrument: hads\nitems:\n  - item: 1\n   text: x: y\n")
    assert broken.startswith("Rad 4: ")
    with pytest.raises(wording.WordingRefused) as refused:
        wording.read_wording("instrument: hads, å".encode("latin-1"), instrument=HADS)
    assert "UTF-8" in refused.value.messages[0]


def test_yes_and_no_stay_text_and_unknown_entries_are_named():
    text = SAMPLE.read_text().replace('label: "Exempelsvar ofta"', "label: yes")
    checked = wording.read_wording(text.encode(), instrument=HADS)
    assert dict(_item(checked, 1).options)[2] == "yes"
    typo = SAMPLE.read_text().replace('label: "Exempelsvar ofta"', 'lable: "x"')
    problems = _problems(typo)
    assert any("okänd uppgift ”lable”" in p for p in problems)


def test_a_number_question_takes_end_point_texts_not_options():
    checked = wording.read_wording(
        sample_yaml("eq5d5l").encode(), instrument=definition("eq5d5l")
    )
    assert _item(checked, 6).options == (
        (0, "Lägsta exempelvärde"),
        (100, "Högsta exempelvärde"),
    )
    wrong = sample_yaml("eq5d5l").replace("    anchors:", "    options:")
    assert any(
        "besvaras med en siffra (0–100)" in p for p in _problems(wrong, "eq5d5l")
    )


def test_the_template_has_every_question_and_value_and_asks_only_for_texts():
    template = wording.template_yaml(HADS)
    problems = _problems(template)
    assert problems
    assert all("texten saknas" in p for p in problems)
    # 1 version name + 14 questions + 56 answers, capped at the message limit
    assert len(problems) == wording.MAX_MESSAGES


@pytest.mark.parametrize("count", [1, 14, 15, 16, 17, 25, 52, 120])
def test_pages_hold_at_most_15_items_and_split_evenly(count):
    pages = wording.split_pages(count)
    assert [i for page in pages for i in page] == list(range(count))
    assert max(len(p) for p in pages) <= 15
    assert max(len(p) for p in pages) - min(len(p) for p in pages) <= 1


def test_no_page_of_any_package_has_more_than_15_questions():
    texts = {
        code: wording.read_wording(
            sample_yaml(code).encode(), instrument=definition(code)
        )
        for code in CODES
        if definition(code).licensed_text
    }
    pages = selectors.form_pages(codes=list(CODES), wordings=texts)
    assert max(len(p.numbers) for p in pages) <= 15
    mpi = [p for p in pages if p.code == "mpi_s"]
    assert [len(p.numbers) for p in mpi] == [13, 13, 13, 13]
    assert all(p.parts == 4 for p in mpi)
    assert set(REGISTRY_CODES) | set(KRT_CODES) <= {p.code for p in pages}


# --- Import, preview, activation ---------------------------------------------------


def test_an_import_is_a_preview_until_activated_and_activation_retires_the_old(
    coordinator, physician
):
    first = services.import_wording(
        by=coordinator, code="hads", data=SAMPLE.read_bytes()
    )
    assert first.status == LicensedWording.Status.PREVIEW
    assert first.number == 1
    assert services.missing_wordings(unit_id=coordinator.unit_id, codes=["hads"]) == [
        "hads"
    ]
    services.activate_wording(by=coordinator, licensed_wording=first)
    assert services.missing_wordings(unit_id=coordinator.unit_id, codes=["hads"]) == []
    second = services.import_wording(
        by=coordinator, code="hads", data=sample_yaml("hads", version="Andra").encode()
    )
    assert second.number == 2
    services.activate_wording(by=coordinator, licensed_wording=second)
    first.refresh_from_db()
    assert first.status == LicensedWording.Status.RETIRED
    whats = list(AuditEvent.objects.values_list("what", flat=True))
    assert "licensed wording imported hads version 1" in whats
    assert "licensed wording activated hads version 2" in whats
    with pytest.raises(services.QuestionnaireRefused):
        services.import_wording(by=physician, code="hads", data=SAMPLE.read_bytes())
    with pytest.raises(services.QuestionnaireRefused):
        services.import_wording(by=coordinator, code="nprs", data=b"instrument: nprs")
    with pytest.raises(services.QuestionnaireRefused):
        services.activate_wording(by=physician, licensed_wording=first)


def test_a_file_with_problems_stores_nothing(coordinator):
    with pytest.raises(wording.WordingRefused):
        services.import_wording(by=coordinator, code="hads", data=b"instrument: hads\n")
    assert not LicensedWording.objects.exists()


# --- Sending ------------------------------------------------------------------------


def test_sending_without_wording_is_refused_naming_the_instruments_in_swedish(
    coordinator, episode_a
):
    services.import_wording(by=coordinator, code="hads", data=SAMPLE.read_bytes())
    with pytest.raises(services.QuestionnaireRefused) as refused:
        services.send_package(
            by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
        )
    message = refused.value.message
    for code in ["tsk", "cpaq8", "eq5d5l", "hads", "isi", "mpi_s", "pcs", "wai"]:
        assert definition(code).name_sv in message
    for free in ["nprs", "lisat11"]:
        assert definition(free).name_sv not in message
    assert "tsk" not in message
    assert "mpi_s" not in message
    assert not QuestionnaireRequest.objects.exists()


def test_the_send_page_refuses_and_names_the_instruments(
    client_for, coordinator, episode_a
):
    client = client_for(coordinator)
    page = client.get(f"/formular/vardforlopp/{episode_a.pk}/skicka/").content.decode()
    assert escape(HADS.name_sv) in page
    response = client.post(
        f"/formular/vardforlopp/{episode_a.pk}/skicka/",
        {"time_point": TimePoint.REGISTRY_BEFORE},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "inte inlästa" in html
    assert escape(definition("eq5d5l").name_sv) in html
    assert not QuestionnaireRequest.objects.exists()


def test_a_sent_request_keeps_its_wording_and_each_answer_set_records_it(
    coordinator, episode_a, wordings_a, client_for
):
    sent = services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    request = sent.request
    assert request.wordings["hads"] == wordings_a["hads"]
    assert "nprs" not in request.wordings
    # A new version activated after sending does not change the sent form.
    newer = services.import_wording(
        by=coordinator, code="hads", data=SAMPLE.read_bytes()
    )
    services.activate_wording(by=coordinator, licensed_wording=newer)
    shown = selectors.request_wordings(questionnaire_request=request)["hads"]
    assert shown.label == "Exempelversion 1"
    for code in ["hads", "nprs"]:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    request.refresh_from_db()
    assert services.submit_request(
        questionnaire_request=request, expected_version=request.version
    )
    hads = Result.objects.get(request=request, code="hads")
    assert hads.wording_id == wordings_a["hads"]
    assert Result.objects.get(request=request, code="nprs").wording_id is None
    html = (
        client_for(coordinator).get(f"/formular/resultat/{hads.pk}/").content.decode()
    )
    assert "Exempelversion 1 (enhetens version 1, inläst" in html
    assert "Exempelsvar A" in html  # the answers as worded, not the scores
    nprs = Result.objects.get(request=request, code="nprs")
    html = (
        client_for(coordinator).get(f"/formular/resultat/{nprs.pk}/").content.decode()
    )
    assert "Texten som följer med systemet." in html


# --- The patient's form ---------------------------------------------------------------


def _open_form(sent) -> Client:  # noqa: ANN001
    patient = Client()
    patient.post(f"/f/{sent.token}/", {"value": "19850101"})
    return patient


def _page_of(request, code: str) -> int:  # noqa: ANN001
    pages = selectors.form_pages(
        codes=request.codes,
        wordings=selectors.request_wordings(questionnaire_request=request),
    )
    return next(n for n, p in enumerate(pages, start=1) if p.code == code)


def test_the_imported_sample_shows_its_labels_on_the_patients_form(
    client_for, coordinator, episode_a, wordings_a
):
    admin = client_for(coordinator)
    LicensedWording.objects.filter(code="hads").delete()
    with SAMPLE.open("rb") as upload:
        response = admin.post("/formular/licensierad-text/hads/", {"file": upload})
    row = LicensedWording.objects.get(code="hads")
    assert response.status_code == 302
    assert response["Location"] == f"/formular/licensierad-text/version/{row.pk}/"
    preview = admin.get(response["Location"]).content.decode()
    assert "Exempelsvar hela tiden" in preview
    assert "Ta i bruk" in preview
    admin.post(response["Location"])
    sent = services.send_package(
        by=coordinator, episode=episode_a, time_point=TimePoint.REGISTRY_BEFORE
    )
    patient = _open_form(sent)
    html = patient.get(
        f"/f/svar/?sida={_page_of(sent.request, 'hads')}"
    ).content.decode()
    assert "Exempelinstruktion för testerna." in html
    assert "Exempelavsnitt ett" in html
    assert "Exempelfråga 1: jag känner mig som en testmening" in html
    labels = re.findall(r'name="a1" value="(\d)"[^>]*><span>([^<]+)</span>', html)
    assert labels == [
        ("3", "Exempelsvar hela tiden"),
        ("2", "Exempelsvar ofta"),
        ("1", "Exempelsvar ibland"),
        ("0", "Exempelsvar aldrig"),
    ]
    assert "Licensierad text" not in html
    assert "(hads" not in html
    assert not re.search(r"<span>\d</span>", html)  # no score shown as an answer
    assert "Exempeltext skriven för testerna" in html


def test_an_instrument_without_wording_shows_no_scores_and_no_codes(client, sent):
    # A request sent before wordings were required: HADS has none now.
    LicensedWording.objects.filter(code="hads").delete()
    QuestionnaireRequest.objects.filter(pk=sent.request.pk).update(wordings={})
    request = QuestionnaireRequest.objects.get(pk=sent.request.pk)
    patient = _open_form(sent)
    html = patient.get(f"/f/svar/?sida={_page_of(request, 'hads')}").content.decode()
    assert "kan inte besvaras här" in html
    assert 'name="a1"' not in html
    assert "(hads" not in html
    assert "Licensierad text" not in html


def test_the_form_resumes_at_the_first_unanswered_page(sent):
    request = sent.request
    for code in ["nprs", "tsk", "cpaq8", "eq5d5l"]:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    mpi = full_answers("mpi_s")
    services.save_answers(
        questionnaire_request=request,
        code="mpi_s",
        answers={n: mpi[n] for n in range(1, 14)},
    )
    patient = _open_form(sent)
    html = patient.get("/f/svar/").content.decode()
    # hads (page 6 of the layout: nprs, tsk x2, cpaq8, eq5d5l) is the first gap
    assert f'action="?sida={_page_of(request, "hads")}"' in html
    assert escape(HADS.name_sv) in html
    for code in ["hads", "isi", "lisat11"]:
        services.save_answers(
            questionnaire_request=request, code=code, answers=full_answers(code)
        )
    html = patient.get("/f/svar/").content.decode()
    # MPI-S part 1 is answered; part 2 is where the patient goes on
    assert "del 2 av 4" in html
    assert "Visa instruktionen igen" in html  # the instructions, folded away
    assert 'name="a14"' in html
    assert 'name="a13"' not in html


def test_no_rendered_page_has_more_than_15_questions(sent):
    patient = _open_form(sent)
    request = sent.request
    pages = selectors.form_pages(
        codes=request.codes,
        wordings=selectors.request_wordings(questionnaire_request=request),
    )
    for number in range(1, len(pages) + 1):
        html = patient.get(f"/f/svar/?sida={number}").content.decode()
        assert 1 <= html.count('<fieldset class="question') <= 15, number


def test_answers_posted_for_another_page_of_the_instrument_are_not_stored(sent):
    patient = _open_form(sent)
    key = {"form_key": patient.session["questionnaire_link"]["key"]}
    first_mpi = _page_of(sent.request, "mpi_s")
    patient.post(
        f"/f/svar/?sida={first_mpi}", {"a1": "2", "a40": "3", "go": "skip"} | key
    )
    assert set(Answer.objects.values_list("item", flat=True)) == {1}


# --- The staff pages ---------------------------------------------------------------------


def test_the_licensed_text_page_is_in_swedish_and_explains_problems(
    client_for, coordinator
):
    admin = client_for(coordinator)
    html = admin.get("/formular/licensierad-text/tsk/").content.decode()
    assert "Licensierad formulärtext" in html
    assert "Ingen rättighetsinnehavare är fastställd" in html
    for english in ["[?]", "No licence", "licence holder", "Item 1", "Save"]:
        assert english not in html
    bad = SAMPLE.read_text().replace(
        '{value: 2, label: "Exempelsvar ofta"}', "{value: 2}"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("hads.yaml", bad.encode(), content_type="text/yaml")
    response = admin.post("/formular/licensierad-text/hads/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filen lästes inte in." in html
    assert "Fråga 1 (rad 15): texten saknas." in html
    template = admin.get("/formular/licensierad-text/hads/mall/")
    assert template.status_code == 200
    assert "instrument: hads" in template.content.decode()


def test_wording_pages_are_for_the_unit_administrator_of_the_unit_only(
    client_for, coordinator, physician, other_physician, unit_b, wordings_b
):
    row = LicensedWording.objects.filter(unit=unit_b, code="hads").get()
    admin = client_for(coordinator)
    assert admin.get(f"/formular/licensierad-text/version/{row.pk}/").status_code == 404
    assert admin.get("/formular/licensierad-text/nprs/").status_code == 404
    plain = client_for(physician)
    assert plain.get("/formular/licensierad-text/hads/").status_code == 403


def test_a_number_question_shows_its_end_point_texts_and_a_number_field(sent):
    patient = _open_form(sent)
    page = _page_of(sent.request, "eq5d5l")
    html = patient.get(f"/f/svar/?sida={page}").content.decode()
    assert "<strong>0</strong> = Lägsta exempelvärde" in html
    assert "<strong>100</strong> = Högsta exempelvärde" in html
    assert 'type="number" inputmode="numeric" id="a6"' in html
