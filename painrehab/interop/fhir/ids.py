"""Stable resource ids and relative references (`ResourceType/id`)."""

from typing import Any


def ref(resource_type: str, prefix: str, pk: Any) -> dict[str, str]:
    return {"reference": f"{resource_type}/{prefix}-{pk}"}


def patient_ref(patient_id: int) -> dict[str, str]:
    return ref("Patient", "patient", patient_id)


def episode_ref(episode_id: int) -> dict[str, str]:
    return ref("EpisodeOfCare", "episode", episode_id)
