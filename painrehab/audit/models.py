from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One access to or change of data, append-only.

    Stores ids and labels as text, without foreign keys, so that correcting or
    removing clinical data never touches the log. Which patients an event
    concerns is in AuditEventPatient: a list page is one event naming every
    patient it showed.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        PRINT = "print", _("Print")
        EXPORT = "export", _("Export")
        ACCESS_CHANGE = "access_change", _("Access change")
        LOGIN = "login", _("Login")
        REFUSED = "refused", _("Refused")

    at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True)
    actor_label = models.CharField(_("user"), max_length=200)
    unit_id = models.BigIntegerField(_("unit id"), null=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=60, blank=True)
    what = models.CharField(_("what"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True)

    # Not stored: the review page sets each shown event's `what` in words.
    description: str

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["unit_id", "at"]),
            models.Index(fields=["actor_id", "at"]),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only.")

    @property
    def what_in_words(self) -> str:
        """The `what` as the log review shows it (audit.descriptions)."""
        from painrehab.audit.descriptions import describe

        return describe(self.what)


class AuditEventPatient(models.Model):
    """A patient named by an audit event."""

    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="patients"
    )
    patient_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "patient_id"], name="one_row_per_patient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.patient_id}"
