from django.contrib import admin

from painrehab.programmes.models import ProgrammeTemplate, Room, TemplateActivity


class TemplateActivityInline(admin.TabularInline):
    model = TemplateActivity
    extra = 0


@admin.register(ProgrammeTemplate)
class ProgrammeTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "weeks", "min_participants", "max_participants"]
    list_filter = ["unit"]
    inlines = [TemplateActivityInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind"]
    list_filter = ["unit", "kind"]
