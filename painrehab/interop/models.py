"""Integration tokens for the JSON API: one membership each, stored only as a hash."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import Membership


def hash_token(raw: str) -> str:
    """SHA-256 of the token: enough for 256 random bits, and never reversible."""
    return hashlib.sha256(raw.encode()).hexdigest()


class IntegrationToken(models.Model):
    """API access for an integration user, acting as one unit membership.

    The token itself is shown once, when created; only its hash is kept.
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="integration_tokens"
    )
    label = models.CharField(_("label"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")

    def __str__(self) -> str:
        return f"{self.membership} {self.label}".strip()
