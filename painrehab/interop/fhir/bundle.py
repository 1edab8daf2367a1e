"""Gather one patient's resources, a collection Bundle, and the unit's bulk stream.

R4B models validate the R4 export. Reads only; the views audit.
"""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from painrehab.interop.fhir.appointment import (
    appointment_to_appointment,
    booking_to_appointment,
    session_to_appointment,
)
from painrehab.interop.fhir.care_plan import plan_to_care_plan
from painrehab.interop.fhir.encounter import (
    booking_to_encounter,
    new_visit_to_encounter,
)
from painrehab.interop.fhir.episode_of_care import episode_to_episode_of_care
from painrehab.interop.fhir.goal import goal_to_goal
from painrehab.interop.fhir.observation import result_to_observation
from painrehab.interop.fhir.patient import patient_to_patient
from painrehab.interop.fhir.questionnaire import definition_to_questionnaire
from painrehab.interop.fhir.questionnaire_response import (
    request_to_questionnaire_responses,
)
from painrehab.interop.fhir.service_request import referral_to_service_request
from painrehab.pathway.models import Episode
from painrehab.patients.models import Patient
from painrehab.programmes.models import Appointment, Session
from painrehab.questionnaires import scoring
from painrehab.questionnaires.models import QuestionnaireRequest, Result


def _episode_resources(episode: Episode) -> Iterator[Resource]:
    yield episode_to_episode_of_care(episode)
    referral = getattr(episode, "referral", None)
    if referral is not None:
        yield referral_to_service_request(referral)
    for booking in episode.bookings.all():
        yield booking_to_appointment(booking)
        if booking.status == "held":
            yield booking_to_encounter(booking)
    for record in episode.new_visits.filter(booking__isnull=True):
        yield new_visit_to_encounter(record)
    plan = getattr(episode, "plan", None)
    if plan is not None:
        yield plan_to_care_plan(plan)
        for goal in plan.goals.all():
            yield goal_to_goal(goal)
    requests = QuestionnaireRequest.objects.filter(
        episode=episode, status=QuestionnaireRequest.Status.SUBMITTED
    )
    for request in requests:
        yield from request_to_questionnaire_responses(request)
    for result in Result.objects.filter(episode=episode):
        yield result_to_observation(result)
    for appointment in Appointment.objects.filter(episode=episode):
        yield appointment_to_appointment(appointment)


def questionnaires_for(codes: set[str]) -> Iterator[Resource]:
    for code in sorted(codes):
        if code in scoring.CODES:
            yield definition_to_questionnaire(scoring.definition(code))


def _codes_of(episodes: list[Episode] | QuerySet[Episode]) -> set[str]:
    codes: set[str] = set()
    for request_codes in QuestionnaireRequest.objects.filter(
        episode__in=episodes, status=QuestionnaireRequest.Status.SUBMITTED
    ).values_list("codes", flat=True):
        codes.update(request_codes)
    return codes


def _sessions_of(episodes: list[Episode] | QuerySet[Episode]) -> Iterator[Resource]:
    sessions = (
        Session.objects.filter(participants__episode__in=episodes)
        .distinct()
        .prefetch_related("participants__episode")
    )
    if isinstance(episodes, QuerySet):
        episode_ids = set(episodes.values_list("pk", flat=True))
    else:
        episode_ids = {episode.pk for episode in episodes}
    for session in sessions:
        patient_ids = [
            participant.episode.patient_id
            for participant in session.participants.all()
            if participant.episode_id in episode_ids
        ]
        yield session_to_appointment(session, patient_ids=patient_ids)


def _patient_episodes(patient: Patient) -> list[Episode]:
    return list(
        Episode.objects.filter(patient=patient).select_related("patient", "unit")
    )


def resources_for_patient(patient: Patient) -> list[Resource]:
    """Every resource of one patient, the questionnaires they answered included."""
    episodes = _patient_episodes(patient)
    resources: list[Resource] = [patient_to_patient(patient)]
    for episode in episodes:
        resources.extend(_episode_resources(episode))
    resources.extend(questionnaires_for(_codes_of(episodes)))
    resources.extend(_sessions_of(episodes))
    return resources


def patient_bundle(patient: Patient) -> Bundle:
    entries = [
        {
            "fullUrl": f"{resource.get_resource_type()}/{resource.id}",
            "resource": resource,
        }
        for resource in resources_for_patient(patient)
    ]
    return Bundle.model_validate(
        {
            "id": f"export-patient-{patient.pk}",
            "type": "collection",
            "timestamp": timezone.now().isoformat(),
            "entry": entries,
        }
    )


def unit_resources(patients: QuerySet[Patient]) -> Iterator[Resource]:
    """The bulk stream: each patient's own resources, then the shared ones once.

    `patients` stays a query: the shared resources are read through a subquery,
    not a list of ids, so a unit of any size fits in one statement.
    """
    for patient in patients.iterator(chunk_size=500):
        yield patient_to_patient(patient)
        for episode in _patient_episodes(patient):
            yield from _episode_resources(episode)
    all_episodes = Episode.objects.filter(patient__in=patients.values("pk"))
    yield from questionnaires_for(_codes_of(all_episodes))
    yield from _sessions_of(all_episodes)
