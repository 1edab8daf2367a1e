"""The shipped templates as unit data: loaded once per unit, read back unchanged."""

from datetime import date

from painrehab.programmes.models import ProgrammeTemplate, TemplateActivity
from painrehab.programmes.services.templates import (
    ensure_default_templates,
    template_data,
)
from painrehab.programmes.templates_data import (
    KRT_GROUP,
    SPECIALIST_PROGRAMME,
    expand_template,
)


def test_each_unit_gets_both_templates_once(unit_a, unit_b) -> None:
    first = ensure_default_templates(unit_a)
    again = ensure_default_templates(unit_a)
    ensure_default_templates(unit_b)
    assert [t.pk for t in first] == [t.pk for t in again]
    assert sorted(t.key for t in first) == ["krt_primary_care", "specialist_5_weeks"]
    assert ProgrammeTemplate.objects.count() == 4
    specialist = next(t for t in first if t.key == "specialist_5_weeks")
    assert (
        specialist.name,
        specialist.weeks,
        specialist.days_per_week_min,
        specialist.days_per_week_max,
        specialist.week_day_limits,
        specialist.min_participants,
        specialist.max_participants,
        specialist.absence_threshold_percent,
    ) == ("Smärtrehabprogram, fem veckor", 5, 3, 4, {"1": [4, 4]}, 4, 7, 20)
    krt = next(t for t in first if t.key == "krt_primary_care")
    assert (krt.min_participants, krt.max_participants, krt.days_per_week_min) == (
        4,
        6,
        None,
    )
    assert TemplateActivity.objects.filter(template=specialist).count() == len(
        SPECIALIST_PROGRAMME.activities
    )


def test_a_units_change_is_kept(unit_a) -> None:
    (template, *_rest) = ensure_default_templates(unit_a)
    template.max_participants = 8
    template.save()
    ensure_default_templates(unit_a)
    assert ProgrammeTemplate.objects.get(pk=template.pk).max_participants == 8


def test_stored_templates_expand_like_the_shipped_data(unit_a) -> None:
    by_key = {t.key: t for t in ensure_default_templates(unit_a)}
    for shipped in (SPECIALIST_PROGRAMME, KRT_GROUP):
        stored = template_data(by_key[shipped.key])
        start = date(2026, 3, 2)
        for participants in (4, 6):
            mine = expand_template(
                template=stored, start=start, participants=participants
            )
            theirs = expand_template(
                template=shipped, start=start, participants=participants
            )
            # The unit's names are the seed's Swedish terms; all else is equal.
            swedish = {a.name: a.name_sv for a in shipped.activities}
            for week_mine, week_theirs in zip(mine, theirs, strict=True):
                assert week_mine.day_limits == week_theirs.day_limits
                pairs = list(zip(week_mine.demands, week_theirs.demands, strict=True))
                for d_mine, d_theirs in pairs:
                    assert (
                        d_mine.key,
                        d_mine.professions,
                        d_mine.minutes,
                        d_mine.per_week,
                        d_mine.attendees,
                        d_mine.room_kind,
                        d_mine.group,
                        d_mine.after,
                    ) == (
                        d_theirs.key,
                        d_theirs.professions,
                        d_theirs.minutes,
                        d_theirs.per_week,
                        d_theirs.attendees,
                        d_theirs.room_kind,
                        d_theirs.group,
                        d_theirs.after,
                    )
                    base, _, suffix = d_theirs.name.partition(" (")
                    base = d_theirs.name if base not in swedish else base
                    expected = swedish.get(base, d_theirs.name)
                    if suffix and base in swedish:
                        expected += " (" + suffix
                    assert d_mine.name == expected
