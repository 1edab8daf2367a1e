"""The shape of a questionnaire definition: items, options, subscales, bands.

Definitions are data. Each instrument version lives in its own module in this
package and builds one `Definition` from these frozen dataclasses. The scoring
engine reads nothing else, so a reviewer can check a rule against the manual
by reading one file.

Conventions (shared/instruments.md, "Conventions of the scoring entry point"):
- `Option.value` is the number the option carries on the published form or
  scoring key, before any reversal; `Option.score` is the value after the
  reversal or look-up the manual applies at scoring time.
- Bands are half-open intervals `[lower, upper)` on the computed value, so
  non-integer values (WAI, prorated HADS) fall into exactly one band.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Number = int | float

LICENSED_ITEM_TEXT = "[Licensierad text: laddas av enhetens administratör]"

MissingKind = Literal[
    "strict",  # any unanswered item: the score that needs it is not computed
    "prorate_per_subscale",  # up to `max_missing` per subscale, sum x n / answered
    "item_level",  # items are reported one by one, no total (LiSat-11)
    "dimension_level",  # EQ-5D: any dimension missing -> no index; VAS apart
    "not_scored",  # answers are collected, no score is computed (MPI-S)
]
FlagOperator = Literal["ge", "gt", "le", "lt"]


@dataclass(frozen=True, slots=True)
class Option:
    """One response option: the raw value, its label and its scored value."""

    value: Number
    label: str
    score: Number


@dataclass(frozen=True, slots=True)
class Item:
    """One question, with its options in printed order.

    `key` is a stable content key, so that forms printed in another order can
    be mapped item by item. Items with `is_scored=False` (background questions)
    are accepted in answers but neither validated nor scored.
    """

    number: int
    key: str
    text: str
    options: tuple[Option, ...]
    is_reversed: bool = False
    is_scored: bool = True


@dataclass(frozen=True, slots=True)
class Subscale:
    key: str
    label: str
    items: tuple[int, ...]
    score_range: tuple[Number, Number]


@dataclass(frozen=True, slots=True)
class Band:
    """A half-open interval `[lower, upper)`; `upper=None` means no upper end."""

    key: str
    label: str
    lower: Number
    upper: Number | None

    def contains(self, value: Number) -> bool:
        return self.lower <= value and (self.upper is None or value < self.upper)


@dataclass(frozen=True, slots=True)
class FlagRule:
    """Raise flag `key` when `target` (`"total"` or a subscale key) meets the test."""

    key: str
    target: str
    operator: FlagOperator
    threshold: Number

    def is_met(self, value: Number) -> bool:
        if self.operator == "ge":
            return value >= self.threshold
        if self.operator == "gt":
            return value > self.threshold
        if self.operator == "le":
            return value <= self.threshold
        return value < self.threshold


@dataclass(frozen=True, slots=True)
class MissingRule:
    kind: MissingKind
    description: str
    max_missing: int = 0


@dataclass(frozen=True, slots=True)
class Definition:
    """One version of one instrument, as data.

    `lookups` and `item_numbers` are derived once at import time, so that
    scoring an answer set is a dictionary look-up per item.
    """

    code: str
    version: str
    name: str
    name_sv: str
    items: tuple[Item, ...]
    missing_rule: MissingRule
    licensed_text: bool
    licence: str
    source: str
    total_range: tuple[Number, Number] | None = None
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    subscale_bands: tuple[Band, ...] = ()
    flags: tuple[FlagRule, ...] = ()
    recall_period: str = ""
    notes: str = ""
    item_numbers: frozenset[int] = field(init=False, repr=False, compare=False)
    lookups: tuple[tuple[int, Mapping[Number, Number]], ...] = field(
        init=False, repr=False, compare=False
    )

    @property
    def title(self) -> str:
        """The instrument's name in the interface's language: the Swedish name
        in Swedish (as the paper form and the patient know it), else the
        original name."""
        from django.utils.translation import get_language

        english = (get_language() or "sv").startswith("en")
        return self.name if english else self.name_sv

    def __post_init__(self) -> None:
        numbers = [item.number for item in self.items]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"{self.code}: items must be numbered 1..n in order")
        object.__setattr__(self, "item_numbers", frozenset(numbers))
        lookups = tuple(
            (item.number, {option.value: option.score for option in item.options})
            for item in self.items
            if item.is_scored
        )
        object.__setattr__(self, "lookups", lookups)

    @property
    def reversed_items(self) -> tuple[int, ...]:
        """Item numbers whose scored value is the reversal of the raw value."""
        return tuple(item.number for item in self.items if item.is_reversed)

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def item_number(self, key: str) -> int:
        """The form position of the item with content key `key`."""
        for item in self.items:
            if item.key == key:
                return item.number
        raise KeyError(f"{self.code}: no item with content key {key!r}")


def scale(
    low: int,
    high: int,
    *,
    labels: Mapping[int, str] | None = None,
    reverse_from: int | None = None,
    descending: bool = False,
) -> tuple[Option, ...]:
    """Integer options low..high; reversed items score `reverse_from - value`.

    Values without a label get their number as label (a placeholder where the
    wording is licensed, or an unlabelled step between printed anchors).
    """
    labels = labels or {}
    values: Iterable[int] = range(low, high + 1)
    if descending:
        values = reversed(range(low, high + 1))
    return tuple(
        Option(
            value=value,
            label=labels.get(value, str(value)),
            score=value if reverse_from is None else reverse_from - value,
        )
        for value in values
    )


def licensed_items(
    code: str,
    keys: Iterable[str],
    options: tuple[Option, ...],
    *,
    reversed_numbers: Iterable[int] = (),
    reverse_from: int | None = None,
) -> tuple[Item, ...]:
    """Items whose text is licensed: placeholder text, numbered options.

    Reversed items get options scored `reverse_from - value`.
    """
    reversed_set = frozenset(reversed_numbers)
    items = []
    for number, key in enumerate(keys, start=1):
        is_reversed = number in reversed_set
        item_options = options
        if is_reversed:
            if reverse_from is None:
                raise ValueError(f"{code}: reversed items need reverse_from")
            item_options = tuple(
                Option(value=o.value, label=o.label, score=reverse_from - o.value)
                for o in options
            )
        items.append(
            Item(
                number=number,
                key=key,
                text=f"{LICENSED_ITEM_TEXT} ({code} {number})",
                options=item_options,
                is_reversed=is_reversed,
            )
        )
    return tuple(items)
