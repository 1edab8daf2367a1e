"""Every word the clinic's own: a crawl of every staff page as every profession,
and of the patient's form, in Swedish, that fails on any English phrase, code
identifier, bracketed code or source note in the visible text.

The walk takes the URL patterns (as the access walk does), so a page added
later is crawled without anyone remembering to. Its objects are made by the
services: a patient carried from referral through triage, new visit,
investigation, conference, plan, programme and follow-up to discharge, with
letters and questionnaire results, next to one just referred; and a patient of
a primary-care unit with the KRT forms.
"""

import html
import os
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from faker import Faker

from painrehab.accounts.models import CareUnit, Membership, User
from painrehab.accounts.permissions import Profession
from painrehab.accounts.tests.test_access_walk import (
    objects_of_episode_unit,
)
from tests.fuzz.pages import staff_pages

pytestmark = pytest.mark.usefixtures("clock")

# English words and phrases that have no place in the Swedish interface. Whole
# words, case-insensitive unless marked; each has been seen on a page or is the
# kind of word a developer's note leaves behind.
ENGLISH_WORDS = [
    "the",
    "and",
    "of",
    "with",
    "from",
    "this",
    "that",
    "is",
    "are",
    "has",
    "have",
    "not",
    "none",
    "true",
    "false",
    "null",
    "unanswered",
    "answered",
    "missing",
    "item",
    "items",
    "score",
    "scored",
    "scoring",
    "prorate",
    "prorated",
    "licence",
    "license",
    "licensed",
    "configured",
    "seed",
    "todo",
    "means",
    "should",
    "must",
    "please",
    "patient's",
    "scale",
    "questionnaire",
    "anxiety",
    "inventory",
    "acceptance",
    "satisfied",
    "index",
    "standard",
]
ENGLISH_PHRASES = ["not configured", "unanswered", "instruments.md", "README"]
# Code and source notes: snake_case identifiers, bracketed codes such as [P] or
# [?], a file name, a score version such as v1.0, a Python dict or list, a
# section sign of the sources, subscripts written the programmer's way.
PATTERNS = {
    "snake_case identifier": r"\b[a-zA-Z]+_[a-zA-Z0-9_]+\b",
    "bracketed code": r"\[[A-Z?]\]",
    "file name": r"\b\w+\.(?:md|py|json|html|txt)\b",
    "version code": r"\bv\d+\.\d+",
    "Python value": r"\{'|'\}|\['|'\]|\bNone\b",
    "source note": r"§\s?\d|\((?:avsnitt|section|kapitel)\s\d",
    "programmer's subscript": r"\b[a-zA-Z]_[a-zA-Z0-9]\b",
}
# Instrument codes in lower case are identifiers: the patient and staff read
# the instrument's name or its abbreviation in capitals (NPRS, HADS).
LOWER_CASE_CODES = [
    "nprs",
    "tsk",
    "cpaq8",
    "eq5d5l",
    "hads",
    "isi",
    "lisat11",
    "pcs",
    "wai",
    "ompsq",
    "madrs",
    "who5",
    "obq11",
]
# Subscale keys that reached the results as bare capitals.
BARE_CODES = ["MO", "SC"]


def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    checks = [
        (
            f"English word {word!r}",
            re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.I),
        )
        for word in ENGLISH_WORDS
    ]
    checks += [
        (f"English phrase {phrase!r}", re.compile(re.escape(phrase), re.I))
        for phrase in ENGLISH_PHRASES
    ]
    checks += [(name, re.compile(pattern)) for name, pattern in PATTERNS.items()]
    checks += [
        (f"code {code!r}", re.compile(rf"(?<![\w-]){code}(?![\w-])"))
        for code in LOWER_CASE_CODES + BARE_CODES
    ]
    return checks


CHECKS = _compiled()


def findings(text: str) -> list[str]:
    """What reads as English or as code in a page's visible text, with context."""
    found = []
    for name, pattern in CHECKS:
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 40), match.end() + 40
            context = " ".join(text[start:end].split())
            found.append(f"{name}: …{context}…")
    return found


class _VisibleText(HTMLParser):
    """The text a person reads: element text and the attributes shown on screen
    (title, placeholder, aria-label, alt, a button's value); no script or style,
    and nothing marked as English (`lang="en"`: the language switch, a
    criterion's English text)."""

    HIDDEN = {"script", "style", "template", "head"}
    VOID = {"input", "br", "img", "meta", "link", "hr"}
    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self, other_language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.other_language = other_language
        self.parts: list[str] = []
        self.hidden = 0
        self.in_title = False
        self.english: list[str] = []  # open elements in the other language

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.HIDDEN:
            self.hidden += 1
        values = dict(attrs)
        if values.get("lang") == self.other_language and tag not in self.VOID:
            self.english.append(tag)
            return
        if self.english:
            return
        for name in self.SHOWN_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button"}:
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.english and self.english[-1] == tag:
            self.english.pop()
        if tag == "title":
            self.in_title = False
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if (not self.hidden or self.in_title) and not self.english:
            self.parts.append(data)


def visible_text(page: str, *, other_language: str = "en") -> str:
    """The visible text, leaving out what is marked as in `other_language`."""
    parser = _VisibleText(other_language)
    parser.feed(page)
    parser.close()
    return html.unescape("\n".join(p.strip() for p in parser.parts if p.strip()))


# --- The checker can fail ----------------------------------------------------------


def test_the_checker_finds_english_code_and_source_notes_in_a_sample():
    sample = visible_text(
        "<html><head><title>Resultat</title><script>var the_code = 1;</script></head>"
        "<body><h1>Resultat</h1><p>life_as_a_whole 4</p>"
        "<p>1 unanswered item (1); NPRS has one item [P]</p>"
        "<p>Källa: seed 2</p><p>scoring key not configured (instruments.md §8)</p>"
        "<p>age_between {'minimum': 18}</p><p>v1.0+prorate-max1</p>"
        "<p>Paket: nprs, tsk</p><p>MO 3</p><p title='Hospital Anxiety and Depression Scale'>"
        "HADS</p><p>d_z = 0,4</p></body></html>"
    )
    found = "\n".join(findings(sample))
    for expected in [
        "snake_case identifier: …Resultat Resultat life_as_a_whole",
        "English word 'unanswered'",
        "bracketed code",
        "English word 'seed'",
        "English phrase 'not configured'",
        "file name",
        "source note",
        "Python value",
        "version code",
        "code 'nprs'",
        "code 'MO'",
        "English word 'anxiety'",
        "programmer's subscript",
    ]:
        assert expected in found, expected
    assert "the_code" not in found  # scripts are not visible text


def test_the_checker_finds_a_section_number_of_the_sources():
    found = findings(
        visible_text("<p>Minst sex insatser i månaden (avsnitt 10.3):</p>")
    )
    assert [f for f in found if f.startswith("source note")], found


def test_the_checker_passes_swedish_text():
    sample = visible_text(
        "<h1>Resultat</h1><p>Livet som helhet: 4 (ganska tillfredsställande)</p>"
        "<p>HADS ångest 12 – trolig ångeststörning</p><p>Cohens <i>d</i><sub>z</sub> "
        "0,4</p><p>Inga obesvarade frågor.</p><input type='submit' value='Spara'>"
        "<button lang='en'>English</button><textarea lang='en'>Is of working age.</textarea>"
    )
    assert findings(sample) == []


# --- The clinic that is crawled ---------------------------------------------------

fake = Faker("sv_SE")
Faker.seed(16)

# Pages the crawl does not read (none now: every page passes).
SKIPPED_PAGES: set[str] = set()
# Files, not pages: PDF, calendar, CSV and FHIR downloads (letters and plans
# are written in Swedish by the letters engine whatever the interface).
NOT_PAGES = {
    "pathway:plan_pdf",
    "documents:pdf",
    "audit:patient_extract",
    "programmes:cohort_ics",
    "programmes:week_pdf",
    "programmes:staff_ics",
    "interop:fhir_patient",
    "interop:fhir_export",
}


def _member(
    unit: CareUnit, username: str, profession: str, admin: bool = False
) -> Membership:
    user = User.objects.create_user(
        username=username,
        password="test-password-123",
        first_name=fake.first_name(),
        last_name=fake.last_name(),
    )
    return Membership.objects.create(
        user=user, unit=unit, profession=profession, is_unit_admin=admin
    )


def _patient(unit: CareUnit, born: date, female: bool):  # noqa: ANN202
    from painrehab.core.personnummer import tax_agency_test_number
    from painrehab.patients.models import Patient

    return Patient.objects.create(
        unit=unit,
        personnummer=tax_agency_test_number(born=born, female=female),
        birth_date=born,
        first_name=fake.first_name_female() if female else fake.first_name_male(),
        last_name=fake.last_name(),
        street_address=fake.street_address(),
        postal_code="111 22",
        city=fake.city(),
    )


USERNAMES = {
    Profession.PHYSICIAN: "lakare",
    Profession.PSYCHOLOGIST: "psykolog",
    Profession.PHYSIOTHERAPIST: "fysioterapeut",
    Profession.OCCUPATIONAL_THERAPIST: "arbetsterapeut",
    Profession.SOCIAL_WORKER: "kurator",
    Profession.COORDINATOR_NURSE: "koordinator",
    Profession.REHAB_COORDINATOR: "rehabkoordinator",
    Profession.SPORTS_LEADER: "idrottsledare",
    Profession.SECRETARY: "sekreterare",
}


@pytest.fixture
def clinic(db, today):  # noqa: ANN001, ANN201
    from painrehab.steps.referral.services import open_episode

    unit = CareUnit.objects.create(
        name="Smärtrehab Specialist",
        kind=CareUnit.Kind.SPECIALIST,
        letterhead_address="Box 1\n111 11 Stad",
    )
    members = {p: _member(unit, name, p) for p, name in USERNAMES.items()}
    members["unit administrator"] = _member(
        unit, "enhetsadmin", Profession.COORDINATOR_NURSE, admin=True
    )
    just_referred = open_episode(
        patient=_patient(unit, date(1985, 1, 1), True),
        by=members[Profession.COORDINATOR_NURSE],
        source="referral",
        received_on=today - timedelta(days=3),
        referrer_name="Dr Lind",
    )
    objects = {k: make() for k, make in objects_of_episode_unit(just_referred).items()}
    carried = _carried_through(unit, members, today)
    primary = CareUnit.objects.create(
        name="Vårdcentralen Norr", kind=CareUnit.Kind.PRIMARY_CARE
    )
    primary_member = _member(primary, "koordinatorpv", Profession.COORDINATOR_NURSE)
    krt = _krt_episode(primary, primary_member, today)
    return {
        "members": members,
        "objects": objects,
        "carried": carried,
        "primary_member": primary_member,
        "primary_objects": krt,
    }


def _carried_through(unit, members, today):  # noqa: ANN001, ANN202
    """A patient from referral to discharge, by the services, with what each
    step leaves behind: records, criteria, plan and goals, letters, results."""
    from painrehab.documents.services import draft_letter
    from painrehab.pathway.models import Episode, Referral
    from painrehab.pathway.services.transitions import move_episode
    from painrehab.pathway.states import State
    from painrehab.questionnaires.scoring import definition
    from painrehab.questionnaires.services import (
        enter_paper_form,
        record_staff_rating,
        send_package,
    )
    from painrehab.steps.conference.services import (
        decide_after_conference,
        start_conference,
        update_conference,
    )
    from painrehab.steps.investigation.services import save_investigation_record
    from painrehab.steps.plan.services import add_goal, open_plan
    from painrehab.steps.referral.services import open_episode

    physician = members[Profession.PHYSICIAN]
    coordinator = members[Profession.COORDINATOR_NURSE]
    episode = open_episode(
        patient=_patient(unit, date(1972, 5, 17), False),
        by=coordinator,
        source="referral",
        received_on=today - timedelta(days=200),
        referrer_name="Dr Lind",
    )
    Referral.objects.filter(episode=episode).update(
        referrer_address="Box 9\n111 99 Stad", pain_duration_months=24
    )
    sent = send_package(by=coordinator, episode=episode, time_point="registry_before")
    for code in sent.request.codes:
        answers = {
            item.number: item.options[-1].value if item.options else "Ont i ryggen"
            for item in definition(code).items
        }
        if code == "nprs":
            answers.pop(min(answers))  # one unanswered item
        if answers:
            enter_paper_form(
                by=coordinator,
                questionnaire_request=sent.request,
                code=code,
                answers=answers,
                answered_on=today,
            )
    for state, by in [
        (State.TRIAGED, physician),
        (State.WAITING_NEW_VISIT, coordinator),
        (State.NEW_VISIT, physician),
        (State.TEAM_INVESTIGATION, physician),
    ]:
        move_episode(episode=Episode.objects.get(pk=episode.pk), to=state, by=by)
    episode = Episode.objects.get(pk=episode.pk)
    for profession in [Profession.PHYSICIAN, Profession.PSYCHOLOGIST]:
        save_investigation_record(
            by=members[profession],
            episode=episode,
            values={"assessment": "Långvarig ryggsmärta sedan två år."},
            expected_version=None,
        )
    record_staff_rating(
        by=physician,
        episode=episode,
        time_point="registry_before",
        code="madrs",
        answers={n: 1 for n in range(1, 11)},
        rated_on=today,
    )
    conference = start_conference(
        by=physician,
        episode=episode,
        held_on=today,
        participants=[physician.user, coordinator.user],
    )
    from painrehab.pathway import criteria as rules

    update_conference(
        by=physician,
        conference=conference,
        expected_version=1,
        confirmations={
            c.key: c.kind == rules.CriterionKind.INCLUSION
            for c in rules.SPECIALIST_CRITERIA
            if c.rule is None and c.kind != rules.CriterionKind.INDIVIDUAL_REASON
        },
    )
    decide_after_conference(
        by=physician,
        conference=conference,
        decision="group_programme",
        expected_version=2,
    )
    plan = open_plan(by=physician, episode=Episode.objects.get(pk=episode.pk))
    add_goal(
        by=physician,
        plan=plan,
        profession=Profession.PHYSIOTHERAPIST,
        owner=members[Profession.PHYSIOTHERAPIST].user,
        description="Gå 30 minuter",
        measure="Promenad",
        target_date=today + timedelta(days=60),
    )
    draft_letter(
        by=coordinator, episode=Episode.objects.get(pk=episode.pk), kind="invitation"
    )
    for state in [State.PREPARATION, State.GROUP_PROGRAMME, State.FOLLOW_UP]:
        try:
            move_episode(
                episode=Episode.objects.get(pk=episode.pk), to=state, by=physician
            )
        except Exception:  # noqa: BLE001 — a step the state table guards: stop there
            break
    discharged = open_episode(
        patient=_patient(unit, date(1990, 3, 3), True),
        by=coordinator,
        source="referral",
        received_on=today - timedelta(days=90),
        referrer_name="Dr Lind",
    )
    for_the_patient = send_package(
        by=coordinator, episode=discharged, time_point="registry_before"
    )
    return {
        "episode": Episode.objects.get(pk=episode.pk),
        "discharged": discharged,
        "patient_link": for_the_patient,
    }


def _krt_episode(unit, member, today):  # noqa: ANN001, ANN202
    from painrehab.steps.referral.services import open_episode

    episode = open_episode(
        patient=_patient(unit, date(1968, 8, 8), False),
        by=member,
        source="referral",
        received_on=today - timedelta(days=10),
        referrer_name="Dr Lind",
    )
    return {k: make() for k, make in objects_of_episode_unit(episode).items()}


# --- The crawl -------------------------------------------------------------------


def _pages(objects: dict[str, int]) -> list[tuple[str, str]]:
    return [
        (page.name, page.path)
        for page in staff_pages(objects)
        if page.name not in SKIPPED_PAGES | NOT_PAGES
        and not page.path.startswith("/api/")
    ]


def _check(client: Client, path: str, seen: dict[str, set[str]], who: str) -> None:
    response = client.get(path)
    if response.status_code >= 500:
        seen.setdefault(f"server error {response.status_code}", set()).add(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return
    text = visible_text(response.content.decode())
    for finding in findings(text):
        seen.setdefault(finding, set()).add(f"{path} ({who})")


def _crawl_the_patient_form(sent, seen: dict[str, set[str]]) -> None:  # noqa: ANN001
    """The patient's pages: the link, the code page, every page of the form
    (one per instrument, then the summary) and the page after sending."""
    patient = Client()
    _check(patient, f"/f/{sent.token}/", seen, "patient")
    _check(patient, "/f/kod/", seen, "patient")
    opened = patient.post(f"/f/{sent.token}/", {"value": "19900303"})
    assert opened["Location"] == "/f/svar/"  # the form is open: its pages are real
    assert "Smärtintensitet" in patient.get("/f/svar/?sida=1").content.decode()
    for number in range(1, len(sent.request.codes) + 2):
        _check(patient, f"/f/svar/?sida={number}", seen, "patient")


def _pages_of_the_carried_patient(episode, objects: dict[str, int]) -> list[str]:  # noqa: ANN001
    """The pages of the patient carried through the pathway: every page that
    takes only the episode or the patient, and each instrument's result."""
    from painrehab.questionnaires.models import Result

    ids = {"episode_id": episode.pk, "patient_id": episode.patient_id}
    pages = []
    for page in staff_pages({**objects, **ids}):
        keys = set(page.pattern.pattern.converters)
        if keys and keys <= set(ids) and page.name not in SKIPPED_PAGES | NOT_PAGES:
            pages.append(page.path)
    assert f"/vardforlopp/{episode.pk}/bedomningskonferens/" in pages
    assert f"/vardforlopp/{episode.pk}/plan/" in pages
    pages += [
        f"/formular/resultat/{pk}/"
        for pk in Result.objects.filter(episode=episode).values_list("pk", flat=True)
    ]
    return pages


def test_every_staff_page_reads_in_swedish_for_every_profession(clinic):
    seen: dict[str, set[str]] = {}
    pages = [path for _name, path in _pages(clinic["objects"])]
    pages += _pages_of_the_carried_patient(
        clinic["carried"]["episode"], clinic["objects"]
    )
    for who, member in clinic["members"].items():
        client = Client()
        client.force_login(member.user)
        for path in pages:
            _check(client, path, seen, str(who))
    client = Client()
    client.force_login(clinic["primary_member"].user)
    for _name, path in _pages(clinic["primary_objects"]):
        _check(client, path, seen, "primary care")
    _crawl_the_patient_form(clinic["carried"]["patient_link"], seen)
    report = "\n".join(
        f"{finding}\n    on {', '.join(sorted(where)[:3])}"
        for finding, where in sorted(seen.items())
    )
    if os.environ.get("PAINREHAB_FINDINGS_FILE"):  # the whole list, for fixing
        Path(os.environ["PAINREHAB_FINDINGS_FILE"]).write_text(report)
    assert not seen, f"{len(seen)} findings:\n{report}"


# --- English is complete too ----------------------------------------------------

# Swedish words that have no place in the English interface (patients' names,
# the unit's own texts and typed notes are Swedish data and use none of these).
SWEDISH_WORDS = [
    "och",
    "att",
    "som",
    "inte",
    "eller",
    "för",
    "med",
    "till",
    "på",
    "är",
    "ska",
    "har",
    "sidan",
    "Spara",
    "Avbryt",
    "dagar",
    "Vårdförlopp",
    "Remiss",
    "Formulär",
    "poäng",
]
SWEDISH = re.compile(r"(?<![\w-])(" + "|".join(SWEDISH_WORDS) + r")(?![\w-])")


def test_the_english_interface_has_no_swedish_leftovers_on_key_pages(clinic):
    carried = clinic["carried"]["episode"]
    objects = clinic["objects"]
    client = Client()
    client.force_login(clinic["members"]["unit administrator"].user)
    client.cookies["django_language"] = "en"
    pages = [
        f"/vardforlopp/{carried.pk}/",
        f"/patienter/{carried.patient_id}/",
        f"/formular/resultat/{objects['result_id']}/",
        "/vardforlopp/kriterier/specialist/",
        "/vardforlopp/vantelista/new_visit/",
        "/statistik/utfall/",
        "/logg/",
        "/program/mallar/",
        "/finns-inte/",
    ]
    found = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        text = visible_text(response.content.decode(), other_language="sv")
        assert "Log out" in text or response.status_code == 404, path
        for match in SWEDISH.finditer(text):
            context = " ".join(
                text[max(0, match.start() - 40) : match.end() + 40].split()
            )
            found.setdefault(f"{match[0]!r}: …{context}…", path)
    assert not found, "\n".join(f"{k} on {v}" for k, v in sorted(found.items()))
