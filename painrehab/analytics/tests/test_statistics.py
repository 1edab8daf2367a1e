"""The statistics on a small dataset computed by hand (arithmetic in comments)."""

import math

import pytest

from painrehab.analytics.statistics import (
    MEASURES,
    Direction,
    Measure,
    median_ci_ranks,
    paired_change,
    sick_leave_change,
    t_quantile_975,
)

# HADS anxiety before → after for six patients.
HADS_PAIRS = [(14, 8), (12, 11), (9, 6), (15, 10), (10, 10), (13, 7)]
# changes (after − before): −6, −1, −3, −5, 0, −6          sum −21
# mean = −21 / 6 = −3.5
# deviations from the mean: −2.5, 2.5, 0.5, −1.5, 3.5, −2.5
# squares: 6.25 + 6.25 + 0.25 + 2.25 + 12.25 + 6.25 = 33.5
# variance = 33.5 / 5 = 6.7; SD = √6.7 = 2.588436
# SE = 2.588436 / √6 = 1.056724; t(0.975, 5) = 2.571
# half-width = 2.571 × 1.056724 = 2.716837 → CI (−6.216837, −0.783163)
# d_z = −3.5 / 2.588436 = −1.352164
# sorted changes −6, −6, −5, −3, −1, 0 → median (−5 + −3) / 2 = −4
# median CI for n = 6: ranks 1 and 6 (miss prob 2 × 1/64 = 0.031 ≤ 0.05;
# ranks 2 and 5 would miss with 2 × 7/64 = 0.219) → (−6, 0)
# MID 1.5, lower is better: −6 ✓ −1 ✗ −3 ✓ −5 ✓ 0 ✗ −6 ✓ → 4/6
# cases before (≥ 11): 14, 12, 15, 13; after < 11: 8 ✓ 11 ✗ 10 ✓ 7 ✓ → 3/4


@pytest.fixture
def summary():
    return paired_change(HADS_PAIRS, measure=MEASURES["hads.anxiety"])


def test_mean_change_and_t_interval(summary):
    assert summary.n == 6
    assert summary.mean_change == pytest.approx(-3.5)
    assert summary.sd_change == pytest.approx(2.588436, abs=1e-6)
    assert summary.mean_ci == pytest.approx((-6.216837, -0.783163), abs=1e-5)


def test_effect_size_is_cohens_dz(summary):
    assert summary.effect_size_dz == pytest.approx(-1.352164, abs=1e-5)


def test_median_change_with_order_statistic_interval(summary):
    assert summary.median_change == -4
    assert summary.median_ci == (-6, 0)


def test_share_improved_by_mid_is_direction_aware(summary):
    assert summary.share_improved_mid == pytest.approx(4 / 6)
    # the same numbers on a higher-is-better scale: only the +… changes count,
    # and there are none
    higher = Measure(Direction.HIGHER_IS_BETTER, mid=1.5)
    assert paired_change(HADS_PAIRS, measure=higher).share_improved_mid == 0


def test_share_leaving_hads_case_range(summary):
    assert summary.share_leaving_case == pytest.approx(3 / 4)


def test_higher_is_better_mid_and_cut_off():
    # WHO-5 percentage: MID 10, case at ≤ 50.
    # (40 → 60) +20 ✓ leaves; (52 → 58) +6 ✗ not a case; (30 → 45) +15 ✓ stays
    result = paired_change(
        [(40, 60), (52, 58), (30, 45)], measure=MEASURES["who5.percentage"]
    )
    assert result.share_improved_mid == pytest.approx(2 / 3)
    assert result.share_leaving_case == pytest.approx(1 / 2)


def test_missing_values_are_dropped_and_single_pair_has_no_interval():
    result = paired_change([(5, None), (None, 3), (7, 4)])
    assert result.n == 1
    assert result.mean_change == -3
    assert result.mean_ci is None
    assert result.effect_size_dz is None
    assert result.median_ci is None


def test_empty_input():
    assert paired_change([]).n == 0


def test_t_quantile_table_and_approximation():
    assert t_quantile_975(5) == 2.571
    # exact values: df 40 → 2.0211, df 120 → 1.9799
    assert t_quantile_975(40) == pytest.approx(2.0211, abs=1e-3)
    assert t_quantile_975(120) == pytest.approx(1.9799, abs=1e-3)
    with pytest.raises(ValueError, match="df"):
        t_quantile_975(0)


def test_median_ci_ranks():
    assert median_ci_ranks(5) is None  # 2 × 1/32 = 0.0625 > 0.05
    assert median_ci_ranks(6) == (1, 6)
    # n = 10: P(X ≤ 1) = 11/1024, × 2 = 0.0215 ✓; P(X ≤ 2) = 56/1024, × 2 = 0.109 ✗
    assert median_ci_ranks(10) == (2, 9)


def test_sick_leave_change_and_return_to_work():
    # before 100, 50, 0, 100; after 50, 0, 0, 0
    # means 62.5 → 12.5, change −50; on leave before: 3, of whom at 0 after: 2
    result = sick_leave_change([(100, 50), (50, 0), (0, 0), (100, 0)])
    assert result.mean_percent_before == 62.5
    assert result.mean_percent_after == 12.5
    assert result.mean_change == -50
    assert result.share_returned_to_work == pytest.approx(2 / 3)
    assert math.isclose(sick_leave_change([]).n, 0)


def test_median_ci_ranks_normal_approximation_above_100():
    # n = 400: (400 − 1.959964 × 20) / 2 = 180.4 → 180; exact binomial gives 181
    assert median_ci_ranks(400) == (180, 221)
    # n = 100 exact: P(X ≤ 39) = 0.0176 → ×2 = 0.035 ✓, P(X ≤ 40) = 0.0284 → 0.057 ✗
    assert median_ci_ranks(100) == (40, 61)
