import datetime
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from painrehab.documents.render import (
    Letterhead,
    Recipient,
    render_document_pdf,
    render_letter_pdf,
    text_blocks,
)

UNIT = Letterhead(
    unit_name="Smärtrehabilitering Södersjukhuset",
    address_lines=("Sjukhusbacken 10", "118 83 Stockholm"),
    phone="08-616 10 00",
)
PATIENT = Recipient(name="Åsa Öberg", address_lines=("Storgatan 1", "123 45 Växjö"))
DATE = datetime.date(2025, 10, 1)
PARAGRAPH = (
    "Under programmet arbetar du i grupp med fysisk aktivitet, smärthantering, "
    "sömn och återgång i arbete. Vi följer upp dina mål vid varje avstämning. "
)

INJECTIONS = [
    '#panic("x")',
    "$x$",
    '#import "common.typ": *',
    '#read("letter.typ")',
    '#include "letter.typ"',
    "#{ 1 + 1 }",
    "] [",
    "*fet* _kursiv_",
    "<etikett> @ref",
    "back\\slash \\",
    "`kod` ```python print()```",
    "// inte en kommentar",
    "= Inte en rubrik",
    '#set text(fill: red)"',
    "#sys.inputs",
]


def letter(**overrides):
    arguments = {
        "letterhead": UNIT,
        "recipient": PATIENT,
        "date": DATE,
        "subject": "Kallelse till nybesök",
        "body": "Välkommen till nybesök hos vårt team.",
        "signature": "Anna Andersson\nLeg. fysioterapeut",
        "reference": "PR-2025-0142",
    }
    return render_letter_pdf(**{**arguments, **overrides})


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat_text(pdf: bytes) -> str:
    """All text on all pages with runs of whitespace as single spaces."""
    return " ".join(" ".join(pages_text(pdf)).split())


def test_letter_is_a_pdf():
    assert letter().startswith(b"%PDF-")


def test_letter_shows_unit_date_reference_recipient_subject_body_and_signature():
    text = flat_text(
        letter(
            subject="Kallelse till nybesök – smärtrehabilitering",
            body="Hej Åsa!\n\nDu är välkommen till ett nybesök på mottagningen.",
        )
    )

    for expected in [
        "Smärtrehabilitering Södersjukhuset",
        "Sjukhusbacken 10",
        "118 83 Stockholm",
        "Telefon 08-616 10 00",
        "Datum 2025-10-01",
        "Vår referens PR-2025-0142",
        "Åsa Öberg Storgatan 1 123 45 Växjö",
        "Kallelse till nybesök – smärtrehabilitering",
        "Hej Åsa!",
        "Du är välkommen till ett nybesök på mottagningen.",
        "Med vänlig hälsning Anna Andersson Leg. fysioterapeut",
    ]:
        assert expected in text


def test_swedish_letters_and_punctuation_are_printed():
    swedish = "åäö ÅÄÖ é – ”Citat” Müller"
    text = flat_text(letter(recipient=Recipient(name=swedish), body=swedish))

    assert text.count(swedish) == 2


def test_bullet_lines_become_a_list():
    text = flat_text(letter(body="Ta med:\n- läkemedelslista\n- glasögon"))

    assert "Ta med: • läkemedelslista • glasögon" in text


def test_letter_without_signature_has_no_closing_greeting():
    text = flat_text(letter(signature=""))

    assert "Med vänlig hälsning" not in text


def test_letter_without_reference_has_no_reference_label():
    text = flat_text(letter(reference=""))

    assert "Vår referens" not in text
    assert "Datum 2025-10-01" in text


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_markup_in_any_field_is_printed_literally(attempt):
    pdf = letter(
        letterhead=Letterhead(unit_name=f"Enhet {attempt}"),
        recipient=Recipient(name=f"Namn {attempt}", address_lines=(attempt,)),
        subject=f"Ärende {attempt}",
        body=f"Brödtext {attempt}\n\n- punkt {attempt}",
        signature=f"Signatur {attempt}",
        reference=f"Ref {attempt}",
    )
    text = flat_text(pdf)

    for label in ["Enhet", "Namn", "Ärende", "Brödtext", "• punkt", "Signatur", "Ref"]:
        assert f"{label} {attempt}" in text


def test_markup_is_not_evaluated():
    text = flat_text(letter(body='#{ 1234 * 2 } #read("letter.typ")'))

    assert '#{ 1234 * 2 } #read("letter.typ")' in text
    assert "2468" not in text
    assert "sys.inputs" not in text


def test_one_page_letter_has_no_page_numbers():
    pages = pages_text(letter())

    assert len(pages) == 1
    assert "Sida" not in pages[0]


def test_long_letter_runs_over_pages_numbered_sida_x_av_y():
    body = "\n\n".join(f"Stycke {n}. " + PARAGRAPH * 4 for n in range(1, 30))
    pages = pages_text(letter(body=body))
    count = len(pages)

    assert count >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {count}" in text
    assert "Smärtrehabilitering Södersjukhuset" in pages[1]
    assert "Stycke 29." in pages[-1]
    assert "Med vänlig hälsning" in pages[-1]


def test_same_letter_gives_identical_bytes():
    assert letter() == letter()


def test_letters_render_the_same_in_parallel_threads():
    bodies = [f"Brev nummer {n}. {PARAGRAPH}" for n in range(8)]
    serial = [letter(body=body) for body in bodies]

    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda body: letter(body=body), bodies))

    assert parallel == serial


@settings(max_examples=40, deadline=None)
@given(name=st.text(max_size=60), body=st.text(max_size=400))
def test_any_text_renders(name, body):
    pdf = letter(recipient=Recipient(name=name), subject=name, body=body)

    assert pdf.startswith(b"%PDF-")


def test_control_characters_and_lone_surrogates_do_not_break_rendering():
    text = flat_text(letter(body="före\x00\x07\x1b[31m\ud800efter\tslut"))

    assert "före[31m?efter slut" in text


def test_text_blocks_split_paragraphs_lines_and_bullets():
    text = (
        "Hej!\r\n\r\nTid: tisdag\nPlats: plan 3\n\nTa med:\n- lista\n  - glasögon\n"
        "Tack.\n \n\n- ensam punkt"
    )

    assert text_blocks(text) == [
        {"kind": "paragraph", "lines": ["Hej!"]},
        {"kind": "paragraph", "lines": ["Tid: tisdag", "Plats: plan 3"]},
        {"kind": "paragraph", "lines": ["Ta med:"]},
        {"kind": "list", "items": ["lista", "glasögon"]},
        {"kind": "paragraph", "lines": ["Tack."]},
        {"kind": "list", "items": ["ensam punkt"]},
    ]


def test_text_blocks_of_blank_text_are_empty():
    assert text_blocks(" \n\n \t") == []


def test_hyphen_without_space_is_not_a_bullet():
    assert text_blocks("-5 grader\n--") == [
        {"kind": "paragraph", "lines": ["-5 grader", "--"]}
    ]


def plan(**overrides):
    arguments = {
        "letterhead": UNIT,
        "title": "Rehabiliteringsplan",
        "sections": [
            ("Patient", "Åsa Öberg\nKontaktperson: Anna Andersson"),
            (
                "Mål",
                "Formulerade tillsammans med patienten.",
                [
                    ["Mål", "Mått", "Utgångsläge", "Målnivå"],
                    ["Gå 30 minuter", "Minuter per dag", "10", "30"],
                    ["Bättre sömn", "ISI"],
                ],
            ),
            ("Insatser", "- Gruppprogram 5 veckor\n- Samtal med psykolog"),
        ],
        "date": DATE,
    }
    return render_document_pdf(**{**arguments, **overrides})


def test_document_shows_unit_title_sections_and_table():
    text = flat_text(plan())

    for expected in [
        "Smärtrehabilitering Södersjukhuset",
        "Datum 2025-10-01",
        "Rehabiliteringsplan",
        "Patient Åsa Öberg Kontaktperson: Anna Andersson",
        "Mål Formulerade tillsammans med patienten.",
        "Mål Mått Utgångsläge Målnivå",
        "Gå 30 minuter Minuter per dag 10 30",
        "Bättre sömn ISI",
        "Insatser • Gruppprogram 5 veckor • Samtal med psykolog",
    ]:
        assert expected in text
    assert "Sida" not in text


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_markup_in_document_is_printed_literally(attempt):
    text = flat_text(
        plan(
            title=f"Titel {attempt}",
            sections=[(f"Rubrik {attempt}", f"Text {attempt}", [[attempt], ["Cell"]])],
        )
    )

    assert f"Titel {attempt}" in text
    assert f"Rubrik {attempt}" in text
    assert f"Text {attempt}" in text
    assert f"{attempt} Cell" in text


def test_long_document_numbers_pages():
    sections = [(f"Avsnitt {n}", PARAGRAPH * 6) for n in range(1, 20)]
    pages = pages_text(plan(sections=sections))

    assert len(pages) >= 2
    assert f"Sida 1 av {len(pages)}" in pages[0]
