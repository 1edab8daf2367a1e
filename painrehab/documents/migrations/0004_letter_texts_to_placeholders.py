"""Letter texts move from Django template syntax to the fixed placeholders.

For each unit and kind, the newest saved text is converted: each known
expression becomes its placeholder (`{{ patient.first_name }}` -> `{förnamn}`).
A text that still holds template code after that (a condition, a loop, an
expression with no placeholder) is replaced by the shipped default. Either way
the result is saved as a new version; the earlier versions stay as they were,
so nothing the unit wrote is lost, but none of them is ever rendered as a
template again.
"""

import re

from django.db import migrations

EXPRESSIONS = {
    "patient.first_name": "förnamn",
    "patient.last_name": "efternamn",
    "patient.full_name": "namn",
    "patient.formatted_personnummer": "personnummer",
    "patient.interpreter_language": "tolkspråk",
    'referral.received_on|date:"Y-m-d"': "remissdatum",
    "referral.received_on": "remissdatum",
    "referral.referrer_name": "remittent",
    "unit.name": "mottagningens namn",
    "unit.phone": "mottagningens telefon",
    'today|date:"Y-m-d"': "dagens datum",
    "today": "dagens datum",
    'booking.starts_at|date:"l j F Y"': "besöksdatum",
    'booking.starts_at|time:"H:i"': "besökstid",
    "booking.staff.get_full_name": "besök hos",
    "screening_profession": "nybesök hos",
    "triage.reason": "skäl för återremiss",
    'new_visit.held_on|date:"Y-m-d"': "nybesöksdatum",
    "new_visit.get_outcome_display": "nybesökets planering",
    'conference.held_on|date:"Y-m-d"': "konferensdatum",
    'conference.main_problems|default:"–"': "huvudsakliga problem",
    "conference.main_problems": "huvudsakliga problem",
    'conference.contributing_factors|default:"–"': "bidragande faktorer",
    "conference.contributing_factors": "bidragande faktorer",
    'conference.resources|default:"–"': "patientens resurser",
    "conference.resources": "patientens resurser",
    'conference.expectations|default:"–"': "patientens förväntningar",
    "conference.expectations": "patientens förväntningar",
    "conference.get_decision_display": "teamets förslag",
    "conference.alternatives": "rekommenderade alternativ",
    'plan.signed_on|date:"Y-m-d"': "planens datum",
    'plan.overall_goal|default:"–"': "övergripande mål",
    "plan.overall_goal": "övergripande mål",
    "plan.get_track_display": "rehabiliteringsform",
    'ended_on|date:"Y-m-d"': "avslutsdatum",
    'follow_up.held_on|date:"Y-m-d"': "uppföljningsdatum",
    "follow_up.team_summary": "uppföljningens sammanfattning",
    "follow_up.setbacks": "bakslag",
    "follow_up.contacts_needed": "kontakter patienten behöver",
    'episode.closed_on|date:"Y-m-d"': "utskrivningsdatum",
    "discharge.get_reason_display": "utskrivningsorsak",
    "discharge.taken_over_by": "fortsatt ansvar",
    "discharge.recommendation": "rekommendation",
    "cohort.name": "programgrupp",
}
_VARIABLE = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def converted(text):
    """The text in placeholders, or None when template code is left."""

    def placeholder(match):
        name = EXPRESSIONS.get(match.group(1))
        return "{" + name + "}" if name else match.group(0)

    result = _VARIABLE.sub(placeholder, text)
    return None if ("{{" in result or "{%" in result or "{#" in result) else result


def to_placeholders(apps, schema_editor):
    from painrehab.documents.defaults import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("documents", "LetterTemplate")
    newest = {}
    for text in LetterTemplate.objects.order_by("unit_id", "kind", "version"):
        newest[(text.unit_id, text.kind)] = text
    for (unit_id, kind), text in newest.items():
        subject, body = converted(text.subject), converted(text.body)
        if subject is None or body is None:
            subject = DEFAULT_TEMPLATES[kind]["subject"]
            body = DEFAULT_TEMPLATES[kind]["body"]
        if (subject, body) == (text.subject, text.body):
            continue
        LetterTemplate.objects.create(
            unit_id=unit_id,
            kind=kind,
            version=text.version + 1,
            subject=subject,
            body=body,
            saved_by_id=text.saved_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_more_letter_kinds")]

    operations = [migrations.RunPython(to_placeholders, migrations.RunPython.noop)]
