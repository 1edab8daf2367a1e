"""The audit log is append-only in the database (PostgreSQL): no bulk update,
delete or raw SQL changes a row; new rows still go in."""

import pytest
from django.db import DatabaseError, connection, transaction

from painrehab.audit.models import AuditEvent, AuditEventPatient
from painrehab.audit.services import Action, record

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def logged(coordinator, patient_a):  # noqa: ANN001, ANN201
    return record(
        by=coordinator.user,
        unit=coordinator.unit_id,
        action=Action.VIEW,
        patients=[patient_a.pk],
        what="patient",
    )


def _refused(change) -> None:  # noqa: ANN001
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change()


def test_a_bulk_update_is_refused(logged):
    _refused(lambda: AuditEvent.objects.filter(pk=logged.pk).update(what="nothing"))
    assert AuditEvent.objects.get(pk=logged.pk).what == "patient"


def test_a_bulk_delete_is_refused(logged):
    _refused(lambda: AuditEventPatient.objects.filter(event=logged).delete())
    _refused(lambda: AuditEvent.objects.filter(pk=logged.pk)._raw_delete("default"))
    assert AuditEvent.objects.filter(pk=logged.pk).exists()


def test_raw_sql_is_refused(logged):
    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE audit_auditevent SET actor_label = 'someone' WHERE id = %s",
                [logged.pk],
            )

    def raw_delete() -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditeventpatient")

    _refused(raw_update)
    _refused(raw_delete)
    assert AuditEvent.objects.get(pk=logged.pk).actor_label == logged.actor_label
    assert AuditEventPatient.objects.filter(event=logged).count() == 1


def test_new_rows_still_go_in(logged, coordinator):
    record(by=coordinator.user, unit=coordinator.unit_id, action=Action.VIEW)
    assert AuditEvent.objects.count() == 2
