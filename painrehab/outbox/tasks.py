"""The outbox's background tasks (django-tasks; the database backend's
`db_worker` runs them, several at once on PostgreSQL)."""

from django_tasks import task

from painrehab.outbox import services


@task()
def send_message(message_id: int) -> str | None:
    return services.send_one(message_id)


@task()
def send_due_messages() -> dict[str, int]:
    services.recover_stale()
    return services.send_due()
