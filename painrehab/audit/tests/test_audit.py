import pytest

from painrehab.audit.models import AuditEvent, AuditEventPatient


def test_viewing_a_patient_writes_one_view_row_naming_them(
    client_for, coordinator, patient_a
):
    response = client_for(coordinator).get(
        f"/patienter/{patient_a.pk}/", REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view", what="patient page")
    assert event.actor_id == coordinator.user_id
    assert event.unit_id == coordinator.unit_id
    assert event.ip_address == "10.1.2.3"
    assert list(event.patients.values_list("patient_id", flat=True)) == [patient_a.pk]


def test_editing_a_patient_writes_an_update_row_and_a_revision(
    client_for, coordinator, patient_a
):
    from painrehab.core.history import revisions_of

    response = client_for(coordinator).post(
        f"/patienter/{patient_a.pk}/andra/",
        {
            "first_name": "Anna",
            "last_name": "Andersson",
            "preferred_language": "svenska",
            "phone": "070-174 06 10",
            "version": patient_a.version,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="update")
    assert event.object_id == str(patient_a.pk)
    assert AuditEventPatient.objects.get(event=event).patient_id == patient_a.pk
    assert [r.data["phone"] for r in revisions_of(patient_a)] == ["070-174 06 10"]


def test_a_list_page_is_one_event_naming_every_patient_shown(
    client_for, coordinator, unit_a
):
    from painrehab.patients.tests.factories import PatientFactory

    shown = PatientFactory.create_batch(5, unit=unit_a)
    client_for(coordinator).get("/patienter/")
    event = AuditEvent.objects.get(what="patient list")
    assert sorted(event.patients.values_list("patient_id", flat=True)) == sorted(
        p.pk for p in shown
    )


def test_audit_rows_cannot_be_changed_or_deleted(coordinator, patient_a):
    from painrehab.audit.services import Action, record

    event = record(
        by=coordinator.user,
        unit=coordinator.unit,
        action=Action.VIEW,
        patients=[patient_a.pk],
    )
    event.what = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_patient_log_extract_lists_every_access_as_csv(
    client_for, coordinator, physician, patient_a
):
    client_for(physician).get(f"/patienter/{patient_a.pk}/")
    response = client_for(coordinator).get(f"/logg/patient/{patient_a.pk}/utdrag.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Tidpunkt;Användare;Händelse;Vad;Adress"
    assert "physician_a" in text
    assert (
        AuditEvent.objects.filter(action="export", what="access log extract").count()
        == 1
    )


def test_log_review_filters_by_user_and_is_for_administrators_only(
    client_for, coordinator, physician, patient_a
):
    client_for(physician).get(f"/patienter/{patient_a.pk}/")
    assert client_for(physician).get("/logg/").status_code == 403
    response = client_for(coordinator).get("/logg/", {"user": physician.user_id})
    assert response.status_code == 200
    events = list(response.context["page"])
    assert events
    assert {e.actor_id for e in events} == {physician.user_id}


def test_the_log_filter_refuses_a_personnummer_that_is_not_valid():
    from painrehab.audit_review.forms import AuditFilterForm

    form = AuditFilterForm({"patient": "12345"})
    assert not form.is_valid()
    assert "Personnumret är inte giltigt." in " ".join(
        str(e) for e in form.errors["patient"]
    )


def test_the_log_review_warns_of_an_invalid_personnummer_and_keeps_the_list(
    client_for, coordinator, physician, patient_a
):
    client_for(physician).get(f"/patienter/{patient_a.pk}/")
    response = client_for(coordinator).get("/logg/", {"patient": "12345"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'value="12345"' in html
    assert list(response.context["page"])
