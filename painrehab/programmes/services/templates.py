"""The shipped templates as unit data, and unit data back as scheduler input."""

from django.db import IntegrityError, transaction

from painrehab.accounts.models import CareUnit
from painrehab.programmes import templates_data as data
from painrehab.programmes.models import ProgrammeTemplate, TemplateActivity


def ensure_default_templates(unit: CareUnit | int) -> list[ProgrammeTemplate]:
    """The unit's copies of the shipped templates, created on first call.

    Idempotent: a template the unit already has (by key) is left as the unit
    changed it; a template the unit lacks is copied from `templates_data`.
    Safe under concurrency (a racing insert loses to the unique constraint).
    """
    unit_id = unit.pk if isinstance(unit, CareUnit) else unit
    have = set(
        ProgrammeTemplate.objects.filter(unit_id=unit_id).values_list("key", flat=True)
    )
    for template in data.TEMPLATES:
        if template.key not in have:
            try:
                _install(unit_id, template)
            except IntegrityError:  # another request installed it first
                pass
    return list(ProgrammeTemplate.objects.filter(unit_id=unit_id).order_by("name"))


@transaction.atomic
def _install(unit_id: int, template: data.ProgrammeTemplate) -> ProgrammeTemplate:
    low, high = template.days_per_week or (None, None)
    row = ProgrammeTemplate.objects.create(
        unit_id=unit_id,
        key=template.key,
        name=template.name_sv,
        weeks=template.weeks,
        days_per_week_min=low,
        days_per_week_max=high,
        week_day_limits={
            str(week): list(limits) for week, limits in template.week_day_limits.items()
        },
        min_participants=template.min_participants,
        max_participants=template.max_participants,
        source=template.source,
    )
    TemplateActivity.objects.bulk_create(
        TemplateActivity(
            template=row,
            position=position,
            key=activity.key,
            name=activity.name_sv,
            professions=[
                spec if isinstance(spec, str) else list(spec)
                for spec in activity.professions
            ],
            minutes=activity.minutes,
            room_kind=activity.room_kind,
            weeks=list(activity.weeks),
            per_week=activity.per_week,
            per_week_max=activity.per_week_max,
            group_size=activity.group_size,
            prefer_morning=activity.prefer_morning,
            after=list(activity.after),
            source=activity.source,
        )
        for position, activity in enumerate(template.activities, start=1)
    )
    return row


def template_data(
    template: ProgrammeTemplate, activities: list[TemplateActivity] | None = None
) -> data.ProgrammeTemplate:
    """A unit's template as the plain data `expand_template` reads."""
    if activities is None:
        activities = list(template.activities.order_by("position"))
    days = None
    if (
        template.days_per_week_min is not None
        and template.days_per_week_max is not None
    ):
        days = (template.days_per_week_min, template.days_per_week_max)
    return data.ProgrammeTemplate(
        key=template.key,
        name=template.name,
        name_sv=template.name,
        weeks=template.weeks,
        activities=tuple(
            data.TemplateActivity(
                key=activity.key,
                name=activity.name,
                name_sv=activity.name,
                professions=tuple(
                    spec if isinstance(spec, str) else tuple(spec)
                    for spec in activity.professions
                ),
                minutes=activity.minutes,
                room_kind=activity.room_kind,
                weeks=tuple(activity.weeks),
                per_week=activity.per_week,
                per_week_max=activity.per_week_max,
                group_size=activity.group_size,
                prefer_morning=activity.prefer_morning,
                after=tuple(activity.after),
                source=activity.source,
            )
            for activity in activities
        ),
        days_per_week=days,
        week_day_limits={
            int(week): (limits[0], limits[1])
            for week, limits in template.week_day_limits.items()
        },
        min_participants=template.min_participants,
        max_participants=template.max_participants,
        source=template.source,
    )
