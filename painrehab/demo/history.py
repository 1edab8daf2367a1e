"""Questionnaire history of the demo clinic: requests, answers and scored results.

For each episode written by `clinic.py` this sends the unit's shipped package
at the time points the episode has reached (registry forms in the specialist
unit, KRT forms in primary care), as `questionnaires.services.send_package`
would have on that day: only while the episode was open, valid for the
default 42 days. Most patients answer; those who do fill in nearly every item
and submit, and their results are scored by the app's own scoring
(`services._result`, the function `submit_request` uses), so each result
matches its answers. A few start and never submit (partly answered, then
expired). Answers follow one latent severity per episode that eases after
treatment, so outcome charts and statistics show something to look at.
"""

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from painrehab.accounts.models import CareUnit
from painrehab.pathway.models import Episode
from painrehab.pathway.states import DischargeReason, State
from painrehab.questionnaires import catalogue
from painrehab.questionnaires.definitions.schema import Definition, Item
from painrehab.questionnaires.models import (
    Answer,
    QuestionnaireRequest,
    Result,
    TimePoint,
)
from painrehab.questionnaires.scoring import definition
from painrehab.questionnaires.services import _result

LINK_DAYS = 42  # the default validity of a link (FormSettings.expiry_days)
# The clinic has sent forms through the system for this many years; older
# episodes' forms were on paper and went to the registry directly. Together
# with the response rates this gives about 30 answer rows per patient.
ONLINE_FORMS_YEARS = 4
# Share of patients who answer a request at each time point, roughly the
# response rates the national registry reports (fewer answer after the end).
RESPONSE_RATE = {
    TimePoint.REGISTRY_BEFORE: 0.5,
    TimePoint.REGISTRY_END: 0.4,
    TimePoint.REGISTRY_12_MONTHS: 0.3,
    TimePoint.KRT_BEFORE: 0.7,
    TimePoint.KRT_AFTER: 0.6,
    TimePoint.KRT_3_MONTHS: 0.5,
}
STARTED_NOT_SUBMITTED = 0.05  # of those who answer
ITEM_SKIPPED = 0.01
# Instruments (and single items) on which a higher score means feeling better.
BETTER_WHEN_HIGH = {"cpaq8", "lisat11", "wai", "who5"}
BETTER_WHEN_HIGH_ITEMS = {("eq5d5l", 6)}  # EQ VAS
AFTER_TREATMENT = {
    TimePoint.REGISTRY_END,
    TimePoint.REGISTRY_12_MONTHS,
    TimePoint.KRT_AFTER,
    TimePoint.KRT_3_MONTHS,
}
BACKGROUND_TEXT = ["", "Nej", "Ja, ibland", "Arbetar deltid"]
SENT_BY_ROTATION = 7  # how many staff members share the sending


@dataclass(frozen=True)
class EpisodeHistory:
    """An episode just written, with the days it entered each state."""

    episode: Episode
    reached: dict[State, date]
    reason: str


def time_points(
    *, kind: str, reached: dict[State, date], reason: str, today: date
) -> list[tuple[TimePoint, date]]:
    """The time points an episode passed and the day each package was sent.

    Every send day lies while the episode was open, not after `today` and not
    before the clinic began sending forms online (ONLINE_FORMS_YEARS).
    """
    first_day = today - timedelta(days=round(365.25 * ONLINE_FORMS_YEARS))
    return [
        (time_point, day)
        for time_point, day in _all_time_points(
            kind=kind, reached=reached, reason=reason, today=today
        )
        if day >= first_day
    ]


def _all_time_points(
    *, kind: str, reached: dict[State, date], reason: str, today: date
) -> list[tuple[TimePoint, date]]:
    follow_up = reached.get(State.FOLLOW_UP)
    closed = reached.get(State.DISCHARGED)
    sent: list[tuple[TimePoint, date]] = []
    if kind == CareUnit.Kind.SPECIALIST:
        if State.WAITING_NEW_VISIT in reached:
            sent.append((TimePoint.REGISTRY_BEFORE, reached[State.WAITING_NEW_VISIT]))
        if follow_up:
            sent.append((TimePoint.REGISTRY_END, follow_up))
        if follow_up and closed and reason == DischargeReason.COMPLETED:
            # The 12-month forms go out with the last follow-up, before discharge.
            sent.append((TimePoint.REGISTRY_12_MONTHS, closed - timedelta(days=14)))
        return sent
    treatment = reached.get(State.PREPARATION) or reached.get(
        State.INDIVIDUAL_REHABILITATION
    )
    if treatment:
        sent.append((TimePoint.KRT_BEFORE, treatment))
    if follow_up:
        sent.append((TimePoint.KRT_AFTER, follow_up))
        three_months = follow_up + timedelta(days=84)
        if three_months <= today and (closed is None or three_months < closed):
            sent.append((TimePoint.KRT_3_MONTHS, three_months))
    return sent


def answer_item(
    item: Item, *, code: str, severity: float, rng: random.Random
) -> int | float | str:
    """A valid raw value for one item, near `severity` (0 well, 1 very unwell)."""
    if not item.options:
        return rng.choice(BACKGROUND_TEXT)
    by_score = sorted(item.options, key=lambda option: option.score)
    if code in BETTER_WHEN_HIGH or (code, item.number) in BETTER_WHEN_HIGH_ITEMS:
        by_score.reverse()
    position = min(1.0, max(0.0, rng.gauss(severity, 0.18)))
    return by_score[round(position * (len(by_score) - 1))].value


def answer_set(
    instrument: Definition, *, severity: float, rng: random.Random
) -> dict[int, int | float | str]:
    """Answers to one instrument, with an occasional skipped item."""
    return {
        item.number: answer_item(item, code=instrument.code, severity=severity, rng=rng)
        for item in instrument.items
        if rng.random() >= ITEM_SKIPPED
    }


def write_history(
    histories: list[EpisodeHistory],
    *,
    kind: str,
    sender_ids: list[int],
    rng: random.Random,
    today: date,
    batch_size: int,
) -> None:
    """Write the requests, answers and results of these episodes' time points."""
    requests: list[QuestionnaireRequest] = []
    answered: list[tuple[QuestionnaireRequest, dict, datetime]] = []
    packages = catalogue.SHIPPED_PACKAGES[kind]
    for history in histories:
        severity = rng.uniform(0.3, 0.85)
        for time_point, sent_on in time_points(
            kind=kind, reached=history.reached, reason=history.reason, today=today
        ):
            request, answers, answered_at = _request(
                history.episode,
                time_point,
                sent_on,
                codes=list(packages[time_point]),
                severity=_severity_at(severity, time_point, rng),
                sent_by=sender_ids[len(requests) % len(sender_ids)],
                rng=rng,
                today=today,
            )
            requests.append(request)
            if answers:
                answered.append((request, answers, answered_at))
    QuestionnaireRequest.objects.bulk_create(requests, batch_size=batch_size)
    if requests and requests[0].pk is None:  # backends that return no ids
        ids = dict(
            QuestionnaireRequest.objects.filter(
                token_hash__in=[r.token_hash for r in requests]
            ).values_list("token_hash", "pk")
        )
        for request in requests:
            request.pk = ids[request.token_hash]
    answer_rows: list[tuple[int, str, int, object, datetime]] = []
    results: list[Result] = []
    for request, answers, answered_at in answered:
        answer_rows.extend(
            (request.pk, code, n, value, answered_at)
            for code, items in answers.items()
            for n, value in items.items()
        )
        if request.submitted_at is not None:
            results.extend(_results(request, answers, request.submitted_at))
    insert_answers(answer_rows, batch_size=batch_size)
    Result.objects.bulk_create(results, batch_size=batch_size)


def insert_answers(
    rows: list[tuple[int, str, int, object, datetime]], *, batch_size: int
) -> None:
    """Insert (request id, code, item, value, answered at) rows.

    On PostgreSQL with COPY: bulk_create spends about 0.1 ms a row in Python,
    which is most of the load time of a clinic with millions of answers.
    """
    if connection.vendor != "postgresql":
        Answer.objects.bulk_create(
            [
                Answer(request_id=r, code=c, item=n, value=v, answered_at=at)
                for r, c, n, v, at in rows
            ],
            batch_size=batch_size,
        )
        return
    statement = (
        f"COPY {Answer._meta.db_table} (request_id, code, item, value, answered_at) "
        "FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for request_id, code, item, value, answered_at in rows:
            copy.write_row((request_id, code, item, json.dumps(value), answered_at))


def _severity_at(severity: float, time_point: str, rng: random.Random) -> float:
    if time_point in AFTER_TREATMENT:
        return max(0.05, severity - rng.gauss(0.12, 0.1))
    return severity


def _request(  # noqa: PLR0913 - one request's worth of facts
    episode: Episode,
    time_point: TimePoint,
    sent_on: date,
    *,
    codes: list[str],
    severity: float,
    sent_by: int,
    rng: random.Random,
    today: date,
) -> tuple[QuestionnaireRequest, dict[str, dict], datetime]:
    """One request, its answers by instrument (maybe none) and when they were given."""
    expires_on = sent_on + timedelta(days=LINK_DAYS)
    answered_on = sent_on + timedelta(days=min(rng.randint(1, 30), LINK_DAYS))
    answers_now = rng.random() < RESPONSE_RATE[time_point] and answered_on <= today
    submits = answers_now and rng.random() >= STARTED_NOT_SUBMITTED
    status = QuestionnaireRequest.Status.OPEN
    answers: dict[str, dict] = {}
    if answers_now:
        answered_codes = codes if submits else codes[: rng.randint(1, len(codes))]
        answers = {
            code: answer_set(definition(code), severity=severity, rng=rng)
            for code in answered_codes
        }
        status = QuestionnaireRequest.Status.PARTLY
    answered_at = _at(answered_on, rng)
    if submits:
        status = QuestionnaireRequest.Status.SUBMITTED
    elif episode.closed_on is not None:  # as discharge closes them
        status = QuestionnaireRequest.Status.CLOSED
    elif expires_on < today:
        status = QuestionnaireRequest.Status.EXPIRED
    request = QuestionnaireRequest(
        unit_id=episode.unit_id,
        episode=episode,
        time_point=time_point,
        codes=codes,
        status=status,
        token_hash=_random_hash(rng),
        code_hash=_random_hash(rng),
        sent_on=sent_on,
        expires_on=expires_on,
        sent_by_id=sent_by,
        submitted_at=answered_at if submits else None,
        version=2 if status != QuestionnaireRequest.Status.OPEN else 1,
    )
    return request, answers, answered_at


def _results(
    request: QuestionnaireRequest, answers: dict[str, dict], submitted_at: datetime
) -> list[Result]:
    """One scored result per instrument, exactly as `submit_request` stores them."""
    return [
        _result(
            request=request,
            episode=request.episode,
            unit_id=request.unit_id,
            time_point=request.time_point,
            code=code,
            answers=items,
            source=Result.Source.PATIENT_ONLINE,
            answered_on=timezone.localdate(submitted_at),
            recorded_by=None,
            now=submitted_at,
        )
        for code, items in answers.items()
    ]


def _random_hash(rng: random.Random) -> str:
    """Stands in for a link hash: no clear-text token exists for demo history."""
    return hashlib.sha256(rng.randbytes(32)).hexdigest()


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(7 + rng.randint(0, 14), rng.randint(0, 59)))
    )
