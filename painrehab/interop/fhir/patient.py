"""Patient <- patients.Patient. R4B models validate the R4 export."""

from fhir.resources.R4B.patient import Patient as FhirPatient

from painrehab.core.personnummer import legal_sex
from painrehab.patients.models import Patient

PERSONNUMMER_SYSTEM = "http://electronichealth.se/identifier/personnummer"
SAMORDNINGSNUMMER_SYSTEM = "http://electronichealth.se/identifier/samordningsnummer"
INTERPRETER_EXTENSION = (
    "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
)
# HL7 v3 confidentiality "restricted": set on a patient with protected identity.
RESTRICTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
    "code": "R",
    "display": "restricted",
}
LANGUAGE_CODES = {"svenska": "sv", "engelska": "en", "arabiska": "ar", "finska": "fi"}


def gender_from_personnummer(number: str) -> str:
    """FHIR's administrative gender, from the personnummer's legal sex."""
    return legal_sex(number)


def _language(name: str) -> dict:
    code = LANGUAGE_CODES.get(name.strip().lower())
    concept: dict = {"text": name}
    if code:
        concept["coding"] = [{"system": "urn:ietf:bcp:47", "code": code}]
    return concept


def patient_to_patient(patient: Patient) -> FhirPatient:
    system = (
        SAMORDNINGSNUMMER_SYSTEM
        if patient.is_coordination_number
        else PERSONNUMMER_SYSTEM
    )
    data: dict = {
        "id": f"patient-{patient.pk}",
        "identifier": [{"system": system, "value": patient.personnummer}],
        "name": [
            {
                "use": "official",
                "family": patient.last_name,
                "given": [patient.first_name],
            }
        ],
        "gender": gender_from_personnummer(patient.personnummer),
        "birthDate": patient.birth_date.isoformat(),
        "extension": [
            {"url": INTERPRETER_EXTENSION, "valueBoolean": patient.needs_interpreter}
        ],
    }
    language = (
        patient.interpreter_language
        if patient.needs_interpreter
        else patient.preferred_language
    )
    if language:
        data["communication"] = [{"language": _language(language), "preferred": True}]
    if patient.has_protected_identity:
        # Protected identity (skyddad personuppgift): no address leaves the
        # system, and the resource is labelled restricted.
        data["meta"] = {"security": [RESTRICTED]}
    elif patient.street_address or patient.postal_code or patient.city:
        address: dict = {"use": "home", "country": "SE"}
        if patient.street_address:
            address["line"] = [patient.street_address]
        if patient.postal_code:
            address["postalCode"] = patient.postal_code
        if patient.city:
            address["city"] = patient.city
        data["address"] = [address]
    telecom = []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone})
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    if telecom:
        data["telecom"] = telecom
    return FhirPatient.model_validate(data)
