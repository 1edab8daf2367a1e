"""ServiceRequest <- pathway.Referral. R4B models validate the R4 export."""

from fhir.resources.R4B.servicerequest import ServiceRequest

from painrehab.interop.fhir.ids import episode_ref, patient_ref
from painrehab.pathway.models import Referral
from painrehab.pathway.states import State

# Triage returned the referral -> revoked; still open before triage -> active.
RETURNED = "return"


def referral_to_service_request(referral: Referral) -> ServiceRequest:
    episode = referral.episode
    triage = getattr(episode, "triage", None)
    if triage is not None and triage.outcome == RETURNED:
        status = "revoked"
    elif episode.state == State.REFERRAL_RECEIVED:
        status = "active"
    else:
        status = "completed"
    data: dict = {
        "id": f"referral-{referral.pk}",
        "status": status,
        "intent": "order",
        "subject": patient_ref(episode.patient_id),
        "authoredOn": referral.received_on.isoformat(),
        "code": {"text": "Multimodal pain rehabilitation"},
        "supportingInfo": [episode_ref(episode.pk)],
    }
    if referral.referrer_name or referral.referrer_unit:
        display = ", ".join(
            part for part in (referral.referrer_name, referral.referrer_unit) if part
        )
        data["requester"] = {"display": display}
    if referral.reason:
        data["reasonCode"] = [{"text": referral.reason}]
    return ServiceRequest.model_validate(data)
