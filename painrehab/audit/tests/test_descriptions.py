"""Every `what` the code writes has a description in words for the log review."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from painrehab.audit.descriptions import describe

SOURCE = Path(__file__).resolve().parents[2]
# what="…", what=f"…" and what = "…" in the application's code (not its tests).
WRITTEN = re.compile(r"""\bwhat\s*(?:=|\+=)\s*(f?)"([^"]*)\"""")


def _whats_in_the_code() -> list[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for is_f, text in WRITTEN.findall(path.read_text(encoding="utf-8")):
            if text.startswith(","):  # a suffix added to a what written above
                continue
            if is_f:  # a value stands in for each {…}: a number, as ids are
                text = re.sub(r"\{[^}]*\}", "1", text)
            found.add(text)
    return sorted(found)


def test_the_walk_finds_the_whats_of_the_code():
    whats = _whats_in_the_code()
    assert "episode page" in whats
    assert "letter drafted: 1" in whats
    assert len(whats) > 100


@pytest.mark.parametrize("what", _whats_in_the_code())
def test_every_what_in_the_code_has_a_description(what):
    with translation.override("sv"):
        described = describe(what)
    assert described, what
    assert "Annan händelse" not in described, what


def test_values_are_shown_in_words():
    with translation.override("sv"):
        assert describe("episode page") == "Vårdförloppets sida"
        assert describe("state triaged -> waiting_new_visit") == (
            "Steg: remissbedömd, att boka → väntar på nybesök"
        )
        assert describe("waiting list new_visit page 2") == "Väntelista: nybesök"
        assert describe("paper form entered hads") == (
            "Pappersformulär inmatat: Ångest- och depressionsskala (HADS)"
        )


def test_an_unknown_what_is_still_shown_without_code_underscores():
    with translation.override("sv"):
        assert describe("some_new_event") == "Annan händelse (some new event)"
