"""Optimistic locking and version history for clinical records."""

from typing import Any, Protocol, runtime_checkable

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.core.models import Revision
from painrehab.core.refusals import Refused


class StaleEdit(Refused):
    """Someone else saved the record after this edit began."""

    message = _(
        "Someone else saved this record after you opened it. Your changes are "
        "shown below; compare them with the saved version and save again."
    )


@runtime_checkable
class Versioned(Protocol):
    """A record with a version column (optimistic locking)."""

    version: int


def _versioned(instance: models.Model) -> Versioned:
    if not isinstance(instance, Versioned):
        raise TypeError(f"{type(instance).__name__} has no version column")
    return instance


def save_versioned(
    instance: models.Model, *, expected_version: int, by: Any, fields: list[str]
) -> None:
    """Save `fields` of `instance` only if nobody saved it since `expected_version`.

    A compare-and-set on the version column (works on SQLite and PostgreSQL
    alike); on success the version is bumped and a Revision row written.
    Raises StaleEdit when the stored version has moved on.
    """
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    changed = model._default_manager.filter(
        pk=instance.pk, version=expected_version
    ).update(version=expected_version + 1, **values)
    if changed != 1:
        raise StaleEdit
    _versioned(instance).version = expected_version + 1
    write_revision(instance, by=by)


def write_revision(instance: models.Model, *, by: Any) -> Revision:
    data = model_to_dict(instance)
    encoded = DjangoJSONEncoder()
    data = {key: _jsonable(value, encoded) for key, value in data.items()}
    return Revision.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=instance.pk,
        version=_versioned(instance).version,
        data=data,
        changed_by=by,
        changed_at=timezone.now(),
    )


def _jsonable(value: Any, encoder: DjangoJSONEncoder) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(item, encoder) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item, encoder) for key, item in value.items()}
    return encoder.default(value)


def revisions_of(instance: models.Model) -> models.QuerySet[Revision]:
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    ).select_related("changed_by")
