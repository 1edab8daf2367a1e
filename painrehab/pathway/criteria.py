"""The criteria engine of the assessment conference: criteria as data, pure rules.

A criterion is a statement about the patient ("Vara i arbetsför ålder", "Svår
depression (över 28 på MADRS)"). Evaluating it says whether the statement is
true of the patient:

- MET: it is true. For an inclusion criterion that is required; for an
  exclusion criterion it means the exclusion *applies*.
- NOT_MET: it is false. For an exclusion criterion: it *does not apply*.
- UNKNOWN: not established yet — the facts an automatic rule needs are
  missing, or a criterion without a rule has not been confirmed by the team.

Criteria with a rule are decided by the facts alone (record the missing fact
rather than confirming by hand, so the basis is visible); criteria without a
rule are decided by the team's confirmation (key -> True/False).

`decision_allowed` permits a programme or individual decision only when every
inclusion criterion is MET and every exclusion criterion checked at the
assessment is NOT_MET: an exclusion that applies blocks, and so does one not
yet assessed. An individual decision also needs at least one reason of seed 1
§10.3 to be MET.

The shipped lists (SPECIALIST_CRITERIA from seed 1, KRT_CRITERIA from seed 2)
are plain dataclasses with `to_dict`/`from_dict`, so a data migration can copy
them into a unit's programme template as JSON. Compound bullets of the seeds
are split into one criterion a rule can decide and one the team decides (for
example "Smärta från rörelseapparaten" and "Smärta mer än 3 månader").
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.core.dates import age_on
from painrehab.core.windows import add_months


class CriterionKind(models.TextChoices):
    INCLUSION = "inclusion", _("Inclusion criterion")
    EXCLUSION = "exclusion", _("Exclusion criterion")
    INDIVIDUAL_REASON = "individual_reason", _("Reason for individual rehabilitation")


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    UNKNOWN = "unknown", _("Unknown")


class Basis(models.TextChoices):
    """What an outcome rests on."""

    AUTOMATIC = "automatic", _("Decided from recorded data")
    TEAM = "team", _("Confirmed by the team")
    MISSING_FACTS = "missing_facts", _("Data missing")
    NOT_ASSESSED = "not_assessed", _("Not yet assessed by the team")


# --- Facts and rules --------------------------------------------------------

MADRS_MAX = 60


@dataclass(frozen=True)
class Facts:
    """What is recorded about the patient, as of the assessment day.

    Every field but `assessed_on` may be None (not recorded). Ages and
    durations are computed on `assessed_on`.
    """

    assessed_on: date
    birth_date: date | None = None
    pain_started_on: date | None = None
    madrs_total: int | None = None  # the latest MADRS total, 0–60
    has_pending_investigations: bool | None = None
    sick_leave_percent: int | None = None  # 0 (not sick-listed) to 100 (fully)

    def __post_init__(self) -> None:
        if self.birth_date is not None and self.birth_date > self.assessed_on:
            raise ValueError("The birth date is after the assessment day.")
        if self.pain_started_on is not None and self.pain_started_on > self.assessed_on:
            raise ValueError("The pain started after the assessment day.")
        if self.madrs_total is not None and not 0 <= self.madrs_total <= MADRS_MAX:
            raise ValueError(f"A MADRS total is 0–{MADRS_MAX}, not {self.madrs_total}.")
        if (
            self.sick_leave_percent is not None
            and not 0 <= self.sick_leave_percent <= 100
        ):
            raise ValueError(f"Sick leave is 0–100 %, not {self.sick_leave_percent}.")


FACT_LABELS: dict[str, str | Promise] = {
    "birth_date": _("date of birth"),
    "pain_started_on": _("when the pain started"),
    "madrs_total": _("MADRS total"),
    "has_pending_investigations": _("pending investigations or treatments"),
    "sick_leave_percent": _("degree of sick leave"),
}


def _age_between(facts: Facts, params: Mapping[str, int]) -> bool:
    assert facts.birth_date is not None
    age = age_on(facts.birth_date, on=facts.assessed_on)
    return params["minimum"] <= age <= params["maximum"]


def _pain_longer_than_months(facts: Facts, params: Mapping[str, int]) -> bool:
    # "mer än 3 månader": exactly three months to the day is not more.
    assert facts.pain_started_on is not None
    return add_months(facts.pain_started_on, params["months"]) < facts.assessed_on


def _no_pending_investigations(facts: Facts, params: Mapping[str, int]) -> bool:
    return facts.has_pending_investigations is False


def _pending_investigations(facts: Facts, params: Mapping[str, int]) -> bool:
    return facts.has_pending_investigations is True


def _madrs_above(facts: Facts, params: Mapping[str, int]) -> bool:
    # "över 28 på MADRS": 28 itself is not above.
    assert facts.madrs_total is not None
    return facts.madrs_total > params["threshold"]


def _sick_listed(facts: Facts, params: Mapping[str, int]) -> bool:
    # "Sjukskrivning helt eller delvis": any degree above 0 %.
    assert facts.sick_leave_percent is not None
    return facts.sick_leave_percent > 0


@dataclass(frozen=True)
class Rule:
    """An automatic rule: True means the criterion's statement is true (MET)."""

    check: Callable[[Facts, Mapping[str, int]], bool]
    needs: tuple[str, ...]  # Facts fields that must be recorded
    params: tuple[str, ...] = ()  # the parameters a criterion must give


# The explicit registry; a criterion names its rule by key.
RULES: dict[str, Rule] = {
    "age_between": Rule(_age_between, ("birth_date",), ("minimum", "maximum")),
    "pain_longer_than_months": Rule(
        _pain_longer_than_months, ("pain_started_on",), ("months",)
    ),
    "no_pending_investigations": Rule(
        _no_pending_investigations, ("has_pending_investigations",)
    ),
    "pending_investigations": Rule(
        _pending_investigations, ("has_pending_investigations",)
    ),
    "madrs_above": Rule(_madrs_above, ("madrs_total",), ("threshold",)),
    "sick_listed": Rule(_sick_listed, ("sick_leave_percent",)),
}


# How each rule reads, with its parameters filled in, and its parameters' labels.
RULE_SENTENCES: dict[str, Promise] = {
    "age_between": _(
        "Age %(minimum)s–%(maximum)s years on the day of the conference, "
        "from the personal identity number"
    ),
    "pain_longer_than_months": _(
        "Pain for more than %(months)s months, from the referral"
    ),
    "no_pending_investigations": _(
        "No investigations or treatments pending, from the conference record"
    ),
    "pending_investigations": _(
        "Investigations or treatments pending, from the conference record"
    ),
    "madrs_above": _("MADRS total above %(threshold)s, from the latest rating"),
    "sick_listed": _("On sick leave, fully or partly, from the recorded sick leave"),
}
PARAM_LABELS: dict[str, Promise] = {
    "minimum": _("Lowest age (years)"),
    "maximum": _("Highest age (years)"),
    "months": _("Months"),
    "threshold": _("Threshold"),
}


def params_problem(rule: str | None, params: Mapping[str, object]) -> str:
    """What makes a rule's values impossible, in the user's language; "" when
    nothing does (or when the values are not yet whole numbers: reading them
    is the form's). Values are 0 or more; an age range runs upwards."""
    if rule not in RULES:
        return ""
    values: dict[str, int] = {}
    for name in RULES[rule].params:
        value = params.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            return ""
        values[name] = value
    if any(v < 0 for v in values.values()):
        return str(_("Give values of 0 or more."))
    if rule == "age_between" and values["minimum"] > values["maximum"]:
        return str(_("The lowest age is higher than the highest age."))
    return ""


def rule_in_words(rule: str | None, params: Mapping[str, int]) -> str:
    """What decides a criterion, as a sentence: a rule with its values, or the team."""
    if rule is None:
        return str(_("The team, at the conference"))
    return str(RULE_SENTENCES[rule]) % dict(params)


# --- Criteria ---------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One criterion of a programme template.

    Guarantees that `kind` is a CriterionKind, that `rule` (if any) is in RULES
    and that `params` gives exactly the parameters the rule takes.
    `checked_at_assessment` is False for criteria that only arise during
    rehabilitation (absence); `discharge_reason` names the
    pathway.states.DischargeReason used when the criterion ends an episode.
    """

    key: str
    kind: CriterionKind
    text_sv: str
    text_en: str
    source: str = ""
    rule: str | None = None
    params: Mapping[str, int] = field(default_factory=dict)
    checked_at_assessment: bool = True
    discharge_reason: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CriterionKind(self.kind))
        object.__setattr__(self, "params", dict(self.params))
        if self.rule is None:
            if self.params:
                raise ValueError(f"{self.key}: parameters given but no rule.")
            return
        if self.rule not in RULES:
            raise ValueError(f"{self.key}: unknown rule {self.rule!r}.")
        if set(self.params) != set(RULES[self.rule].params):
            raise ValueError(
                f"{self.key}: rule {self.rule!r} takes {RULES[self.rule].params}, "
                f"got {tuple(self.params)}."
            )

    @property
    def text(self) -> str:
        """The criterion in the interface's language."""
        from django.utils.translation import get_language

        english = (get_language() or "sv").startswith("en")
        return self.text_en if english and self.text_en else self.text_sv

    @property
    def decided_by(self) -> str:
        return rule_in_words(self.rule, self.params)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `Criterion.from_dict` reads it back unchanged."""
        return {
            "key": self.key,
            "kind": str(self.kind),
            "text_sv": self.text_sv,
            "text_en": self.text_en,
            "source": self.source,
            "rule": self.rule,
            "params": dict(self.params),
            "checked_at_assessment": self.checked_at_assessment,
            "discharge_reason": self.discharge_reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Criterion":
        return cls(**data)


def check_template(criteria: Iterable[Criterion]) -> None:
    """Raise ValueError unless every key of a template is unique."""
    seen: set[str] = set()
    for criterion in criteria:
        if criterion.key in seen:
            raise ValueError(f"The criterion key {criterion.key!r} is used twice.")
        seen.add(criterion.key)


INCLUSION, EXCLUSION, REASON = (
    CriterionKind.INCLUSION,
    CriterionKind.EXCLUSION,
    CriterionKind.INDIVIDUAL_REASON,
)
WORKING_AGE = {"minimum": 18, "maximum": 67}  # seed 2 "18-67"; seed 1 gives no ages

# seed 1 §7.5 — all must be met.
SPECIALIST_INCLUSION: tuple[Criterion, ...] = (
    Criterion(
        key="long_term_non_malignant_pain",
        kind=INCLUSION,
        text_sv="Ha långvarig icke-malign smärta.",
        text_en="Has long-term non-malignant pain.",
        source="seed 1 §7.5",
    ),
    Criterion(
        key="working_age",
        kind=INCLUSION,
        text_sv="Vara i arbetsför ålder.",
        text_en="Is of working age.",
        source="seed 1 §7.5",
        rule="age_between",
        params=WORKING_AGE,
    ),
    Criterion(
        key="work_or_study_goal",
        kind=INCLUSION,
        text_sv=(
            "Bedömas ha som mål att återgå i arbete eller studier alternativt "
            "fortsätta arbeta eller studera."
        ),
        text_en=(
            "Is judged to aim at returning to work or studies, or at continuing "
            "to work or study."
        ),
        source="seed 1 §7.5",
    ),
    Criterion(
        key="needs_two_professions",
        kind=INCLUSION,
        text_sv=(
            "Förutom läkare vara i behov av insatser från minst två "
            "yrkeskategorier, där såväl somatisk som psykosocial kompetens ska "
            "vara representerade."
        ),
        text_en=(
            "Besides the physician, needs interventions from at least two "
            "professions, with both somatic and psychosocial competence "
            "represented."
        ),
        source="seed 1 §7.5",
    ),
    Criterion(
        key="can_attend",
        kind=INCLUSION,
        text_sv="Kunna närvara och delta i överenskomna aktiviteter.",
        text_en="Can attend and take part in agreed activities.",
        source="seed 1 §7.5",
    ),
    Criterion(
        key="open_to_behaviour_change",
        kind=INCLUSION,
        text_sv="Vara öppen för beteendeförändringar.",
        text_en="Is open to changes in behaviour.",
        source="seed 1 §7.5",
    ),
    Criterion(
        key="accepts_no_passive_treatment",
        kind=INCLUSION,
        text_sv=(
            "Vara inställd på att inga passiva behandlingar såsom injektion, "
            "massage eller akupunktur ges."
        ),
        text_en=(
            "Accepts that no passive treatments such as injections, massage or "
            "acupuncture are given."
        ),
        source="seed 1 §7.5",
    ),
    Criterion(
        key="independent_personal_care",
        kind=INCLUSION,
        text_sv=(
            "Klara personlig skötsel (såsom förflyttningar, toalettbesök, av- och "
            "påklädning) självständigt alternativt med hjälp av personlig "
            "assistent."
        ),
        text_en=(
            "Manages personal care (such as transfers, toilet visits, dressing "
            "and undressing) independently or with a personal assistant."
        ),
        source="seed 1 §7.5",
    ),
)

# seed 1 §12.1 — any one of them ends or excludes.
SPECIALIST_EXCLUSION: tuple[Criterion, ...] = (
    Criterion(
        key="active_substance_abuse",
        kind=EXCLUSION,
        text_sv=(
            "Aktivt drog- eller alkoholmissbruk eller annat uttalat beroendebeteende."
        ),
        text_en="Active drug or alcohol abuse or other marked addictive behaviour.",
        source="seed 1 §12.1",
        discharge_reason="substance_abuse",
    ),
    Criterion(
        key="missing_prerequisites",
        kind=EXCLUSION,
        text_sv=(
            "Avsaknad av förutsättningar för att tillgodogöra sig "
            "rehabiliteringsinsatser utifrån sin psykosociala situation och sina "
            "praktiska förutsättningar."
        ),
        text_en=(
            "Lacks the prerequisites to benefit from rehabilitation, given the "
            "psychosocial situation and practical circumstances."
        ),
        source="seed 1 §12.1",
        discharge_reason="missing_prerequisites",
    ),
    Criterion(
        key="absence",
        kind=EXCLUSION,
        text_sv=(
            "Frånvaro under smärtrehabprogram/individuell rehabilitering som "
            "medför svårighet att tillgodogöra sig fortsatt rehabilitering."
        ),
        text_en=(
            "Absence during the programme or individual rehabilitation that makes "
            "it hard to benefit from continued rehabilitation."
        ),
        source="seed 1 §12.1",
        # Only arises once rehabilitation has started: a discharge criterion.
        checked_at_assessment=False,
        discharge_reason="absence",
    ),
    Criterion(
        key="acute_problems",
        kind=EXCLUSION,
        text_sv=(
            "Akut fysisk eller psykiatrisk problematik som bedöms vara ett hinder "
            "för att patienten ska kunna tillgodogöra sig rehabilitering."
        ),
        text_en=(
            "Acute physical or psychiatric problems judged to prevent the patient "
            "from benefiting from rehabilitation."
        ),
        source="seed 1 §12.1",
        discharge_reason="acute_problems",
    ),
)

# seed 1 §10.3 — the §7.5 criteria plus one or more of these.
INDIVIDUAL_REASONS: tuple[Criterion, ...] = (
    Criterion(
        key="practical_reasons",
        kind=REASON,
        text_sv=(
            "Patient av praktiska orsaker inte kan delta i ordinarie "
            "smärtrehabprogram till exempel är i behov av tolk, kan inte vara "
            "frånvarande från arbete eller studier i fem veckor, kan inte vara "
            "hemifrån fem veckor i sträck etc."
        ),
        text_en=(
            "The patient cannot take part in the regular programme for practical "
            "reasons, e.g. needs an interpreter, cannot be away from work or "
            "studies for five weeks, cannot be away from home five weeks in a row."
        ),
        source="seed 1 §10.3",
    ),
    Criterion(
        key="cognitive_difficulties",
        kind=REASON,
        text_sv=(
            "Patient har begåvningsnedsättning, svårigheter med minnes- och "
            "koncentrationsförmåga eller läs- och skrivsvårigheter."
        ),
        text_en=(
            "The patient has an intellectual disability, memory or concentration "
            "difficulties, or reading and writing difficulties."
        ),
        source="seed 1 §10.3",
    ),
    Criterion(
        key="no_full_programme_needed",
        kind=REASON,
        text_sv="Patient inte bedöms behöva ett helt smärtrehabprogram.",
        text_en="The patient is judged not to need a full programme.",
        source="seed 1 §10.3",
    ),
    Criterion(
        key="needs_spread_out_interventions",
        kind=REASON,
        text_sv=(
            "Patient bedöms ha behov av utglesade insatser p.g.a. nedsatt fysisk "
            "och/eller psykisk förmåga men minimum är att klara deltagande vid i "
            "genomsnitt minst sex insatser per månad."
        ),
        text_en=(
            "The patient needs spread-out interventions because of reduced "
            "physical and/or mental capacity, but can manage at least six "
            "interventions a month on average."
        ),
        source="seed 1 §10.3",
    ),
)

SPECIALIST_CRITERIA: tuple[Criterion, ...] = (
    SPECIALIST_INCLUSION + SPECIALIST_EXCLUSION + INDIVIDUAL_REASONS
)

# seed 2 "Inklusionskriterier" / "Exklusionkriterier". "4-6 deltagare per
# grupp/termin" is the group size of the template, not a patient criterion.
KRT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        key="musculoskeletal_pain",
        kind=INCLUSION,
        text_sv="Smärta från rörelseapparaten.",
        text_en="Pain from the musculoskeletal system.",
        source="seed 2, inklusionskriterier",
    ),
    Criterion(
        key="pain_over_3_months",
        kind=INCLUSION,
        text_sv="Smärta mer än 3 månader.",
        text_en="Pain for more than 3 months.",
        source="seed 2, inklusionskriterier",
        rule="pain_longer_than_months",
        params={"months": 3},
    ),
    Criterion(
        key="age_18_to_67",
        kind=INCLUSION,
        text_sv="Personer 18–67 år.",
        text_en="Aged 18–67.",
        source="seed 2, inklusionskriterier",
        rule="age_between",
        params=WORKING_AGE,
    ),
    Criterion(
        key="fully_investigated",
        kind=INCLUSION,
        text_sv="Bedömda som färdigutredda.",
        text_en="Judged to be fully investigated.",
        source="seed 2, inklusionskriterier",
        rule="no_pending_investigations",
    ),
    Criterion(
        key="sick_listed",
        kind=INCLUSION,
        text_sv="Sjukskrivning helt eller delvis.",
        text_en="Sick-listed fully or partly.",
        source="seed 2, inklusionskriterier",
        rule="sick_listed",
    ),
    Criterion(
        key="pending_investigations",
        kind=EXCLUSION,
        text_sv=(
            "Alla utredningar/behandlingar är inte klara ännu; t.ex. väntar på "
            "röntgen, operation, utlåtande m.m."
        ),
        text_en=(
            "Investigations or treatments are not yet complete, e.g. waiting for "
            "an X-ray, an operation or a statement."
        ),
        source="seed 2, exklusionskriterier",
        rule="pending_investigations",
    ),
    Criterion(
        key="severe_depression",
        kind=EXCLUSION,
        text_sv="Svår depression (över 28 på MADRS).",
        text_en="Severe depression (MADRS above 28).",
        source="seed 2, exklusionskriterier",
        rule="madrs_above",
        params={"threshold": 28},
    ),
    Criterion(
        key="ongoing_substance_abuse",
        kind=EXCLUSION,
        text_sv="Pågående missbruk av alkohol, droger, läkemedel.",
        text_en="Ongoing abuse of alcohol, drugs or medicines.",
        source="seed 2, exklusionskriterier",
        discharge_reason="substance_abuse",
    ),
    # Seed 2 treated patients individually with the KRT material and training in
    # the gym before a group could be filled, and asks whether the group format
    # is better than individual treatment: both formats need a decision here.
    Criterion(
        key="krt_no_group_in_time",
        kind=REASON,
        text_sv="Ingen KRT-grupp kan starta inom rimlig tid för patienten.",
        text_en="No KRT group can start within a reasonable time for the patient.",
        source="seed 2, resultat",
    ),
    Criterion(
        key="krt_practical_reasons",
        kind=REASON,
        text_sv=(
            "Patienten kan av praktiska skäl inte delta i gruppen, till exempel "
            "behov av tolk eller arbetstider."
        ),
        text_en=(
            "The patient cannot take part in the group for practical reasons, "
            "e.g. needs an interpreter or working hours."
        ),
        source="seed 2, resultat",
    ),
    Criterion(
        key="krt_group_not_suitable",
        kind=REASON,
        text_sv=(
            "Gruppformatet bedöms inte passa patienten; KRT-materialet och "
            "träningen ges individuellt."
        ),
        text_en=(
            "The group format is judged not to suit the patient; the KRT material "
            "and the training are given individually."
        ),
        source="seed 2, resultat",
    ),
)


# --- Evaluation -------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    outcome: Outcome
    basis: Basis
    missing_facts: tuple[str, ...] = ()


def evaluate(
    criterion: Criterion,
    *,
    facts: Facts,
    confirmations: Mapping[str, bool] | None = None,
) -> CriterionResult:
    """The outcome of one criterion.

    With a rule: MET/NOT_MET from the facts, UNKNOWN (with the missing fact
    names) when a needed fact is not recorded; a team confirmation is ignored.
    Without a rule: the team's confirmation (True = the statement is true), or
    UNKNOWN when there is none.
    """
    if criterion.rule is not None:
        rule = RULES[criterion.rule]
        missing = tuple(name for name in rule.needs if getattr(facts, name) is None)
        if missing:
            return CriterionResult(
                criterion, Outcome.UNKNOWN, Basis.MISSING_FACTS, missing
            )
        met = rule.check(facts, criterion.params)
        return CriterionResult(
            criterion, Outcome.MET if met else Outcome.NOT_MET, Basis.AUTOMATIC
        )
    confirmed = (confirmations or {}).get(criterion.key)
    if confirmed is None:
        return CriterionResult(criterion, Outcome.UNKNOWN, Basis.NOT_ASSESSED)
    return CriterionResult(
        criterion, Outcome.MET if confirmed else Outcome.NOT_MET, Basis.TEAM
    )


def evaluate_all(
    criteria: Iterable[Criterion],
    *,
    facts: Facts,
    confirmations: Mapping[str, bool] | None = None,
) -> list[CriterionResult]:
    """`evaluate` for each criterion, in order."""
    return [evaluate(c, facts=facts, confirmations=confirmations) for c in criteria]


class Decision(models.TextChoices):
    """The conference decisions that the criteria gate (seed 1 §7.3)."""

    GROUP_PROGRAMME = "group_programme", _("Group programme")
    INDIVIDUAL = "individual", _("Individual rehabilitation")


class BlockReason(models.TextChoices):
    INCLUSION_NOT_MET = "inclusion_not_met", _("The inclusion criterion is not met.")
    INCLUSION_UNKNOWN = (
        "inclusion_unknown",
        _("The inclusion criterion has not been established."),
    )
    EXCLUSION_APPLIES = "exclusion_applies", _("The exclusion criterion applies.")
    EXCLUSION_UNKNOWN = (
        "exclusion_unknown",
        _("It has not been established that the exclusion criterion does not apply."),
    )
    NO_INDIVIDUAL_REASON = (
        "no_individual_reason",
        _("No reason for individual rehabilitation is met."),
    )


@dataclass(frozen=True)
class Blocker:
    """Why a decision may not be taken; `criterion` is None for a missing
    reason for individual rehabilitation."""

    reason: BlockReason
    criterion: Criterion | None = None
    missing_facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class DecisionCheck:
    decision: Decision
    blockers: tuple[Blocker, ...]

    @property
    def allowed(self) -> bool:
        return not self.blockers


_BLOCKS: dict[tuple[CriterionKind, Outcome], BlockReason] = {
    (INCLUSION, Outcome.NOT_MET): BlockReason.INCLUSION_NOT_MET,
    (INCLUSION, Outcome.UNKNOWN): BlockReason.INCLUSION_UNKNOWN,
    (EXCLUSION, Outcome.MET): BlockReason.EXCLUSION_APPLIES,
    (EXCLUSION, Outcome.UNKNOWN): BlockReason.EXCLUSION_UNKNOWN,
}


def decision_allowed(
    results: Iterable[CriterionResult], *, decision: Decision | str
) -> DecisionCheck:
    """Whether the conference may decide on `decision`, and if not, why.

    Allowed exactly when every inclusion criterion is MET, every exclusion
    criterion is NOT_MET (criteria not checked at the assessment are skipped),
    and — for an individual decision — at least one §10.3 reason is MET.
    Blockers come in the order of the results.
    """
    decision = Decision(decision)
    results = list(results)
    blockers = [
        Blocker(reason, r.criterion, r.missing_facts)
        for r in results
        if r.criterion.checked_at_assessment
        and (reason := _BLOCKS.get((r.criterion.kind, r.outcome))) is not None
    ]
    if decision == Decision.INDIVIDUAL and not any(
        r.criterion.kind == REASON and r.outcome == Outcome.MET for r in results
    ):
        blockers.append(Blocker(BlockReason.NO_INDIVIDUAL_REASON))
    return DecisionCheck(decision, tuple(blockers))
