"""Questionnaire <- an instrument definition. R4B models validate the R4 export.

Licensed instruments ship no item text: the placeholder from the definition
is exported, never the unit's licensed wording.
"""

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from painrehab.questionnaires.definitions.schema import Definition, Item

CANONICAL_BASE = "https://painrehab.example/fhir/Questionnaire"


def questionnaire_id(code: str) -> str:
    """One resource per registered instrument; its version is in `version`."""
    return f"questionnaire-{code}".replace("_", "-")


def _item(definition: Definition, item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {
        "linkId": str(item.number),
        "text": item.text or f"Item {item.number}",
    }
    if item.options:
        data["type"] = "choice"
        data["answerOption"] = [
            {
                "valueCoding": {
                    "code": str(option.value),
                    "display": option.label or str(option.value),
                }
            }
            for option in item.options
        ]
    else:
        data["type"] = "string"
    return data


def definition_to_questionnaire(definition: Definition) -> Questionnaire:
    return Questionnaire.model_validate(
        {
            "id": questionnaire_id(definition.code),
            "url": f"{CANONICAL_BASE}/{definition.code}",
            "version": definition.version,
            "name": definition.code.upper(),
            "title": definition.name,
            "status": "active",
            "copyright": definition.licence or None,
            "item": [_item(definition, item) for item in definition.items],
        }
    )
