"""Letters and documents as PDF: context in, PDF bytes out.

Pure apart from the Typst compiler: no database, no settings. The templates
live in `typst/` next to this module. All text reaches Typst as one JSON value
in `sys.inputs` and is shown as strings there, never spliced into markup, so
characters such as `#`, `$`, `*`, `_`, `<`, `@`, `[`, `]` and backslashes in a
name or a letter body are printed as typed and cannot run Typst code.
"""

import datetime
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typst

TEMPLATE_DIR = Path(__file__).with_name("typst")

# A line that starts a bullet item in a body: "- " (or "• ") after optional spaces.
_BULLET = re.compile(r"^\s*[-•]\s+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")

Row = Sequence[str]
Section = tuple[str, str] | tuple[str, str, Sequence[Row]]


@dataclass(frozen=True)
class Letterhead:
    """The sending unit as printed top left on the first page."""

    unit_name: str
    address_lines: Sequence[str] = ()
    phone: str = ""


@dataclass(frozen=True)
class Recipient:
    """Name and postal address, printed where a window envelope shows them."""

    name: str
    address_lines: Sequence[str] = ()


def render_letter_pdf(
    *,
    letterhead: Letterhead,
    recipient: Recipient,
    date: datetime.date,
    subject: str,
    body: str,
    signature: str = "",
    reference: str = "",
) -> bytes:
    """An A4 letter as PDF bytes; the same arguments always give the same bytes.

    `body` is plain text: paragraphs separated by blank lines, single line
    breaks kept, and lines starting with "- " set as a bulleted list.
    `signature` (name, title, one per line) is printed under "Med vänlig
    hälsning"; without it the letter ends with the body.
    """
    data = {
        "letterhead": _letterhead_data(letterhead),
        "recipient": {
            "name": _clean(recipient.name),
            "address_lines": _clean_lines(recipient.address_lines),
        },
        "date": date.isoformat(),
        "reference": _clean(reference),
        "subject": _clean(subject),
        "body": text_blocks(body),
        "signature": _clean_lines(_clean(signature).strip().split("\n"))
        if signature.strip()
        else [],
    }
    return _compile("letter.typ", data)


def render_document_pdf(
    *,
    letterhead: Letterhead,
    title: str,
    sections: Sequence[Section],
    date: datetime.date,
    reference: str = "",
) -> bytes:
    """A multi-section A4 document (a rehabilitation plan, say) as PDF bytes.

    Each section is `(heading, text)` or `(heading, text, rows)`; text is split
    like a letter body, and rows, if any, are set as a table under it with the
    first row as the header. Short rows are padded with empty cells.
    """
    data = {
        "letterhead": _letterhead_data(letterhead),
        "title": _clean(title),
        "date": date.isoformat(),
        "reference": _clean(reference),
        "sections": [_section_data(section) for section in sections],
    }
    return _compile("document.typ", data)


def text_blocks(text: str) -> list[dict[str, Any]]:
    """Split plain text into paragraphs and bullet lists for the templates.

    Blank lines separate paragraphs; within a paragraph each line is kept as a
    line; consecutive "- " lines form one list. Empty text gives no blocks.
    """
    blocks: list[dict[str, Any]] = []
    for chunk in _BLANK_LINE.split(_clean(text).strip()):
        previous_kind = None
        for line in chunk.split("\n"):
            if not line.strip():
                continue
            kind = "list" if _BULLET.match(line) else "paragraph"
            if kind != previous_kind:
                key = "items" if kind == "list" else "lines"
                blocks.append({"kind": kind, key: []})
                previous_kind = kind
            blocks[-1][key].append(_BULLET.sub("", line).rstrip())
    return blocks


def _letterhead_data(letterhead: Letterhead) -> dict[str, Any]:
    return {
        "unit_name": _clean(letterhead.unit_name),
        "address_lines": _clean_lines(letterhead.address_lines),
        "phone": _clean(letterhead.phone),
    }


def _section_data(section: Section) -> dict[str, Any]:
    heading, text = section[0], section[1]
    table: Sequence[Row] = section[2] if len(section) == 3 else ()
    rows = [[_clean(cell) for cell in row] for row in table]
    width = max((len(row) for row in rows), default=0)
    return {
        "heading": _clean(heading),
        "body": text_blocks(text),
        "rows": [row + [""] * (width - len(row)) for row in rows] if width else [],
    }


def _clean(text: str) -> str:
    """Text as it should be printed: Unix line breaks, tabs as spaces, no
    control characters and no lone surrogates (which cannot be encoded)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(
        char
        for char in text
        if char == "\n" or unicodedata.category(char) not in {"Cc", "Cs"}
    )


def _clean_lines(lines: Sequence[str]) -> list[str]:
    return [_clean(line).replace("\n", " ") for line in lines]


def _compile(template: str, data: dict[str, Any]) -> bytes:
    # Only the fonts built into Typst, so a letter looks the same on every
    # machine; the templates can read nothing outside their own folder.
    pdf = typst.compile(
        str(TEMPLATE_DIR / template),
        root=str(TEMPLATE_DIR),
        ignore_system_fonts=True,
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
    if not isinstance(pdf, bytes):
        raise TypeError("Typst returned no PDF")
    return pdf
