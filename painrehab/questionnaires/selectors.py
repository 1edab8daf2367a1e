"""Reads for the questionnaire screens.

Staff lists filter by the current unit and write one audit row naming the
patients shown. The results panels (`results_panel`, `episode_requests`) are
parts of the patient and episode pages, whose access helper already logged
the read of that patient, so they write none of their own.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django_stubs_ext import WithAnnotations

from painrehab.accounts.models import Membership
from painrehab.audit.services import Action, record
from painrehab.pathway.models import Episode
from painrehab.patients.models import Patient
from painrehab.questionnaires import catalogue, result_words, wording
from painrehab.questionnaires.charts import Series, line_chart
from painrehab.questionnaires.definitions.schema import Definition, Item
from painrehab.questionnaires.models import (
    TIME_POINT_ORDER,
    Answer,
    LicensedWording,
    QuestionnaireRequest,
    Result,
    TimePoint,
)
from painrehab.questionnaires.scoring import definition
from painrehab.questionnaires.wording import Wording, WordingItem

Status = QuestionnaireRequest.Status
NUMBER_INPUT_ABOVE = wording.NUMBER_INPUT_ABOVE


# --- The form a patient (or staff member) fills in -----------------------------


@dataclass
class ItemView:
    number: int
    text: str
    options: list[tuple[str, str]]  # (value as text, label)
    value: str = ""
    widget: str = "radio"  # "radio", "number" or "text"
    low: int | float | None = None
    high: int | float | None = None
    error: str = ""
    intro: str = ""  # a heading or instruction printed before the question
    anchors: list[tuple[str, str]] = field(default_factory=list)  # number scales


@dataclass
class InstrumentPage:
    code: str
    name: str
    recall_period: str
    copyright_line: str
    items: list[ItemView] = field(default_factory=list)
    instructions: str = ""
    part: int = 1
    parts: int = 1
    available: bool = True  # False: licensed text not loaded, nothing to answer

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.value != "")


@dataclass(frozen=True)
class FormPage:
    """One page of the patient's form: some questions of one instrument."""

    code: str
    index: int  # the instrument's place in the package, from 1
    part: int  # this page's place within the instrument, from 1
    parts: int
    numbers: tuple[int, ...]
    available: bool = True


def form_pages(*, codes: list[str], wordings: dict[str, Wording]) -> list[FormPage]:
    """The package as pages of at most MAX_ITEMS_PER_PAGE questions, each
    instrument split into even parts. A licensed instrument without wording
    is one page with nothing to answer (never placeholders or bare scores)."""
    pages = []
    for index, code in enumerate(codes, start=1):
        instrument = definition(code)
        if instrument.licensed_text and code not in wordings:
            pages.append(FormPage(code, index, 1, 1, (), available=False))
            continue
        numbers = [item.number for item in instrument.items]
        parts = wording.split_pages(len(numbers))
        for part, positions in enumerate(parts, start=1):
            chunk = tuple(numbers[p] for p in positions)
            pages.append(FormPage(code, index, part, len(parts), chunk))
    return pages


def first_unanswered_page(
    pages: list[FormPage], answers: dict[str, dict[int, Any]]
) -> int:
    """The number (from 1) of the first page with a question not yet answered;
    the sending page (len(pages) + 1) when every question is answered."""
    for number, page in enumerate(pages, start=1):
        given = answers.get(page.code, {})
        if any(given.get(n) is None for n in page.numbers):
            return number
    return len(pages) + 1


def _item_view(
    item: Item, worded: WordingItem | None, value: Any, *, placeholder: bool
) -> ItemView:
    """One question as shown: the loaded wording's text and answer labels;
    without wording (staff pages only) "Question 3" and the values."""
    shown = "" if value is None else str(value)
    if worded is not None:
        text, intro, labels = worded.text, worded.intro, dict(worded.options)
    elif placeholder:
        text, intro, labels = _("Question %(n)s") % {"n": item.number}, "", {}
    else:
        text, intro, labels = item.text, "", {o.value: o.label for o in item.options}
    kind = wording.kind_of(item)
    if kind == "text":
        return ItemView(item.number, text, [], shown, widget="text", intro=intro)
    if kind == "number":
        numbers = [o.value for o in item.options]
        return ItemView(
            item.number,
            text,
            [],
            shown,
            widget="number",
            low=min(numbers),
            high=max(numbers),
            intro=intro,
            anchors=[(str(v), label) for v, label in labels.items()]
            if worded is not None
            else [],
        )
    if worded is not None:  # the paper form's order of the answers
        order = [value for value, _label in worded.options]
        options = [(str(v), labels[v]) for v in order]
    else:
        options = [
            (str(o.value), labels.get(o.value, str(o.value))) for o in item.options
        ]
    return ItemView(item.number, text, options, shown, intro=intro)


def instrument_page(
    *,
    code: str,
    values: dict[int, Any],
    worded: Wording | None,
    page: FormPage | None = None,
) -> InstrumentPage:
    """An instrument (or one page of it) as shown: the licensed wording where
    loaded, and the values given so far. Staff pages pass no `page` and see
    every question."""
    instrument = definition(code)
    placeholder = instrument.licensed_text and worded is None
    numbers = page.numbers if page is not None else tuple(instrument.item_numbers)
    items = [
        _item_view(
            item,
            worded.item(item.number) if worded else None,
            values.get(item.number),
            placeholder=placeholder,
        )
        for item in instrument.items
        if item.number in numbers
    ]
    first_part = page is None or page.part == 1
    return InstrumentPage(
        code=code,
        name=instrument.title,
        recall_period=instrument.recall_period if first_part else "",
        copyright_line=worded.copyright_line if worded else "",
        items=items,
        instructions=worded.instructions if worded else "",
        part=page.part if page else 1,
        parts=page.parts if page else 1,
        available=page.available if page else True,
    )


def request_wordings(
    *, questionnaire_request: QuestionnaireRequest
) -> dict[str, Wording]:
    """The wording each instrument of a request is shown in: the version fixed
    when it was sent (one query). A request sent before wordings were fixed
    gets the unit's versions in use."""
    request = questionnaire_request
    query = LicensedWording.objects.filter(unit=request.unit_id)
    if request.wordings:
        query = query.filter(pk__in=list(request.wordings.values()))
    else:
        query = query.filter(
            code__in=request.codes, status=LicensedWording.Status.ACTIVE
        )
    return {row.code: row.as_wording() for row in query}


def active_wording(*, unit_id: int, code: str) -> LicensedWording | None:
    return LicensedWording.objects.filter(
        unit=unit_id, code=code, status=LicensedWording.Status.ACTIVE
    ).first()


@dataclass
class FormProgress:
    """Where the patient is: items answered of all items, per instrument."""

    answered: dict[str, int]
    total: dict[str, int]

    @property
    def answered_all(self) -> int:
        return sum(self.answered.values())

    @property
    def items_all(self) -> int:
        return sum(self.total.values())


def stored_answers(
    *, questionnaire_request: QuestionnaireRequest
) -> dict[str, dict[int, Any]]:
    """The answers saved so far, per instrument and item (one query)."""
    found: dict[str, dict[int, Any]] = defaultdict(dict)
    for code, item, value in Answer.objects.filter(
        request=questionnaire_request
    ).values_list("code", "item", "value"):
        found[code][item] = value
    return found


def form_progress(*, questionnaire_request: QuestionnaireRequest) -> FormProgress:
    """Items answered per instrument. An instrument with a stored result (a
    paper form entered by staff has no saved web answers) counts the answers
    of that result; the larger count wins (two queries)."""
    counts = dict(
        Answer.objects.filter(request=questionnaire_request, value__isnull=False)
        .values_list("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    for code, answers in Result.objects.filter(
        request=questionnaire_request
    ).values_list("code", "answers"):
        in_result = sum(1 for value in (answers or {}).values() if value is not None)
        counts[code] = max(counts.get(code, 0), in_result)
    codes = questionnaire_request.codes
    return FormProgress(
        answered={code: counts.get(code, 0) for code in codes},
        total={code: len(definition(code).items) for code in codes},
    )


# --- Results on the patient and episode pages ------------------------------------


@dataclass
class ResultRow:
    result: Result
    time_point_label: str
    band_label: str
    subscale_lines: list[tuple[str, Any, str]]  # (label, value, band label)
    flag_labels: list[tuple[str, bool]]  # (label, is a warning)
    reason: str = ""  # why no score, in words (result_words.reason_in_words)
    version: str = ""  # the scoring version in words


@dataclass
class InstrumentResults:
    code: str
    name: str
    rows: list[ResultRow]
    chart: str


def _band_label(instrument: Definition, key: str) -> str:
    return result_words.in_language(
        next((b.label for b in instrument.bands if b.key == key), key)
    )


def _subscale_lines(
    instrument: Definition, result: Result
) -> list[tuple[str, Any, str]]:
    band_labels = {
        b.key: result_words.in_language(b.label) for b in instrument.subscale_bands
    }
    lines = []
    for key, value in result.subscales.items():
        band = result.subscale_bands.get(key, "")
        lines.append(
            (
                result_words.value_label(instrument, key),
                value,
                band_labels.get(band, ""),
            )
        )
    return lines


def result_row(instrument: Definition, result: Result) -> ResultRow:
    return ResultRow(
        result=result,
        time_point_label=str(TimePoint(result.time_point).label),
        band_label=_band_label(instrument, result.band) if result.band else "",
        subscale_lines=_subscale_lines(instrument, result),
        flag_labels=[
            (
                str(catalogue.FLAG_LABELS.get(flag, flag)),
                flag not in catalogue.INFORMATIVE_FLAGS,
            )
            for flag in result.flags
        ],
        reason=""
        if result.valid
        else result_words.reason_in_words(instrument, result.answers),
        version=result_words.version_in_words(result.definition_version),
    )


def _chart(instrument: Definition, results: list[Result]) -> str:
    series_spec = catalogue.chart_series(instrument)
    if not series_spec:
        return ""
    points = sorted(
        (r for r in results if r.valid),
        key=lambda r: (TIME_POINT_ORDER.index(r.time_point), r.answered_on, r.pk),
    )
    if not points:
        return ""
    labels = [str(TimePoint(r.time_point).label) for r in points]
    value_range = (
        min(low for _key, _label, (low, _high) in series_spec),
        max(high for _key, _label, (_low, high) in series_spec),
    )
    series = [
        Series(
            label=label,
            values=[
                r.total if key == "total" else r.subscales.get(key) for r in points
            ],
        )
        for key, label, _range in series_spec
    ]
    keys = {key for key, _label, _range in series_spec}
    return line_chart(
        title=instrument.title,
        x_labels=labels,
        series=series,
        value_range=value_range,
        thresholds=[
            value
            for target, value in catalogue.thresholds(instrument)
            if target in keys
        ],
    )


def results_panel(
    *, membership: Membership, patient: Patient, episode: Episode | None = None
) -> list[InstrumentResults]:
    """Every scored instrument of the patient (or of one episode) with its band,
    flags and a chart across time points. Filtered by the current unit; no
    audit row (see the module docstring)."""
    results = Result.objects.in_unit(membership.unit_id).filter(
        episode__patient=patient
    )
    if episode is not None:
        results = results.filter(episode=episode)
    by_code: dict[str, list[Result]] = defaultdict(list)
    for result in results.select_related("recorded_by").order_by("answered_on", "pk"):
        by_code[result.code].append(result)
    panels = []
    for code in sorted(by_code, key=catalogue_order):
        instrument = definition(code)
        rows = by_code[code]
        panels.append(
            InstrumentResults(
                code=code,
                name=instrument.title,
                rows=[result_row(instrument, r) for r in rows],
                chart=_chart(instrument, rows),
            )
        )
    return panels


def catalogue_order(code: str) -> int:
    from painrehab.questionnaires.scoring import CODES

    return CODES.index(code) if code in CODES else len(CODES)


def episode_requests(
    *, membership: Membership, episode: Episode
) -> list[QuestionnaireRequest]:
    """The requests of one episode, newest first; part of the episode page."""
    return list(
        QuestionnaireRequest.objects.in_unit(membership.unit_id)
        .filter(episode=episode)
        .order_by("-sent_on", "-pk")
    )


# --- The unit's outstanding requests -----------------------------------------------


def outstanding_counts(*, membership: Membership, today: date) -> dict[str, int]:
    """How many requests wait for answers: sent, partly answered, overdue. Counts only.

    As `outstanding()`: a discharged episode's requests are closed, not counted.
    """
    base = QuestionnaireRequest.objects.in_unit(membership.unit_id).outstanding()
    overdue = Q(status=Status.EXPIRED) | Q(
        status__in=[Status.OPEN, Status.PARTLY], expires_on__lt=today
    )
    return base.aggregate(
        sent=Count("pk", filter=Q(status=Status.OPEN, expires_on__gte=today)),
        partly=Count("pk", filter=Q(status=Status.PARTLY, expires_on__gte=today)),
        overdue=Count("pk", filter=overdue),
    )


class _Answered(TypedDict):
    answered: int  # questions answered so far


def outstanding_requests(
    *, membership: Membership, today: date, limit: int = 500
) -> "list[WithAnnotations[QuestionnaireRequest, _Answered]]":
    """The unit's requests not yet answered, oldest expiry first; one audit row."""
    requests = list(
        QuestionnaireRequest.objects.in_unit(membership.unit_id)
        .outstanding()
        .select_related("episode__patient")
        .annotate(answered=Count("answers", filter=Q(answers__value__isnull=False)))
        .order_by("expires_on", "pk")[:limit]
    )
    record(
        by=membership.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[r.episode.patient_id for r in requests],
        what="outstanding questionnaires",
    )
    return requests


# The patient's answers for the API; `patient` is one the member may see
# (get_patient_for_user), and each read keeps to the patient's unit.


def results_of(*, patient: Patient) -> QuerySet[Result]:
    """The patient's scored questionnaire results."""
    return Result.objects.in_unit(patient.unit_id).filter(episode__patient=patient)


def submitted_requests_of(*, patient: Patient) -> QuerySet[QuestionnaireRequest]:
    """The patient's submitted requests, oldest first, with every answer in order."""
    return (
        QuestionnaireRequest.objects.filter(
            episode__patient=patient,
            unit=patient.unit_id,
            status=QuestionnaireRequest.Status.SUBMITTED,
        )
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("code", "item"))
        )
        .order_by("submitted_at", "pk")
    )
