"""QuestionnaireResponse <- one instrument of a submitted QuestionnaireRequest.

R4B models validate the R4 export.
"""

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from painrehab.interop.fhir.ids import episode_ref, patient_ref
from painrehab.interop.fhir.questionnaire import CANONICAL_BASE
from painrehab.questionnaires.models import QuestionnaireRequest


def _answer(value: object) -> dict[str, object] | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueCoding": {"code": str(value)}}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def request_to_questionnaire_responses(
    request: QuestionnaireRequest,
) -> list[QuestionnaireResponse]:
    """One response per instrument of the request (FHIR answers one form each)."""
    responses = []
    episode = request.episode
    answers = list(request.answers.all())
    versions = {
        result.code: result.definition_version for result in request.results.all()
    }
    for code in request.codes:
        items = []
        for answer in (a for a in answers if a.code == code):
            item: dict = {"linkId": str(answer.item)}
            value = _answer(answer.value)
            if value is not None:
                item["answer"] = [value]
            items.append(item)
        questionnaire = f"{CANONICAL_BASE}/{code}"
        if code in versions:
            questionnaire += f"|{versions[code]}"
        data: dict = {
            "id": f"response-{request.pk}-{code}".replace("_", "-"),
            "status": "completed",
            "questionnaire": questionnaire,
            "subject": patient_ref(episode.patient_id),
            "encounter": None,
            "basedOn": None,
            "partOf": None,
            "source": patient_ref(episode.patient_id),
            "item": items or None,
        }
        if request.submitted_at:
            data["authored"] = request.submitted_at.isoformat()
        data["extension"] = [
            {
                "url": "https://painrehab.example/fhir/StructureDefinition/episode",
                "valueReference": episode_ref(episode.pk),
            }
        ]
        responses.append(
            QuestionnaireResponse.model_validate(
                {key: value for key, value in data.items() if value is not None}
            )
        )
    return responses
