"""A unit's licensed wording of an instrument: read, checked, laid out.

The definitions ship structure, answer values and scoring only. The unit that
holds the licence imports the wording (instructions, every question and every
answer text, in the paper form's order) from a YAML file described in
docs/licensed-wording.md. This module is pure: bytes in, a `Wording` or a list
of Swedish messages out, each naming the line and the question concerned.

Three kinds of question, decided by the definition:
- a choice (at most NUMBER_INPUT_ABOVE options): every option needs its text,
  listed in the order the paper form prints them;
- a number (more options, e.g. EQ VAS 0-100): the patient writes the number;
  texts for some values (the scale's end points) are optional;
- free text (no options): only the question.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from math import ceil
from typing import Any

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painrehab.core.refusals import Refused
from painrehab.questionnaires.definitions.schema import Definition, Item, Number

NUMBER_INPUT_ABOVE = 11  # more options than this: a number field, not buttons
MAX_ITEMS_PER_PAGE = 15
MAX_FILE_BYTES = 512 * 1024
MAX_MESSAGES = 40
TEXT_LIMITS = {"version": 200, "copyright": 300, "instructions": 5000}
ITEM_TEXT_LIMIT = 2000
LABEL_LIMIT = 300

TOP_KEYS = ("instrument", "version", "copyright", "instructions", "items")
ITEM_KEYS = ("item", "intro", "text", "options", "anchors")
OPTION_KEYS = ("value", "label")


@dataclass(frozen=True, slots=True)
class WordingItem:
    """One question's wording; `options` are (value, text) in printed order.

    For a number question the options are the optional end-point texts.
    """

    number: int
    text: str
    intro: str = ""
    options: tuple[tuple[Number, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Wording:
    code: str
    label: str
    instructions: str
    copyright_line: str
    items: tuple[WordingItem, ...]

    def item(self, number: int) -> WordingItem | None:
        return next((i for i in self.items if i.number == number), None)

    def as_json(self) -> list[dict[str, Any]]:
        """The items as stored on the model."""
        return [
            {
                "number": i.number,
                "text": i.text,
                "intro": i.intro,
                "options": [[value, label] for value, label in i.options],
            }
            for i in self.items
        ]

    @classmethod
    def from_stored(
        cls,
        *,
        code: str,
        label: str,
        instructions: str,
        copyright_line: str,
        items: list[dict[str, Any]],
    ) -> "Wording":
        return cls(
            code=code,
            label=label,
            instructions=instructions,
            copyright_line=copyright_line,
            items=tuple(
                WordingItem(
                    number=i["number"],
                    text=i["text"],
                    intro=i.get("intro", ""),
                    options=tuple((v, lbl) for v, lbl in i.get("options", [])),
                )
                for i in items
            ),
        )


class WordingRefused(Refused):
    """The file cannot be used; `messages` says why, in Swedish, line by line."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def kind_of(item: Item) -> str:
    """`choice`, `number` or `text`: how the patient answers the question."""
    if not item.options:
        return "text"
    if len(item.options) > NUMBER_INPUT_ABOVE:
        return "number"
    return "choice"


# --- Reading the file ------------------------------------------------------------


_LINE = object()  # the key under which a mapping keeps its line number


class _Loader(yaml.SafeLoader):
    """Safe YAML where every plain value is text (no yes/no -> bool surprises),
    and every mapping remembers its line."""

    yaml_implicit_resolvers: dict[str, Any] = {}  # noqa: RUF012 - PyYAML's API

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        mapping = super().construct_mapping(node, deep=True)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _line(node: Any) -> int:
    return node.get(_LINE, 1) if isinstance(node, dict) else 1


def _keys(node: dict[Any, Any]) -> Iterator[Any]:
    return (key for key in node if key is not _LINE)


def load_yaml(data: bytes) -> Any:
    """The file as Python values; WordingRefused when it is not readable YAML."""
    if len(data) > MAX_FILE_BYTES:
        raise WordingRefused(
            [
                _("The file is larger than %(kb)s kB; a wording file is much smaller.")
                % {"kb": MAX_FILE_BYTES // 1024}
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WordingRefused(
            [_("The file is not saved as UTF-8 text. Save it as UTF-8 and try again.")]
        ) from None
    try:
        # bandit B506: _Loader is a SafeLoader (plain values as text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506  # nosec B506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise WordingRefused(
            [
                _(
                    "Line %(line)s: the file cannot be read there. Check the "
                    "indentation, the colons and that texts containing a colon "
                    "are within quotation marks."
                )
                % {"line": line}
            ]
        ) from None
    except yaml.YAMLError:
        raise WordingRefused(
            [_("The file cannot be read as a wording file.")]
        ) from None


# --- Checking it against the definition --------------------------------------------


class _Checker:
    def __init__(self, instrument: Definition) -> None:
        self.instrument = instrument
        self.messages: list[str] = []

    def refuse(self, message: str) -> None:
        if len(self.messages) < MAX_MESSAGES:
            self.messages.append(message)

    def text(
        self, node: dict[Any, Any], key: str, *, limit: int, where: str, required: bool
    ) -> str:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.refuse(where + _("the text is missing."))
            return ""
        if not isinstance(value, str):
            self.refuse(where + _("write plain text here, not a list or a section."))
            return ""
        value = value.strip()
        if len(value) > limit:
            self.refuse(
                where + _("the text is longer than %(n)s characters.") % {"n": limit}
            )
        return value

    def unknown_keys(
        self, node: dict[Any, Any], allowed: tuple[str, ...], where: str
    ) -> None:
        for key in _keys(node):
            if key not in allowed:
                self.refuse(where + _("unknown entry “%(key)s”.") % {"key": key})


def _where_line(line: int) -> str:
    return _("Line %(line)s: ") % {"line": line}


def _where_item(number: int, line: int) -> str:
    return _("Question %(n)s (line %(line)s): ") % {"n": number, "line": line}


def _value_of(raw: Any, item: Item) -> Number | None:
    text = str(raw).strip()
    for option in item.options:
        if str(option.value) == text:
            return option.value
    return None


def _values_text(item: Item) -> str:
    values = [str(v) for v in sorted(o.value for o in item.options)]
    if len(values) > NUMBER_INPUT_ABOVE:
        return f"{values[0]}–{values[-1]}"
    return ", ".join(values)


def _check_options(
    checker: _Checker, item: Item, node: dict[Any, Any], number: int, line: int
) -> tuple[tuple[Number, str], ...]:
    kind = kind_of(item)
    where = _where_item(number, line)
    key = "options" if kind == "choice" else "anchors"
    wrong = "anchors" if kind == "choice" else "options"
    if node.get(wrong) is not None:
        if kind == "choice":
            checker.refuse(
                where
                + _(
                    "the question has answer options; list their texts as answer "
                    "options, not as end points."
                )
            )
        elif kind == "number":
            checker.refuse(
                where
                + _(
                    "the patient answers with a number (%(values)s); give texts "
                    "only for the end points of the scale, not answer options."
                )
                % {"values": _values_text(item)}
            )
        else:
            checker.refuse(
                where + _("the question is answered in words; it has no options.")
            )
        return ()
    raw = node.get(key)
    if kind == "text":
        if node.get("anchors") is not None:
            checker.refuse(
                where + _("the question is answered in words; it has no options.")
            )
        return ()
    if raw is None:
        if kind == "choice":
            checker.refuse(
                where
                + _("the answer texts are missing (values %(values)s).")
                % {"values": _values_text(item)}
            )
        return ()
    if not isinstance(raw, list) or len(raw) > 2 * len(item.options):
        checker.refuse(where + _("the answer texts must be a list."))
        return ()
    found: list[tuple[Number, str]] = []
    for option in raw:
        option_line = _line(option) if isinstance(option, dict) else line
        at = _where_item(number, option_line)
        if not isinstance(option, dict):
            checker.refuse(at + _("each answer needs a value and a text."))
            continue
        checker.unknown_keys(option, OPTION_KEYS, at)
        value = _value_of(option.get("value", ""), item)
        if value is None:
            checker.refuse(
                at
                + _(
                    "the value “%(value)s” is not an answer of this question; it has %(values)s."
                )
                % {"value": option.get("value", ""), "values": _values_text(item)}
            )
            continue
        if value in [v for v, _label in found]:
            checker.refuse(
                at + _("the value %(value)s is given twice.") % {"value": value}
            )
            continue
        label = checker.text(
            option, "label", limit=LABEL_LIMIT, where=at, required=True
        )
        found.append((value, label))
    if kind == "choice":
        missing = [str(o.value) for o in item.options if o.value not in dict(found)]
        if missing:
            checker.refuse(
                where
                + ngettext(
                    "the text of the answer with value %(values)s is missing.",
                    "the texts of the answers with values %(values)s are missing.",
                    len(missing),
                )
                % {"values": ", ".join(missing)}
            )
    return tuple(found)


def _check_items(checker: _Checker, raw: Any, line: int) -> tuple[WordingItem, ...]:
    instrument = checker.instrument
    if not isinstance(raw, list) or not raw:
        checker.refuse(_where_line(line) + _("the list of questions is missing."))
        return ()
    if len(raw) > 2 * len(instrument.items):
        checker.refuse(
            _where_line(line)
            + _("the file has %(found)s questions; %(name)s has %(count)s.")
            % {
                "found": len(raw),
                "name": instrument.name_sv,
                "count": len(instrument.items),
            }
        )
        return ()
    items: list[WordingItem] = []
    previous = 0
    for node in raw:
        if not isinstance(node, dict):
            checker.refuse(
                _where_line(line) + _("each question needs a number and a text.")
            )
            continue
        item_line = _line(node)
        raw_number = str(node.get("item", "")).strip()
        if not raw_number.isdigit() or int(raw_number) not in instrument.item_numbers:
            checker.refuse(
                _where_line(item_line)
                + _("“%(number)s” is not a question number of %(name)s (1–%(last)s).")
                % {
                    "number": raw_number,
                    "name": instrument.name_sv,
                    "last": len(instrument.items),
                }
            )
            continue
        number = int(raw_number)
        where = _where_item(number, item_line)
        if number <= previous:
            checker.refuse(
                where
                + _(
                    "the questions must come in the paper form's order, each once; "
                    "this one comes after question %(previous)s."
                )
                % {"previous": previous}
            )
            continue
        previous = number
        checker.unknown_keys(node, ITEM_KEYS, where)
        text = checker.text(
            node, "text", limit=ITEM_TEXT_LIMIT, where=where, required=True
        )
        intro = checker.text(
            node, "intro", limit=ITEM_TEXT_LIMIT, where=where, required=False
        )
        options = _check_options(
            checker, instrument.item(number), node, number, item_line
        )
        items.append(
            WordingItem(number=number, text=text, intro=intro, options=options)
        )
    given = {i.number for i in items}
    missing = [str(n) for n in sorted(instrument.item_numbers - given)]
    if missing and len(missing) < len(instrument.items):
        checker.refuse(
            ngettext(
                "Question %(numbers)s is missing; the wording must have every question.",
                "Questions %(numbers)s are missing; the wording must have every question.",
                len(missing),
            )
            % {"numbers": ", ".join(missing)}
        )
    return tuple(items)


def check_wording(data: Any, *, instrument: Definition) -> Wording:
    """The wording in `data` (as read by `load_yaml`), checked against the
    definition: every question once, in order, every answer value of a choice
    with its text. Raises WordingRefused with every problem found."""
    checker = _Checker(instrument)
    if not isinstance(data, dict):
        raise WordingRefused(
            [
                _(
                    "The file does not have the layout of a wording file; start from the template."
                )
            ]
        )
    top = _where_line(1)
    checker.unknown_keys(data, TOP_KEYS, top)
    code = str(data.get("instrument", "")).strip()
    if code != instrument.code:
        checker.refuse(
            top
            + _(
                "the file is not a wording of %(name)s; start from this "
                "questionnaire's template."
            )
            % {"name": instrument.name_sv}
        )
    label = checker.text(
        data, "version", limit=TEXT_LIMITS["version"], where=top, required=True
    )
    instructions = checker.text(
        data,
        "instructions",
        limit=TEXT_LIMITS["instructions"],
        where=top,
        required=False,
    )
    copyright_line = checker.text(
        data, "copyright", limit=TEXT_LIMITS["copyright"], where=top, required=False
    )
    items = _check_items(checker, data.get("items"), _line(data))
    if checker.messages:
        raise WordingRefused(checker.messages)
    return Wording(
        code=instrument.code,
        label=label,
        instructions=instructions,
        copyright_line=copyright_line,
        items=items,
    )


def read_wording(data: bytes, *, instrument: Definition) -> Wording:
    """A wording file's bytes to a checked `Wording`, or WordingRefused."""
    return check_wording(load_yaml(data), instrument=instrument)


# --- Laying out the form --------------------------------------------------------------


def split_pages(count: int, *, per_page: int = MAX_ITEMS_PER_PAGE) -> list[range]:
    """Item positions 0..count-1 in pages of at most `per_page`, evenly sized
    (52 items: 13, 13, 13, 13 rather than 15, 15, 15, 7)."""
    if count <= 0:
        return [range(0)]
    pages = ceil(count / per_page)
    size, extra = divmod(count, pages)
    bounds, start = [], 0
    for index in range(pages):
        end = start + size + (1 if index < extra else 0)
        bounds.append(range(start, end))
        start = end
    return bounds


def template_yaml(instrument: Definition) -> str:
    """A file to fill in: every question and answer value of the instrument in
    place, the texts empty. Comments in Swedish for the administrator."""
    lines = [
        "# "
        + _('Wording of %(name)s. Fill in every empty text ("").')
        % {"name": instrument.name_sv},
        "# "
        + _(
            "Texts containing a colon or starting with a quotation mark need quotation marks."
        ),
        "# "
        + _(
            "version: the unit's name for this wording; instructions: the text "
            "before the first question; items: the questions in the paper form's "
            "order; intro: a heading before a question; options: the answers, each "
            "value with its text, in the order printed; anchors: texts for the end "
            "points of a scale answered with a number."
        ),
        f"instrument: {instrument.code}",
        'version: ""',
        'copyright: ""',
        "instructions: |",
        "  ",
        "items:",
    ]
    for item in instrument.items:
        lines += [f"  - item: {item.number}", '    text: ""']
        kind = kind_of(item)
        if kind == "choice":
            lines.append("    options:")
            for option in item.options:
                lines += [f"      - value: {option.value}", '        label: ""']
        elif kind == "number":
            first, last = item.options[0].value, item.options[-1].value
            lines.append("    anchors:")
            for value in (first, last):
                lines += [f"      - value: {value}", '        label: ""']
    return "\n".join(lines) + "\n"
