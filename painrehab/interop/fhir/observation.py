"""Observation <- a scored questionnaires.Result. R4B models validate the R4 export.

Total as valueQuantity, subscales as components, the band as interpretation
text, the definition version in `method.text`.
"""

from fhir.resources.R4B.observation import Observation

from painrehab.interop.fhir.ids import episode_ref, patient_ref
from painrehab.questionnaires.models import Result

CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
SCORE_SYSTEM = "https://painrehab.example/fhir/CodeSystem/instrument"


def _quantity(value: float) -> dict:
    number = int(value) if float(value).is_integer() else value
    return {"value": number, "unit": "score"}


def result_to_observation(result: Result) -> Observation:
    data: dict = {
        "id": f"result-{result.pk}",
        "status": "final" if result.valid else "entered-in-error",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "survey"}]}],
        "code": {
            "coding": [{"system": SCORE_SYSTEM, "code": result.code}],
            "text": result.code,
        },
        "subject": patient_ref(result.episode.patient_id),
        "focus": [episode_ref(result.episode_id)],
        "effectiveDateTime": result.answered_on.isoformat(),
        "method": {"text": f"{result.code} definition {result.definition_version}"},
    }
    if result.valid is False:
        data["status"] = "final"
        data["dataAbsentReason"] = {"text": result.reason or "not scored"}
    if result.total is not None:
        data["valueQuantity"] = _quantity(result.total)
    if result.band:
        data["interpretation"] = [{"text": result.band}]
    if result.request_id:
        data["derivedFrom"] = [
            {
                "reference": f"QuestionnaireResponse/response-{result.request_id}-{result.code}".replace(
                    "_", "-"
                )
            }
        ]
    components = []
    for key, value in sorted(result.subscales.items()):
        component: dict = {"code": {"text": key}}
        if value is None:
            component["dataAbsentReason"] = {"text": "not scored"}
        else:
            component["valueQuantity"] = _quantity(value)
        band = result.subscale_bands.get(key)
        if band:
            component["interpretation"] = [{"text": band}]
        components.append(component)
    if components:
        data["component"] = components
    return Observation.model_validate(data)
