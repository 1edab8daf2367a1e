import pytest

from painrehab.core.history import StaleEdit
from painrehab.patients.models import Patient
from painrehab.patients.services import update_patient
from painrehab.patients.tests.factories import PatientFactory


def _form(**overrides):  # noqa: ANN003, ANN202
    data = {
        "personnummer": "19850101-2382",
        "first_name": "Anna",
        "last_name": "Andersson",
        "preferred_language": "svenska",
    }
    return {**data, **overrides}


def test_secretary_registers_a_patient_with_the_twelve_digit_number(
    client_for, secretary
):
    response = client_for(secretary).post(
        "/patienter/ny/", _form(personnummer="850101-2382")
    )
    assert response.status_code == 302
    patient = Patient.objects.get()
    assert patient.personnummer == "198501012382"
    assert patient.unit_id == secretary.unit_id


def test_bad_check_digit_gives_a_swedish_message_and_keeps_what_was_typed(
    client_for, secretary
):
    response = client_for(secretary).post(
        "/patienter/ny/", _form(personnummer="19850101-2383", first_name="Åsa")
    )
    html = response.content.decode()
    assert "Kontrollsiffran (sista siffran) stämmer inte." in html
    assert 'value="Åsa"' in html
    assert Patient.objects.count() == 0


def test_interpreter_need_requires_a_language(client_for, secretary):
    response = client_for(secretary).post(
        "/patienter/ny/", _form(needs_interpreter="on")
    )
    assert "Ange vilket språk tolken ska tala." in response.content.decode()
    assert Patient.objects.count() == 0


def test_same_number_twice_in_a_unit_is_refused(client_for, secretary):
    client_for(secretary).post("/patienter/ny/", _form())
    response = client_for(secretary).post("/patienter/ny/", _form())
    assert "redan registrerad" in response.content.decode()
    assert Patient.objects.count() == 1


def test_search_by_number_or_name_stays_within_the_unit(
    client_for, coordinator, patient_a, patient_b
):
    client = client_for(coordinator)
    assert list(client.get("/patienter/", {"q": "850101-2382"}).context["page"]) == [
        patient_a
    ]
    assert list(client.get("/patienter/", {"q": "anna"}).context["page"]) == [patient_a]
    assert list(client.get("/patienter/", {"q": "Bertil"}).context["page"]) == []


def test_second_editor_with_an_old_version_is_refused(coordinator, patient_a):
    update_patient(by=coordinator, patient=patient_a, expected_version=1, phone="070-1")
    stale = Patient.objects.get(pk=patient_a.pk)
    stale.version = 1
    with pytest.raises(StaleEdit):
        update_patient(by=coordinator, patient=stale, expected_version=1, phone="070-2")
    assert Patient.objects.get(pk=patient_a.pk).phone == "070-1"


def test_stale_edit_through_the_page_keeps_the_typed_text(
    client_for, coordinator, patient_a
):
    update_patient(by=coordinator, patient=patient_a, expected_version=1, phone="070-1")
    response = client_for(coordinator).post(
        f"/patienter/{patient_a.pk}/andra/",
        {
            "first_name": "Anna",
            "last_name": "Andersson",
            "preferred_language": "svenska",
            "phone": "070-9",
            "version": 1,
        },
    )
    html = response.content.decode()
    assert "Någon annan sparade" in html
    assert 'value="070-9"' in html
    assert Patient.objects.get(pk=patient_a.pk).phone == "070-1"


def test_factory_patients_use_tax_agency_test_numbers(unit_a):
    from painrehab.core.personnummer import is_test_number

    assert all(
        is_test_number(p.personnummer)
        for p in PatientFactory.create_batch(20, unit=unit_a)
    )
