"""Appointment <- pathway.Booking, programmes.Session, programmes.Appointment.

R4B models validate the R4 export.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from fhir.resources.R4B.appointment import Appointment as FhirAppointment

from painrehab.interop.fhir.ids import patient_ref
from painrehab.pathway.models import Booking
from painrehab.programmes.models import Appointment, Session

STATUS_BY_BOOKING = {
    "booked": "booked",
    "held": "fulfilled",
    "no_show": "noshow",
    "patient_cancellation": "cancelled",
    "unit_cancellation": "cancelled",
}
STATUS_BY_APPOINTMENT = {
    "booked": "booked",
    "held": "fulfilled",
    "no_show": "noshow",
    "cancelled": "cancelled",
}


def _participant(patient_id: int) -> dict:
    return {"actor": patient_ref(patient_id), "status": "accepted"}


def booking_to_appointment(booking: Booking) -> FhirAppointment:
    end = booking.starts_at + timedelta(minutes=booking.minutes)
    return FhirAppointment.model_validate(
        {
            "id": f"booking-{booking.pk}",
            "status": STATUS_BY_BOOKING[booking.status],
            "appointmentType": {"text": booking.kind},
            "description": booking.get_kind_display(),
            "start": booking.starts_at.isoformat(),
            "end": end.isoformat(),
            "minutesDuration": booking.minutes,
            "participant": [_participant(booking.episode.patient_id)],
        }
    )


def appointment_to_appointment(appointment: Appointment) -> FhirAppointment:
    end = appointment.starts_at + timedelta(minutes=appointment.minutes)
    return FhirAppointment.model_validate(
        {
            "id": f"appointment-{appointment.pk}",
            "status": STATUS_BY_APPOINTMENT[appointment.status],
            "serviceType": [{"text": appointment.profession}],
            "start": appointment.starts_at.isoformat(),
            "end": end.isoformat(),
            "minutesDuration": appointment.minutes,
            "participant": [_participant(appointment.episode.patient_id)],
        }
    )


def session_to_appointment(
    session: Session, *, patient_ids: list[int]
) -> FhirAppointment:
    """One group session as an appointment of the given patients (of one unit)."""
    start = timezone.make_aware(datetime.combine(session.date, session.start))
    end = timezone.make_aware(datetime.combine(session.date, session.end))
    return FhirAppointment.model_validate(
        {
            "id": f"session-{session.pk}",
            "status": "fulfilled" if session.date < timezone.localdate() else "booked",
            "description": session.activity_name,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "participant": [_participant(pid) for pid in sorted(patient_ids)],
        }
    )
