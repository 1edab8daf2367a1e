"""Letter texts reach nothing: a fixed vocabulary of placeholders, filled in
as plain text by the system (security issue, point 1)."""

import pytest
from django.contrib.auth.hashers import make_password

from painrehab.accounts.models import User
from painrehab.audit.models import AuditEvent
from painrehab.documents.defaults import DEFAULT_TEMPLATES
from painrehab.documents.letter_values import letter_facts, letter_values
from painrehab.documents.models import Letter, LetterKind, LetterTemplate
from painrehab.documents.placeholders import NAMES, fill, unknown_placeholders
from painrehab.documents.services import LetterRefused, draft_letter, save_template

# The text the probe saved: it walked from the patient to the other unit's
# patients and to the staff's password hashes, and did arithmetic.
ATTACK = """{% for m in patient.unit.memberships.all %}{% for n in m.user.memberships.all %}{% for p in n.unit.patients.all %}{{ p.personnummer }} {{ p.full_name }} {{ p.street_address }} {{ p.phone }}
{% endfor %}{% endfor %}{{ m.user.password }}
{% endfor %}{{7|add:35}}"""


# --- the rules, without the database ---------------------------------------


def test_placeholders_are_filled_with_their_values():
    text = "Hej {förnamn}, välkommen {besöksdatum} kl. {besökstid}."
    values = {
        "förnamn": "Anna",
        "besöksdatum": "måndag 4 januari",
        "besökstid": "09:30",
    }
    assert fill(text, values) == "Hej Anna, välkommen måndag 4 januari kl. 09:30."


def test_placeholder_names_ignore_case_and_extra_spaces():
    assert (
        fill(
            "{Förnamn} på {mottagningens   telefon}",
            {"förnamn": "Anna", "mottagningens telefon": "010-1"},
        )
        == "Anna på 010-1"
    )


def test_a_line_whose_placeholder_says_nothing_is_left_out():
    text = "Hej {förnamn},\n- Tid: 09:30\n- {tolk}\n{tolk}\nVälkommen!"
    assert fill(text, {"förnamn": "Anna", "tolk": ""}) == (
        "Hej Anna,\n- Tid: 09:30\nVälkommen!"
    )


def test_a_left_out_line_leaves_one_paragraph_break_not_two():
    text = "Hej {förnamn},\n\n{tolk}\n\nVälkommen!"
    assert fill(text, {"förnamn": "Anna", "tolk": ""}) == "Hej Anna,\n\nVälkommen!"


def test_a_value_is_never_filled_a_second_time():
    assert fill("{namn}", {"namn": "{personnummer}", "personnummer": "x"}) == (
        "{personnummer}"
    )


def test_unknown_placeholders_and_template_code_are_named_once_each():
    text = "{förnamn} {{ patient.password }} {% if x %} {okänd} {okänd} {{7|add:35}}"
    assert unknown_placeholders(text) == [
        "{{ patient.password }}",
        "{% if x %}",
        "{{7|add:35}}",
        "{okänd}",
    ]


def test_a_brace_that_opens_or_closes_nothing_is_refused():
    # Found walking the editor: "Hej {förnamn, välkommen" reached a final letter.
    assert unknown_placeholders("Hej {förnamn, välkommen") == ["{förnamn, välkommen"]
    assert unknown_placeholders("Pris {ca 100 kr\n} per besök") == [
        "{ca 100 kr",
        "} per besök",
    ]


def test_a_line_with_a_placeholder_that_says_nothing_is_left_out_whole():
    # Found walking the editor: "Arbetsgivare: {arbetsgivare}" in an invitation
    # printed "Arbetsgivare:" with nothing after it.
    text = (
        "Hej {förnamn},\nArbetsgivare: {arbetsgivare}\nTelefon: {mottagningens telefon}"
    )
    values = {"förnamn": "Anna", "arbetsgivare": "", "mottagningens telefon": " "}
    assert fill(text, values) == "Hej Anna,"


@pytest.mark.parametrize("kind", list(DEFAULT_TEMPLATES))
def test_every_shipped_text_uses_only_the_vocabulary(kind):
    text = DEFAULT_TEMPLATES[kind]
    assert unknown_placeholders(f"{text['subject']}\n{text['body']}") == []
    assert "{{" not in text["body"]
    assert "{%" not in text["body"]


# --- saving a unit's text ---------------------------------------------------


def test_the_probes_text_is_refused_when_saved(coordinator):
    with pytest.raises(LetterRefused) as refused:
        save_template(
            by=coordinator, kind=LetterKind.INVITATION, subject="Kallelse", body=ATTACK
        )
    assert "{% for m in patient.unit.memberships.all %}" in refused.value.message
    assert "{{7|add:35}}" in refused.value.message
    assert LetterTemplate.objects.count() == 0


# --- drafting: nothing but the values reaches a letter ----------------------


@pytest.fixture
def other_units_patients(patient_b, other_physician):  # noqa: ANN001, ANN201
    other_physician.user.password = make_password("hemligt-lösenord-1")
    other_physician.user.save()
    return patient_b


def test_a_stored_text_with_template_code_prints_as_typed_and_reaches_nothing(
    episode_a, coordinator, other_units_patients, today
):
    # A text stored before the vocabulary (or written straight to the table)
    # is never run as a template: its code is printed, nothing is looked up.
    LetterTemplate.objects.create(
        unit_id=coordinator.unit_id,
        kind=LetterKind.INVITATION,
        version=1,
        subject="Kallelse {{ patient.unit.memberships.all }}",
        body=f"Hej {{förnamn}}\n{ATTACK}",
        saved_by=coordinator.user,
    )
    letter = draft_letter(
        by=coordinator,
        episode=episode_a,
        kind=LetterKind.INVITATION,
        today=today,
    )
    printed = f"{letter.subject}\n{letter.body}"
    assert letter.body.startswith("Hej Anna\n{% for m in")
    assert "42" not in printed
    assert other_units_patients.personnummer not in printed
    assert other_units_patients.last_name not in printed
    assert "md5$" not in printed
    assert "pbkdf2" not in printed
    assert all(user.password not in printed for user in User.objects.all())
    drafted = AuditEvent.objects.get(what="letter drafted: invitation")
    assert list(drafted.patients.values_list("patient_id", flat=True)) == [
        episode_a.patient_id
    ]


def test_every_placeholder_has_a_value_for_a_new_episode(episode_a, today):
    values = letter_values(letter_facts(episode=episode_a, today=today))
    assert set(values) == NAMES
    assert all(isinstance(value, str) for value in values.values())
    assert values["förnamn"] == "Anna"
    assert values["personnummer"] == episode_a.patient.formatted_personnummer
    assert values["dagens datum"] == today.isoformat()
    assert values["remissdatum"] == "2026-10-01"  # episode_a's referral (conftest.py)
    assert values["tolk"] == ""


def test_the_interpreter_line_appears_only_for_a_patient_who_needs_one(
    episode_a, coordinator, physician
):
    from painrehab.steps.triage.services import triage_referral

    patient = episode_a.patient
    patient.needs_interpreter, patient.interpreter_language = True, "arabiska"
    patient.save()
    triage_referral(by=physician, episode=episode_a, outcome="new_visit")
    letter = Letter.objects.get(kind=LetterKind.CONFIRMATION_PATIENT)
    assert "Tolk på arabiska bokas till besöket." in letter.body
    assert "{" not in letter.body


# --- the editor ---------------------------------------------------------------


def test_the_editor_lists_the_placeholders_beside_the_text(client_for, coordinator):
    page = client_for(coordinator).get("/brev/mallar/invitation/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Platshållare du kan använda" in html
    assert "{besöksdatum}" in html
    assert "Besöksdagen, t.ex." in html


def test_an_unknown_placeholder_is_explained_in_swedish_and_the_text_is_kept(
    client_for, coordinator
):
    typed = "Hej {förnamn}, ring {telefonnummer} senast {dagens datum}."
    page = client_for(coordinator).post(
        "/brev/mallar/invitation/", {"subject": "Kallelse", "body": typed}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Texten använder {telefonnummer}, som systemet inte kan fylla i." in html
    assert typed in html
    assert LetterTemplate.objects.count() == 0


# --- texts saved before the vocabulary ---------------------------------------


def test_saved_texts_are_migrated_to_placeholders_or_to_the_shipped_text(
    coordinator, unit_b, other_physician
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "painrehab.documents.migrations.0004_letter_texts_to_placeholders"
    )
    simple = LetterTemplate.objects.create(
        unit_id=coordinator.unit_id,
        kind=LetterKind.INVITATION,
        version=3,
        subject="Kallelse {{ patient.full_name }}",
        body='Hej {{ patient.first_name }}, tid {{ booking.starts_at|date:"l j F Y" }}.',
        saved_by=coordinator.user,
    )
    LetterTemplate.objects.create(
        unit_id=unit_b.pk,
        kind=LetterKind.INVITATION,
        version=1,
        subject="Kallelse",
        body=ATTACK,
        saved_by=other_physician.user,
    )
    migration.to_placeholders(apps, None)
    own = LetterTemplate.objects.get(unit_id=coordinator.unit_id, version=4)
    assert (own.subject, own.body) == (
        "Kallelse {namn}",
        "Hej {förnamn}, tid {besöksdatum}.",
    )
    other = LetterTemplate.objects.get(unit_id=unit_b.pk, version=2)
    assert other.body == DEFAULT_TEMPLATES[LetterKind.INVITATION]["body"]
    assert (
        LetterTemplate.objects.get(pk=simple.pk).body == simple.body
    )  # kept as history
