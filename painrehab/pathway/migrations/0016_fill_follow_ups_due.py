"""Fill the due follow-up rows of the episodes already in follow-up or discharged."""

from django.db import migrations


def fill(apps, schema_editor):  # noqa: ANN001, ANN201, ARG001
    Episode = apps.get_model("pathway", "Episode")  # noqa: N806
    if not Episode.objects.filter(state__in=["follow_up", "discharged"]).exists():
        return  # a new database: nothing to fill (and no later schema to read)
    # The rows are the rule's; the service reads episodes, events, plans,
    # records and KRT theory sessions as the app does.
    from painrehab.pathway.services.follow_ups_due import refresh_all_follow_ups_due

    refresh_all_follow_ups_due()


class Migration(migrations.Migration):
    dependencies = [
        ("pathway", "0015_follow_ups_due"),
        ("programmes", "0002_session_follow_up_key"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
