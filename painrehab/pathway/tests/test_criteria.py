"""The criteria engine of the assessment conference (no database)."""

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painrehab.core.dates import age_on
from painrehab.core.windows import add_months
from painrehab.pathway.criteria import (
    INDIVIDUAL_REASONS,
    KRT_CRITERIA,
    RULES,
    SPECIALIST_CRITERIA,
    SPECIALIST_EXCLUSION,
    SPECIALIST_INCLUSION,
    Basis,
    Blocker,
    BlockReason,
    Criterion,
    CriterionKind,
    Decision,
    Facts,
    Outcome,
    check_template,
    decision_allowed,
    evaluate,
    evaluate_all,
)
from painrehab.pathway.states import DischargeReason

ASSESSED_ON = date(2024, 5, 15)
ALL_CRITERIA = SPECIALIST_CRITERIA + KRT_CRITERIA
BY_KEY = {c.key: c for c in SPECIALIST_CRITERIA} | {c.key: c for c in KRT_CRITERIA}

# A patient who meets every automatic criterion of both templates.
GOOD_FACTS = Facts(
    assessed_on=ASSESSED_ON,
    birth_date=date(1980, 6, 1),  # 43 years old
    pain_started_on=date(2023, 1, 10),
    madrs_total=12,
    has_pending_investigations=False,
    sick_leave_percent=50,
)


def _result(key: str, facts: Facts = GOOD_FACTS, **confirmations: bool):
    return evaluate(BY_KEY[key], facts=facts, confirmations=confirmations)


# --- The shipped lists ------------------------------------------------------------


def test_the_specialist_lists_follow_seed_1():
    assert [c.key for c in SPECIALIST_INCLUSION] == [
        "long_term_non_malignant_pain",
        "working_age",
        "work_or_study_goal",
        "needs_two_professions",
        "can_attend",
        "open_to_behaviour_change",
        "accepts_no_passive_treatment",
        "independent_personal_care",
    ]
    assert [c.key for c in SPECIALIST_EXCLUSION] == [
        "active_substance_abuse",
        "missing_prerequisites",
        "absence",
        "acute_problems",
    ]
    assert [c.key for c in INDIVIDUAL_REASONS] == [
        "practical_reasons",
        "cognitive_difficulties",
        "no_full_programme_needed",
        "needs_spread_out_interventions",
    ]
    assert SPECIALIST_CRITERIA == SPECIALIST_INCLUSION + SPECIALIST_EXCLUSION + (
        INDIVIDUAL_REASONS
    )
    assert {c.kind for c in SPECIALIST_INCLUSION} == {CriterionKind.INCLUSION}
    assert {c.kind for c in SPECIALIST_EXCLUSION} == {CriterionKind.EXCLUSION}
    assert {c.kind for c in INDIVIDUAL_REASONS} == {CriterionKind.INDIVIDUAL_REASON}


def test_the_krt_list_follows_seed_2():
    assert [(c.key, c.kind) for c in KRT_CRITERIA] == [
        ("musculoskeletal_pain", CriterionKind.INCLUSION),
        ("pain_over_3_months", CriterionKind.INCLUSION),
        ("age_18_to_67", CriterionKind.INCLUSION),
        ("fully_investigated", CriterionKind.INCLUSION),
        ("sick_listed", CriterionKind.INCLUSION),
        ("pending_investigations", CriterionKind.EXCLUSION),
        ("severe_depression", CriterionKind.EXCLUSION),
        ("ongoing_substance_abuse", CriterionKind.EXCLUSION),
        ("krt_no_group_in_time", CriterionKind.INDIVIDUAL_REASON),
        ("krt_practical_reasons", CriterionKind.INDIVIDUAL_REASON),
        ("krt_group_not_suitable", CriterionKind.INDIVIDUAL_REASON),
    ]


def test_the_swedish_texts_keep_the_seed_wording():
    assert BY_KEY["severe_depression"].text_sv == "Svår depression (över 28 på MADRS)."
    assert BY_KEY["can_attend"].text_sv == (
        "Kunna närvara och delta i överenskomna aktiviteter."
    )
    assert BY_KEY["active_substance_abuse"].text_sv == (
        "Aktivt drog- eller alkoholmissbruk eller annat uttalat beroendebeteende."
    )
    assert BY_KEY["no_full_programme_needed"].text_sv == (
        "Patient inte bedöms behöva ett helt smärtrehabprogram."
    )
    assert all(c.text_sv and c.text_en and c.source for c in ALL_CRITERIA)


def test_automatic_rules_are_where_the_data_allow():
    assert {c.key: (c.rule, c.params) for c in ALL_CRITERIA if c.rule} == {
        "working_age": ("age_between", {"minimum": 18, "maximum": 67}),
        "pain_over_3_months": ("pain_longer_than_months", {"months": 3}),
        "age_18_to_67": ("age_between", {"minimum": 18, "maximum": 67}),
        "fully_investigated": ("no_pending_investigations", {}),
        "sick_listed": ("sick_listed", {}),
        "pending_investigations": ("pending_investigations", {}),
        "severe_depression": ("madrs_above", {"threshold": 28}),
    }


def test_only_absence_waits_until_rehabilitation_has_started():
    assert [c.key for c in ALL_CRITERIA if not c.checked_at_assessment] == ["absence"]


def test_exclusions_name_real_discharge_reasons():
    named = {c.key: c.discharge_reason for c in ALL_CRITERIA if c.discharge_reason}
    assert named == {
        "active_substance_abuse": "substance_abuse",
        "missing_prerequisites": "missing_prerequisites",
        "absence": "absence",
        "acute_problems": "acute_problems",
        "ongoing_substance_abuse": "substance_abuse",
    }
    assert set(named.values()) <= set(DischargeReason.values)


@pytest.mark.parametrize("template", [SPECIALIST_CRITERIA, KRT_CRITERIA])
def test_each_shipped_template_has_unique_keys(template):
    check_template(template)  # does not raise


def test_a_template_with_a_key_used_twice_is_refused():
    with pytest.raises(ValueError, match="'can_attend' is used twice"):
        check_template([BY_KEY["can_attend"], BY_KEY["can_attend"]])


@pytest.mark.parametrize("criterion", ALL_CRITERIA, ids=lambda c: c.key)
def test_every_criterion_survives_a_json_round_trip(criterion):
    data = json.loads(json.dumps(criterion.to_dict()))
    assert Criterion.from_dict(data) == criterion
    assert data["kind"] in CriterionKind.values


def test_a_criterion_from_data_gets_its_kind_as_a_choice():
    criterion = Criterion.from_dict(
        {"key": "k", "kind": "exclusion", "text_sv": "s", "text_en": "e"}
    )
    assert criterion.kind is CriterionKind.EXCLUSION


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule": "age_over"}, "unknown rule 'age_over'"),
        ({"rule": "madrs_above"}, "rule 'madrs_above' takes"),
        ({"rule": "madrs_above", "params": {"limit": 28}}, "rule 'madrs_above' takes"),
        ({"params": {"months": 3}}, "parameters given but no rule"),
        ({"kind": "required"}, "is not a valid CriterionKind"),
    ],
)
def test_a_badly_configured_criterion_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        Criterion(
            **{"key": "k", "kind": "inclusion", "text_sv": "s", "text_en": "e"}
            | changes
        )


def test_every_rule_names_facts_that_exist():
    fields = set(Facts.__dataclass_fields__)
    for rule in RULES.values():
        assert set(rule.needs) <= fields


# --- Criteria the team decides ----------------------------------------------------

TEAM_CRITERIA = [c for c in ALL_CRITERIA if c.rule is None]


def test_twenty_criteria_are_decided_by_the_team():
    # 7 + 4 + 4 of seed 1, 2 + 3 reasons for individual rehabilitation of seed 2
    assert len(TEAM_CRITERIA) == 20


@pytest.mark.parametrize("criterion", TEAM_CRITERIA, ids=lambda c: c.key)
def test_a_team_criterion_is_met_not_met_or_unknown_by_confirmation(criterion):
    def run(**confirmations: bool):
        return evaluate(criterion, facts=GOOD_FACTS, confirmations=confirmations)

    met = run(**{criterion.key: True})
    not_met = run(**{criterion.key: False})
    unknown = run()
    assert (met.outcome, met.basis) == (Outcome.MET, Basis.TEAM)
    assert (not_met.outcome, not_met.basis) == (Outcome.NOT_MET, Basis.TEAM)
    assert (unknown.outcome, unknown.basis) == (Outcome.UNKNOWN, Basis.NOT_ASSESSED)
    assert unknown.missing_facts == ()
    # a confirmation of another criterion does not count
    other = run(**{"some_other_key": True})
    assert other.outcome == Outcome.UNKNOWN


def test_without_confirmations_at_all_a_team_criterion_is_unknown():
    result = evaluate(BY_KEY["can_attend"], facts=GOOD_FACTS)
    assert result.outcome == Outcome.UNKNOWN


# --- Criteria decided from the facts ------------------------------------------------


def _outcome(key: str, **facts) -> Outcome:
    return _result(key, replace(GOOD_FACTS, **facts)).outcome


@pytest.mark.parametrize("key", ["working_age", "age_18_to_67"])
@pytest.mark.parametrize(
    ("birth_date", "outcome"),
    [
        (date(2006, 5, 15), Outcome.MET),  # 18 today
        (date(2006, 5, 16), Outcome.NOT_MET),  # 18 tomorrow
        (date(1956, 5, 16), Outcome.MET),  # 67, 68 tomorrow
        (date(1956, 5, 15), Outcome.NOT_MET),  # 68 today
        (date(1980, 6, 1), Outcome.MET),
    ],
)
def test_age_must_be_18_to_67_on_the_assessment_day(key, birth_date, outcome):
    assert _outcome(key, birth_date=birth_date) == outcome


@pytest.mark.parametrize(
    ("pain_started_on", "assessed_on", "outcome"),
    [
        # exactly 3 months to the day is not "mer än 3 månader"
        (date(2024, 2, 15), date(2024, 5, 15), Outcome.NOT_MET),
        (date(2024, 2, 14), date(2024, 5, 15), Outcome.MET),
        # 29 Feb + 3 months = 29 May
        (date(2024, 2, 29), date(2024, 5, 29), Outcome.NOT_MET),
        (date(2024, 2, 29), date(2024, 5, 30), Outcome.MET),
        # 30 Nov 2023 + 3 months = 29 Feb 2024
        (date(2023, 11, 30), date(2024, 2, 29), Outcome.NOT_MET),
        (date(2023, 11, 30), date(2024, 3, 1), Outcome.MET),
        # pain that started on the assessment day
        (date(2024, 5, 15), date(2024, 5, 15), Outcome.NOT_MET),
    ],
)
def test_pain_must_have_lasted_more_than_3_months(
    pain_started_on, assessed_on, outcome
):
    assert (
        _outcome(
            "pain_over_3_months",
            pain_started_on=pain_started_on,
            assessed_on=assessed_on,
        )
        == outcome
    )


@pytest.mark.parametrize(
    ("pending", "fully_investigated", "pending_applies"),
    [
        (False, Outcome.MET, Outcome.NOT_MET),
        (True, Outcome.NOT_MET, Outcome.MET),
        (None, Outcome.UNKNOWN, Outcome.UNKNOWN),
    ],
)
def test_pending_investigations_decide_both_krt_criteria(
    pending, fully_investigated, pending_applies
):
    assert _outcome("fully_investigated", has_pending_investigations=pending) == (
        fully_investigated
    )
    assert _outcome("pending_investigations", has_pending_investigations=pending) == (
        pending_applies
    )


@pytest.mark.parametrize(
    ("percent", "outcome"),
    [(100, Outcome.MET), (75, Outcome.MET), (25, Outcome.MET), (0, Outcome.NOT_MET)],
)
def test_sick_leave_of_any_degree_is_met(percent, outcome):
    assert _outcome("sick_listed", sick_leave_percent=percent) == outcome


@pytest.mark.parametrize(
    ("madrs", "outcome"),
    [
        (0, Outcome.NOT_MET),
        (28, Outcome.NOT_MET),  # "över 28": 28 does not exclude
        (29, Outcome.MET),
        (60, Outcome.MET),
    ],
)
def test_madrs_above_28_is_severe_depression(madrs, outcome):
    assert _outcome("severe_depression", madrs_total=madrs) == outcome


@pytest.mark.parametrize(
    ("key", "missing"),
    [
        ("working_age", "birth_date"),
        ("age_18_to_67", "birth_date"),
        ("pain_over_3_months", "pain_started_on"),
        ("fully_investigated", "has_pending_investigations"),
        ("sick_listed", "sick_leave_percent"),
        ("pending_investigations", "has_pending_investigations"),
        ("severe_depression", "madrs_total"),
    ],
)
def test_a_missing_fact_makes_an_automatic_criterion_unknown(key, missing):
    unrecorded: dict[str, Any] = {missing: None}
    result = _result(key, replace(GOOD_FACTS, **unrecorded))
    assert (result.outcome, result.basis) == (Outcome.UNKNOWN, Basis.MISSING_FACTS)
    assert result.missing_facts == (missing,)


def test_a_confirmation_does_not_override_an_automatic_criterion():
    high = replace(GOOD_FACTS, madrs_total=35)
    assert _result("severe_depression", high, severe_depression=False).outcome == (
        Outcome.MET
    )
    missing = replace(GOOD_FACTS, madrs_total=None)
    result = _result("severe_depression", missing, severe_depression=False)
    assert (result.outcome, result.basis) == (Outcome.UNKNOWN, Basis.MISSING_FACTS)


def test_an_automatic_result_says_so():
    result = _result("severe_depression")
    assert (result.outcome, result.basis) == (Outcome.NOT_MET, Basis.AUTOMATIC)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_date": date(2024, 5, 16)}, "birth date is after"),
        ({"pain_started_on": date(2024, 5, 16)}, "pain started after"),
        ({"madrs_total": 61}, "MADRS total is 0–60"),
        ({"madrs_total": -1}, "MADRS total is 0–60"),
        ({"sick_leave_percent": 101}, "Sick leave is 0–100"),
    ],
)
def test_impossible_facts_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        replace(GOOD_FACTS, **changes)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1980, 6, 1), date(2024, 5, 31), 43),
        (date(1980, 6, 1), date(2024, 6, 1), 44),
        (date(2000, 2, 29), date(2018, 2, 27), 17),
        (date(2000, 2, 29), date(2018, 2, 28), 18),  # no 29th: the 28th
        (date(2000, 2, 29), date(2020, 2, 28), 19),
        (date(2000, 2, 29), date(2020, 2, 29), 20),
        (date(2024, 5, 15), date(2024, 5, 15), 0),
    ],
)
def test_age_in_completed_years(born, on, age):
    assert age_on(born, on=on) == age


@settings(
    database=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    born=st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)),
    years=st.integers(min_value=1, max_value=90),
)
def test_age_goes_up_by_one_on_each_birthday(born, years):
    birthday = add_months(born, 12 * years)
    assert age_on(born, on=birthday) == years
    assert age_on(born, on=birthday - timedelta(days=1)) == years - 1


# --- The decision -------------------------------------------------------------------


def _confirm_all(criteria, *, inclusion=True, exclusion=False, reason=False):
    value = {
        CriterionKind.INCLUSION: inclusion,
        CriterionKind.EXCLUSION: exclusion,
        CriterionKind.INDIVIDUAL_REASON: reason,
    }
    return {c.key: value[c.kind] for c in criteria if c.rule is None}


def _check(criteria, *, decision, facts=GOOD_FACTS, **overrides):
    confirmations = _confirm_all(criteria)
    confirmations.update(overrides)
    for key in [k for k, v in confirmations.items() if v is None]:
        del confirmations[key]
    results = evaluate_all(criteria, facts=facts, confirmations=confirmations)
    return decision_allowed(results, decision=decision)


def _blocks(check) -> list[tuple[str | None, BlockReason]]:
    return [
        (b.criterion.key if b.criterion else None, b.reason) for b in check.blockers
    ]


def test_a_programme_decision_is_allowed_when_everything_is_in_order():
    check = _check(SPECIALIST_CRITERIA, decision=Decision.GROUP_PROGRAMME)
    assert check.allowed is True
    assert check.blockers == ()
    assert check.decision == Decision.GROUP_PROGRAMME


def test_the_absence_exclusion_is_not_asked_at_the_conference():
    # not confirmed either way, and even if it were marked as applying
    for absence in (None, True):
        check = _check(
            SPECIALIST_CRITERIA, decision=Decision.GROUP_PROGRAMME, absence=absence
        )
        assert check.allowed is True


def test_an_inclusion_criterion_not_met_blocks():
    check = _check(
        SPECIALIST_CRITERIA, decision=Decision.GROUP_PROGRAMME, can_attend=False
    )
    assert check.allowed is False
    assert _blocks(check) == [("can_attend", BlockReason.INCLUSION_NOT_MET)]


def test_an_inclusion_criterion_not_assessed_blocks():
    check = _check(
        SPECIALIST_CRITERIA,
        decision=Decision.GROUP_PROGRAMME,
        open_to_behaviour_change=None,
    )
    assert _blocks(check) == [
        ("open_to_behaviour_change", BlockReason.INCLUSION_UNKNOWN)
    ]


def test_a_missing_birth_date_blocks_and_says_which_fact_is_missing():
    facts = replace(GOOD_FACTS, birth_date=None)
    check = _check(SPECIALIST_CRITERIA, decision=Decision.GROUP_PROGRAMME, facts=facts)
    assert check.blockers == (
        Blocker(BlockReason.INCLUSION_UNKNOWN, BY_KEY["working_age"], ("birth_date",)),
    )


def test_an_age_outside_working_age_blocks():
    facts = replace(GOOD_FACTS, birth_date=date(1950, 1, 1))
    check = _check(SPECIALIST_CRITERIA, decision=Decision.GROUP_PROGRAMME, facts=facts)
    assert _blocks(check) == [("working_age", BlockReason.INCLUSION_NOT_MET)]


def test_an_exclusion_that_applies_blocks():
    check = _check(
        SPECIALIST_CRITERIA,
        decision=Decision.GROUP_PROGRAMME,
        active_substance_abuse=True,
    )
    assert _blocks(check) == [("active_substance_abuse", BlockReason.EXCLUSION_APPLIES)]


def test_an_exclusion_not_yet_assessed_blocks():
    check = _check(
        SPECIALIST_CRITERIA, decision=Decision.GROUP_PROGRAMME, acute_problems=None
    )
    assert _blocks(check) == [("acute_problems", BlockReason.EXCLUSION_UNKNOWN)]


def test_every_blocker_is_listed_in_criteria_order():
    check = _check(
        SPECIALIST_CRITERIA,
        decision=Decision.GROUP_PROGRAMME,
        acute_problems=True,
        long_term_non_malignant_pain=False,
        missing_prerequisites=None,
        work_or_study_goal=None,
    )
    assert _blocks(check) == [
        ("long_term_non_malignant_pain", BlockReason.INCLUSION_NOT_MET),
        ("work_or_study_goal", BlockReason.INCLUSION_UNKNOWN),
        ("missing_prerequisites", BlockReason.EXCLUSION_UNKNOWN),
        ("acute_problems", BlockReason.EXCLUSION_APPLIES),
    ]


def test_an_individual_decision_needs_a_reason_from_section_10_3():
    without = _check(SPECIALIST_CRITERIA, decision=Decision.INDIVIDUAL)
    assert without.allowed is False
    assert _blocks(without) == [(None, BlockReason.NO_INDIVIDUAL_REASON)]
    with_reason = _check(
        SPECIALIST_CRITERIA, decision=Decision.INDIVIDUAL, cognitive_difficulties=True
    )
    assert with_reason.allowed is True


@pytest.mark.parametrize("reason", INDIVIDUAL_REASONS, ids=lambda c: c.key)
def test_any_one_reason_is_enough_for_an_individual_decision(reason):
    check = _check(SPECIALIST_CRITERIA, decision="individual", **{reason.key: True})
    assert check.allowed is True
    assert check.decision == Decision.INDIVIDUAL


def test_an_individual_decision_still_needs_every_inclusion_criterion():
    check = _check(
        SPECIALIST_CRITERIA,
        decision=Decision.INDIVIDUAL,
        practical_reasons=True,
        needs_two_professions=False,
    )
    assert _blocks(check) == [("needs_two_professions", BlockReason.INCLUSION_NOT_MET)]


def test_reasons_for_individual_rehabilitation_do_not_affect_a_programme_decision():
    check = _check(
        SPECIALIST_CRITERIA,
        decision=Decision.GROUP_PROGRAMME,
        practical_reasons=True,
        cognitive_difficulties=None,
    )
    assert check.allowed is True


def test_a_krt_group_decision_is_allowed_for_a_patient_who_fits():
    check = _check(KRT_CRITERIA, decision=Decision.GROUP_PROGRAMME)
    assert check.allowed is True


def test_krt_severe_depression_blocks():
    facts = replace(GOOD_FACTS, madrs_total=29)
    check = _check(KRT_CRITERIA, decision=Decision.GROUP_PROGRAMME, facts=facts)
    assert _blocks(check) == [("severe_depression", BlockReason.EXCLUSION_APPLIES)]


def test_krt_pending_investigations_block_twice():
    facts = replace(GOOD_FACTS, has_pending_investigations=True)
    check = _check(KRT_CRITERIA, decision=Decision.GROUP_PROGRAMME, facts=facts)
    assert _blocks(check) == [
        ("fully_investigated", BlockReason.INCLUSION_NOT_MET),
        ("pending_investigations", BlockReason.EXCLUSION_APPLIES),
    ]


def test_krt_without_any_recorded_data_lists_what_is_missing():
    facts = Facts(assessed_on=ASSESSED_ON)
    check = _check(KRT_CRITERIA, decision=Decision.GROUP_PROGRAMME, facts=facts)
    assert [
        (key, reason, b.missing_facts)
        for (key, reason), b in zip(_blocks(check), check.blockers, strict=True)
    ] == [
        ("pain_over_3_months", BlockReason.INCLUSION_UNKNOWN, ("pain_started_on",)),
        ("age_18_to_67", BlockReason.INCLUSION_UNKNOWN, ("birth_date",)),
        (
            "fully_investigated",
            BlockReason.INCLUSION_UNKNOWN,
            ("has_pending_investigations",),
        ),
        ("sick_listed", BlockReason.INCLUSION_UNKNOWN, ("sick_leave_percent",)),
        (
            "pending_investigations",
            BlockReason.EXCLUSION_UNKNOWN,
            ("has_pending_investigations",),
        ),
        ("severe_depression", BlockReason.EXCLUSION_UNKNOWN, ("madrs_total",)),
    ]


def test_krt_has_no_reasons_so_an_individual_decision_is_refused():
    check = _check(KRT_CRITERIA, decision=Decision.INDIVIDUAL)
    assert _blocks(check) == [(None, BlockReason.NO_INDIVIDUAL_REASON)]


def test_an_unknown_decision_is_refused():
    with pytest.raises(ValueError, match="is not a valid Decision"):
        decision_allowed([], decision="not_suitable")


def test_every_rule_reads_as_a_sentence_with_its_values():
    from django.utils import translation

    from painrehab.pathway import criteria as rules

    with translation.override("sv"):
        assert rules.rule_in_words("age_between", {"minimum": 18, "maximum": 67}) == (
            "Ålder 18–67 år på konferensdagen, enligt personnumret"
        )
        assert rules.rule_in_words(None, {}) == "Teamet, vid konferensen"
        for key, rule in rules.RULES.items():
            sentence = rules.rule_in_words(key, dict.fromkeys(rule.params, 7))
            assert "_" not in sentence, key
            assert "%" not in sentence, key
