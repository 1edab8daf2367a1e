"""FHIR R4 export: every resource kind re-validates with the R4B models, references
resolve within the bundle, status codes come from their value sets, and the
views are unit-scoped and audited."""

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from painrehab.audit.models import AuditEvent
from painrehab.interop.fhir.episode_of_care import STATUS_BY_STATE
from painrehab.interop.fhir.patient import (
    PERSONNUMMER_SYSTEM,
    gender_from_personnummer,
    patient_to_patient,
)
from painrehab.outbox.services import save_contact_preference
from painrehab.pathway.models import (
    AssessmentConference,
    Booking,
    EpisodeTransition,
    Goal,
    GoalEvaluation,
    NewVisitRecord,
    RehabPlan,
    TriageDecision,
)
from painrehab.patients.models import Patient
from painrehab.programmes.models import Appointment
from painrehab.questionnaires.models import Answer, QuestionnaireRequest, Result

# Required value sets of the status-like codes (FHIR R4), checked by hand
# because the library does not.
VALUE_SETS = {
    "ServiceRequest": {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    "EpisodeOfCare": {"planned", "waitlist", "active", "onhold", "finished", "cancelled", "entered-in-error"},
    "Encounter": {"planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled", "entered-in-error", "unknown"},
    "Questionnaire": {"draft", "active", "retired", "unknown"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    "Observation": {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"},
    "CarePlan": {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"},
    "Goal": {"proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled", "entered-in-error", "rejected"},
    "Appointment": {"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow", "entered-in-error", "checked-in", "waitlist"},
}  # fmt: skip
GOAL_ACHIEVEMENT = {"in-progress", "improving", "worsening", "no-change", "achieved", "sustaining", "not-achieved", "no-progress", "not-attainable"}  # fmt: skip
ALL_KINDS = {"Patient", *VALUE_SETS}


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def full_episode(episode_a, physician, coordinator):  # noqa: ANN001, ANN201
    """An episode from referral to a signed plan, with answers and an evaluation."""
    user = physician.user
    TriageDecision.objects.create(
        episode=episode_a,
        outcome="new_visit",
        decided_by=user,
        decided_at=_at(date(2026, 10, 3)),
    )
    booking = Booking.objects.create(
        episode=episode_a,
        unit=episode_a.unit,
        kind="new_visit",
        starts_at=_at(date(2026, 10, 20)),
        minutes=60,
        staff=user,
        status="held",
        booked_by=coordinator.user,
    )
    Booking.objects.create(
        episode=episode_a,
        unit=episode_a.unit,
        kind="return_visit",
        starts_at=_at(date(2026, 12, 1)),
        minutes=30,
        staff=user,
        status="booked",
        booked_by=coordinator.user,
        mode="video",
    )
    NewVisitRecord.objects.create(
        episode=episode_a,
        booking=booking,
        held_on=date(2026, 10, 20),
        summary="Långvarig smärta.",
        outcome="team_investigation",
        recorded_by=user,
    )
    conference = AssessmentConference.objects.create(
        episode=episode_a,
        held_on=date(2026, 11, 2),
        criteria_template="specialist",
        criteria_version="1",
        decision="group_programme",
        decided_by=user,
        decided_at=_at(date(2026, 11, 2)),
    )
    conference.participants.add(user)
    plan = RehabPlan.objects.create(
        episode=episode_a,
        track="group_programme",
        overall_goal="Återgå i arbete 50 %",
        signed_on=date(2026, 11, 9),
        signature="paper",
        updated_by=user,
    )
    goal = Goal.objects.create(
        plan=plan,
        profession="physiotherapist",
        owner=user,
        description="Gå 30 minuter",
        measure="Promenad utan paus",
        target_date=date(2026, 12, 15),
        set_on=date(2026, 11, 9),
    )
    Goal.objects.create(
        plan=plan,
        profession="psychologist",
        owner=user,
        description="Sova bättre",
        measure="ISI under 15",
        target_date=date(2027, 3, 1),
        set_on=date(2026, 11, 9),
    )
    GoalEvaluation.objects.create(
        goal=goal,
        when="programme_end",
        evaluated_on=date(2026, 12, 15),
        result="partly_met",
        evaluated_by=user,
    )
    episode_a.transitions.update(at=_at(date(2026, 10, 1)))  # the referral's arrival
    for step, (old, new) in enumerate(
        [
            ("referral_received", "triaged"),
            ("triaged", "waiting_new_visit"),
            ("waiting_new_visit", "new_visit"),
            ("new_visit", "team_investigation"),
            ("team_investigation", "group_programme"),
        ]
    ):
        EpisodeTransition.objects.create(
            episode=episode_a,
            from_state=old,
            to_state=new,
            at=_at(date(2026, 10, 3) + timedelta(days=7 * step)),
            by=user,
        )
    episode_a.state = "group_programme"
    episode_a.save()
    request = QuestionnaireRequest.objects.create(
        unit=episode_a.unit,
        episode=episode_a,
        time_point="registry_before",
        codes=["hads", "nprs"],
        status="submitted",
        token_hash="t" * 64,
        code_hash="c" * 64,
        sent_on=date(2026, 10, 5),
        expires_on=date(2026, 11, 16),
        sent_by=coordinator.user,
        submitted_at=_at(date(2026, 10, 10)),
    )
    for item in range(1, 15):
        Answer.objects.create(
            request=request,
            code="hads",
            item=item,
            value=item % 4,
            answered_at=_at(date(2026, 10, 10)),
        )
    Result.objects.create(
        unit=episode_a.unit,
        episode=episode_a,
        request=request,
        time_point="registry_before",
        code="hads",
        definition_version="1.0",
        answers={},
        total=None,
        subscales={"anxiety": 11, "depression": 9},
        subscale_bands={"anxiety": "probable", "depression": "possible"},
        valid=True,
        source="patient_online",
        answered_on=date(2026, 10, 10),
        recorded_at=_at(date(2026, 10, 10)),
    )
    Result.objects.create(
        unit=episode_a.unit,
        episode=episode_a,
        request=request,
        time_point="registry_before",
        code="nprs",
        definition_version="1.0",
        answers={},
        total=7,
        band="moderate",
        valid=True,
        source="patient_online",
        answered_on=date(2026, 10, 10),
        recorded_at=_at(date(2026, 10, 10)),
    )
    Appointment.objects.create(
        unit=episode_a.unit,
        episode=episode_a,
        starts_at=_at(date(2026, 11, 20)),
        minutes=45,
        staff=user,
        profession="psychologist",
        status="held",
        created_by=user,
    )
    return episode_a


def _bundle(client_for, membership, patient_id):  # noqa: ANN001, ANN202
    response = client_for(membership).get(
        reverse("interop:fhir_patient", args=[patient_id])
    )
    return response


def test_patient_bundle_resources_validate_resolve_and_use_allowed_codes(
    client_for, physician, full_episode
):  # noqa: ANN001
    response = _bundle(client_for, physician, full_episode.patient_id)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    assert Bundle.model_validate(data).type == "collection"
    resources = [entry["resource"] for entry in data["entry"]]
    kinds = {resource["resourceType"] for resource in resources}
    assert kinds == ALL_KINDS
    ids = {f"{r['resourceType']}/{r['id']}" for r in resources}
    assert len(ids) == len(resources)
    for resource in resources:
        model = get_fhir_model_class(resource["resourceType"])
        validated = model.model_validate(resource)
        assert isinstance(validated, Resource)
        assert validated.id == resource["id"]
        if resource["resourceType"] == "Goal":
            assert resource["lifecycleStatus"] in VALUE_SETS["Goal"]
        elif resource["resourceType"] != "Patient":
            assert resource["status"] in VALUE_SETS[resource["resourceType"]]
    references = _references(data)
    assert references
    assert references - ids == set()


def _references(node) -> set[str]:  # noqa: ANN001
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("reference"), str):
            found.add(node["reference"])
        for value in node.values():
            found |= _references(value)
    elif isinstance(node, list):
        for value in node:
            found |= _references(value)
    return found


def _by_type(client_for, physician, episode) -> dict[str, list[dict]]:  # noqa: ANN001
    data = json.loads(_bundle(client_for, physician, episode.patient_id).content)
    grouped: dict[str, list[dict]] = {}
    for entry in data["entry"]:
        grouped.setdefault(entry["resource"]["resourceType"], []).append(
            entry["resource"]
        )
    return grouped


def test_exported_values_are_exact(client_for, physician, full_episode):  # noqa: ANN001
    grouped = _by_type(client_for, physician, full_episode)
    patient = full_episode.patient
    [fhir_patient] = grouped["Patient"]
    assert fhir_patient["id"] == f"patient-{patient.pk}"
    assert fhir_patient["identifier"] == [
        {"system": PERSONNUMMER_SYSTEM, "value": patient.personnummer}
    ]
    assert fhir_patient["gender"] == "female"
    assert fhir_patient["birthDate"] == "1985-01-01"
    assert fhir_patient["address"][0]["city"] == "Stad"
    [episode] = grouped["EpisodeOfCare"]
    assert episode["status"] == "active"
    assert [h["status"] for h in episode["statusHistory"]] == [
        "planned",
        "waitlist",
        "waitlist",
        "active",
        "active",
        "active",
    ]
    [service_request] = grouped["ServiceRequest"]
    assert service_request["status"] == "completed"
    assert sorted(a["status"] for a in grouped["Appointment"]) == [
        "booked",
        "fulfilled",
        "fulfilled",
    ]
    assert len(grouped["Encounter"]) == 1
    [care_plan] = grouped["CarePlan"]
    assert care_plan["status"] == "active"
    assert len(care_plan["goal"]) == 2
    achievement: dict[str, Any] = {
        g["description"]["text"]: g.get("achievementStatus") for g in grouped["Goal"]
    }
    assert achievement["Sova bättre"] is None
    assert achievement["Gå 30 minuter"]["coding"][0]["code"] == "improving"
    assert achievement["Gå 30 minuter"]["coding"][0]["code"] in GOAL_ACHIEVEMENT
    assert sorted(q["id"] for q in grouped["Questionnaire"]) == [
        "questionnaire-hads",
        "questionnaire-nprs",
    ]
    responses = {r["id"]: r for r in grouped["QuestionnaireResponse"]}
    assert (
        len(
            responses[f"response-{full_episode.questionnaire_requests.get().pk}-hads"][
                "item"
            ]
        )
        == 14
    )
    observations = {o["code"]["text"]: o for o in grouped["Observation"]}
    assert observations["nprs"]["valueQuantity"]["value"] == 7
    assert observations["nprs"]["interpretation"] == [{"text": "moderate"}]
    assert observations["nprs"]["method"]["text"] == "nprs definition 1.0"
    assert [
        (c["code"]["text"], c["valueQuantity"]["value"])
        for c in observations["hads"]["component"]
    ] == [
        ("anxiety", 11),
        ("depression", 9),
    ]


def test_every_pathway_state_maps_to_an_episode_of_care_status():
    from painrehab.pathway.states import State

    assert set(STATUS_BY_STATE) == set(State)
    assert set(STATUS_BY_STATE.values()) <= VALUE_SETS["EpisodeOfCare"]


def test_gender_from_personnummer_and_coordination_number_system(patient_a):  # noqa: ANN001
    assert gender_from_personnummer("198501019802") == "female"
    assert gender_from_personnummer("198501019812") == "male"
    patient_a.personnummer = "198501619802"
    fhir = patient_to_patient(patient_a)
    assert fhir.identifier is not None
    assert (
        fhir.identifier[0].system
        == "http://electronichealth.se/identifier/samordningsnummer"
    )


def test_patient_export_is_audited(client_for, physician, full_episode):  # noqa: ANN001
    _bundle(client_for, physician, full_episode.patient_id)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert [p.patient_id for p in event.patients.all()] == [full_episode.patient_id]


def test_other_unit_patient_gets_404(client_for, physician, episode_b):  # noqa: ANN001
    response = _bundle(client_for, physician, episode_b.patient_id)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_bulk_export_has_one_valid_resource_per_line_of_the_unit_only(
    client_for, coordinator, full_episode, episode_b
):  # noqa: ANN001
    response = client_for(coordinator).get(reverse("interop:fhir_export"))
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    resources = [json.loads(line) for line in lines]
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    patients = [r["id"] for r in resources if r["resourceType"] == "Patient"]
    assert patients == [f"patient-{full_episode.patient_id}"]
    assert {r["resourceType"] for r in resources} == ALL_KINDS
    assert f"Patient/patient-{episode_b.patient_id}" not in json.dumps(resources)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert [p.patient_id for p in event.patients.all()] == [full_episode.patient_id]


def test_bulk_export_needs_manage_unit(client_for, physician, full_episode):  # noqa: ANN001
    assert client_for(physician).get(reverse("interop:fhir_export")).status_code == 403


def test_a_patient_with_protected_identity_is_restricted_and_has_no_address(
    patient_a, coordinator
):  # noqa: ANN001
    patient_a.street_address, patient_a.postal_code, patient_a.city = (
        "Storgatan 8", "831 40", "Östersund",
    )  # fmt: skip
    patient_a.save()
    assert patient_to_patient(patient_a).address
    save_contact_preference(
        by=coordinator, patient=patient_a, sms_consent=False, email_consent=False,
        mailbox_consent=False, protected_identity=True,
    )  # fmt: skip
    fhir = patient_to_patient(Patient.objects.get(pk=patient_a.pk))
    assert fhir.address is None
    assert fhir.meta is not None
    assert [s.code for s in fhir.meta.security or []] == ["R"]
