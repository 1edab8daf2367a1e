from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """A saved version of a clinical record: edits keep history.

    Services that change a versioned record write the state *after* the change
    here, numbered by the record's `version`, in the same transaction.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    version = models.PositiveIntegerField()
    data = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "version"],
                name="one_row_per_version",
            )
        ]
        ordering = ["content_type", "object_id", "version"]

    def __str__(self) -> str:
        return f"{self.content_type} {self.object_id} v{self.version}"
