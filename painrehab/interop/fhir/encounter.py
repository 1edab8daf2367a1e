"""Encounter <- a held pathway.Booking, or a NewVisitRecord without a booking.

R4B models validate the R4 export.
"""

from datetime import timedelta

from fhir.resources.R4B.encounter import Encounter

from painrehab.interop.fhir.ids import episode_ref, patient_ref
from painrehab.pathway.models import Booking, NewVisitRecord

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CLASS_BY_MODE = {"on_site": "AMB", "video": "VR", "phone": "VR"}


def booking_to_encounter(booking: Booking) -> Encounter:
    end = booking.starts_at + timedelta(minutes=booking.minutes)
    return Encounter.model_validate(
        {
            "id": f"encounter-booking-{booking.pk}",
            "status": "finished",
            "class": {"system": ACT_CODE, "code": CLASS_BY_MODE[booking.mode]},
            "type": [{"text": booking.get_kind_display()}],
            "subject": patient_ref(booking.episode.patient_id),
            "episodeOfCare": [episode_ref(booking.episode_id)],
            "appointment": [{"reference": f"Appointment/booking-{booking.pk}"}],
            "period": {"start": booking.starts_at.isoformat(), "end": end.isoformat()},
        }
    )


def new_visit_to_encounter(record: NewVisitRecord) -> Encounter:
    return Encounter.model_validate(
        {
            "id": f"encounter-newvisit-{record.pk}",
            "status": "finished",
            "class": {"system": ACT_CODE, "code": "AMB"},
            "type": [{"text": "New visit"}],
            "subject": patient_ref(record.episode.patient_id),
            "episodeOfCare": [episode_ref(record.episode_id)],
            "period": {"start": record.held_on.isoformat()},
        }
    )
