from django.contrib import admin
from django.http import HttpRequest

from painrehab.interop.models import IntegrationToken


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    """Review and revoke tokens; new ones come from `create_integration_token`."""

    list_display = ["membership", "label", "created_at", "revoked_at"]
    fields = ["membership", "label", "created_at", "revoked_at"]
    readonly_fields = ["membership", "label", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
