from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts.models import CareUnit, Membership, User
from painrehab.audit.services import Action, record

# The admin would show each authenticator's key; a second factor is reset by
# the unit administrator's audited page instead (accounts/login_views.py).
admin.site.unregister(TOTPDevice)


@admin.register(CareUnit)
class CareUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return Membership.all_periods.select_related("unit")  # ended ones too


@admin.register(User)
class StaffAdmin(UserAdmin):
    inlines = [MembershipInline]
    fieldsets = [
        *(UserAdmin.fieldsets or ()),
        (_("Single sign-on"), {"fields": ["hsa_id"]}),
    ]
    # Ignored for mypy: django-stubs types list_display as an instance variable
    # generic in the model; Django reads it from the class, as we do.
    list_display = [*UserAdmin.list_display, "hsa_id"]  # type: ignore[misc]

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[User],
        formset: BaseInlineFormSet[Membership, User, ModelForm[Membership]],
        change: bool,
    ) -> None:
        """Every grant and change of access is itself audited."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record(
                by=request.user,
                unit=obj.unit_id,
                action=Action.ACCESS_CHANGE,
                obj=obj,
                what=f"access removed: {obj.user} {obj.profession}",
            )
            obj.delete()
        for obj in instances:
            obj.save()
            record(
                by=request.user,
                unit=obj.unit_id,
                action=Action.ACCESS_CHANGE,
                obj=obj,
                what=f"access granted: {obj.user} {obj.profession} admin={obj.is_unit_admin}",
            )
        formset.save_m2m()
