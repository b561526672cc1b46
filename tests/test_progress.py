"""Progress rules (monitor/progress.py) on the real Heemskerk indicators, every expected value computed by hand.

Day counts used throughout (no leap day except 29 Feb 2024):
  2023-12-31 -> 2027-12-31 = 366 + 365 + 365 + 365 = 1461 days
  2023-12-31 -> 2025-12-31 = 366 + 365            =  731 days
  2023-12-31 -> 2025-06-30 = 366 + 181            =  547 days  (181 = 31+28+31+30+31+30)
  2023-12-31 -> 2027-06-30 = 366 + 365 + 365 + 181 = 1277 days
"""

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from monitor.catalogue import load_plan
from monitor.progress import (
    AANDACHT,
    BEREIKT,
    GEEN_DOEL,
    GEEN_METING,
    METING_VERWACHT,
    NIET_OP_KOERS,
    OP_KOERS,
    add_months,
    assess,
    next_due,
    path_value,
)
from monitor.store import Measurement

PLAN = load_plan(Path(__file__).resolve().parent.parent / "data" / "plans" / "heemskerk.toml")
WIJKEN = ["WK039600", "WK039601", "WK039602"]


def ind(indicator_id):
    return PLAN.indicator(indicator_id)


def meting(indicator, periode, waarde, wijk=""):
    return Measurement(indicator_id=indicator.id, gemeente_code="GM0396", periode=periode, waarde=waarde,
                       eenheid=indicator.eenheid, bron="test", herkomst="meting", wijk_code=wijk)


def status_of(indicator, periode, waarde, peildatum):
    return assess(indicator, [meting(indicator, periode, waarde)], peildatum).status


# ------------------------------------------------------------------ path_value


def test_path_value_before_and_at_baseline_is_the_baseline():
    assert path_value(108, date(2023, 12, 31), 250, date(2027, 12, 31), date(2023, 6, 30)) == 108
    assert path_value(108, date(2023, 12, 31), 250, date(2027, 12, 31), date(2023, 12, 31)) == 108


def test_path_value_at_and_after_target_is_the_target():
    assert path_value(108, date(2023, 12, 31), 250, date(2027, 12, 31), date(2027, 12, 31)) == 250
    assert path_value(108, date(2023, 12, 31), 250, date(2027, 12, 31), date(2029, 1, 1)) == 250


def test_path_value_exactly_halfway():
    # 2024-12-31 -> 2026-12-31 = 730 days, 2025-12-31 is 365 in: 100 + (200-100) * 365/730 = 150
    assert path_value(100, date(2024, 12, 31), 200, date(2026, 12, 31), date(2025, 12, 31)) == 150


def test_path_value_vw2_end_of_2025():
    # 108 + (250-108) * 731/1461 = 108 + 103802/1461 = 108 + 71.0486 = 179.0486
    assert path_value(108, date(2023, 12, 31), 250, date(2027, 12, 31), date(2025, 12, 31)) == pytest.approx(179.0486,
                                                                                                             abs=1e-4)


def test_path_value_downward():
    # 1240 - (1240-1100) * 731/1461 = 1240 - 70.0479 = 1169.9521
    assert path_value(1240, date(2023, 12, 31), 1100, date(2027, 12, 31), date(2025, 12, 31)) == pytest.approx(
        1169.9521, abs=1e-4)


# ------------------------------------------------------------------ floor: at_least, VW-2 108 (2023-H2) -> 250 (2027)
# Path at 2025-H2: 179.0486 (above). Scale 250-108 = 142, aandacht margin 0.25*142 = 35.5.
# Aandacht from 179.0486 - 35.5 = 143.5486 up to 179.0486.

PEIL_2026 = date(2026, 3, 1)  # 2025-H2 is due 2026-09-30 (2/j), so nothing is overdue here


def test_floor_expected_and_targets():
    p = assess(ind("VW-2"), [meting(ind("VW-2"), "2025-H2", 180)], PEIL_2026)
    assert p.baseline_value == 108
    assert p.baseline_period == "2023-H2"
    assert p.target_value == 250
    assert p.target_period == "2027"
    assert p.expected == pytest.approx(179.0486, abs=1e-4)  # 108 + 142 * 731/1461
    assert p.status == OP_KOERS
    assert p.latest.waarde == 180


@pytest.mark.parametrize("waarde, status", [
    (250, BEREIKT),         # target reached early: improving target, so bereikt
    (260, BEREIKT),
    (249, OP_KOERS),        # 249 >= 179.0486
    (179.05, OP_KOERS),     # shortfall 179.0486 - 179.05 = -0.0014 <= 0
    (179.04, AANDACHT),     # shortfall 0.0086
    (143.55, AANDACHT),     # shortfall 35.4986 <= 35.5
    (143.54, NIET_OP_KOERS),  # shortfall 35.5086 > 35.5
    (108, NIET_OP_KOERS),   # shortfall 71.0486
])
def test_floor_statuses_2025(waarde, status):
    assert status_of(ind("VW-2"), "2025-H2", waarde, PEIL_2026) == status


def test_floor_margin_exact_boundary_mid_path():
    # Same target, baseline moved to 2025-H2: 2025-12-31 -> 2027-12-31 = 730 days, 2026-H2 is 365 in.
    # expected = 108 + 142 * 365/730 = 179 exactly; boundary 179 - 35.5 = 143.5
    vw2 = dataclasses.replace(ind("VW-2"), nulmeting_periode="2025-H2")
    peil = date(2027, 3, 1)
    p = assess(vw2, [meting(vw2, "2026-H2", 143.5)], peil)
    assert p.expected == 179
    assert p.status == AANDACHT          # shortfall 35.5, exactly on the margin
    assert status_of(vw2, "2026-H2", 143.49, peil) == NIET_OP_KOERS  # shortfall 35.51


def test_floor_margin_exact_boundary_in_target_period():
    # In 2027 the path is at the target: expected 250, boundary 250 - 35.5 = 214.5
    peil = date(2028, 1, 31)
    p = assess(ind("VW-2"), [meting(ind("VW-2"), "2027-H2", 214.5)], peil)
    assert p.expected == 250
    assert p.status == AANDACHT
    assert status_of(ind("VW-2"), "2027-H2", 214.49, peil) == NIET_OP_KOERS  # shortfall 35.51
    assert status_of(ind("VW-2"), "2027-H2", 250, peil) == BEREIKT


# ------------------------------------------------------------------ ceiling downward: FF-3 1240 (2023) -> max 1100 (2027)
# Path at 2025: 1169.9521. Scale 140, margin 35: aandacht up to 1204.9521.


@pytest.mark.parametrize("waarde, status", [
    (1100, BEREIKT),          # target reached early
    (1150, OP_KOERS),         # below the path
    (1169.95, OP_KOERS),      # shortfall 1169.95 - 1169.9521 = -0.0021
    (1169.96, AANDACHT),      # shortfall 0.0079
    (1204.95, AANDACHT),      # shortfall 34.9979 <= 35
    (1204.96, NIET_OP_KOERS),  # shortfall 35.0079 > 35
    (1240, NIET_OP_KOERS),    # still at the baseline: shortfall 70.0479
])
def test_ceiling_downward_statuses(waarde, status):
    p = assess(ind("FF-3"), [meting(ind("FF-3"), "2025", waarde)], date(2026, 1, 15))
    assert p.expected == pytest.approx(1169.9521, abs=1e-4)  # 1240 - 140 * 731/1461
    assert p.status == status


# ------------------------------------------------------------------ cap: ZW-4 2864 (2023) -> at most +9% = 3121.76 (2027)
# Path at 2025-H2: 2864 + 257.76 * 731/1461 = 2864 + 188422.56/1461 = 2864 + 128.9682 = 2992.9682.
# Above the path but within the cap 3121.76 is aandacht; past the cap the margin is 0.25 * 257.76 = 64.44 from the
# path (2992.9682 + 64.44 = 3057.4082), which the cap already exceeds, so any value over 3121.76 is niet op koers.


@pytest.mark.parametrize("waarde, status", [
    (2864, OP_KOERS),         # at baseline, under the path; not bereikt before 2027 although under the cap
    (2950, OP_KOERS),         # under the path
    (2992.96, OP_KOERS),      # shortfall -0.0082
    (2992.98, AANDACHT),      # shortfall 0.0118
    (3057.41, AANDACHT),      # shortfall 64.4418, still under the cap
    (3100, AANDACHT),         # 107.03 above the path in 2025, but under the cap 3121.76
    (3121.76, AANDACHT),      # exactly the cap
    (3121.77, NIET_OP_KOERS),  # past the cap: shortfall 3121.77 - 2992.9682 = 128.8018 > 64.44
])
def test_cap_statuses_2025(waarde, status):
    p = assess(ind("ZW-4"), [meting(ind("ZW-4"), "2025-H2", waarde)], PEIL_2026)
    assert p.target_value == pytest.approx(3121.76)  # 2864 * 1.09
    assert p.expected == pytest.approx(2992.9682, abs=1e-4)
    assert p.status == status


def test_cap_not_bereikt_before_target_period():
    # 2027-H1 is not the target period. Path: 2864 + 257.76 * 1277/1461 = 2864 + 225.2974 = 3089.2974
    p = assess(ind("ZW-4"), [meting(ind("ZW-4"), "2027-H1", 3000)], date(2027, 9, 1))
    assert p.expected == pytest.approx(3089.2974, abs=1e-4)
    assert p.status == OP_KOERS


@pytest.mark.parametrize("waarde, status", [
    (3000, BEREIKT),       # within the cap in the target period
    (3121.76, BEREIKT),    # exactly the cap
    (3130, AANDACHT),      # 3130 - 3121.76 = 8.24 <= 64.44
    (3190, NIET_OP_KOERS),  # 3190 - 3121.76 = 68.24 > 64.44
])
def test_cap_in_target_period(waarde, status):
    p = assess(ind("ZW-4"), [meting(ind("ZW-4"), "2027-H2", waarde)], date(2028, 1, 31))
    assert p.expected == pytest.approx(3121.76)
    assert p.status == status


# ------------------------------------------------------------------ flat cap: target equal to baseline
# OZ-3: 141 -> 141, no planned change: margin FLAT_SCALE * 141 = 0.05 * 141 = 7.05 (aandacht above 141 up to 148.05).


@pytest.mark.parametrize("waarde, status", [
    (130, OP_KOERS),        # lower is fine, but not bereikt before 2027 (no improvement was planned)
    (141, OP_KOERS),        # shortfall 0
    (142.77, AANDACHT),     # shortfall 1.77 <= 7.05
    (148.05, AANDACHT),     # shortfall 7.05 <= 7.05 (float noise 7.050000000000011 is tolerated)
    (148.06, NIET_OP_KOERS),  # shortfall 7.06 > 7.05
])
def test_flat_cap_oz3_2025(waarde, status):
    p = assess(ind("OZ-3"), [meting(ind("OZ-3"), "2025", waarde)], date(2026, 1, 15))
    assert p.target_value == 141
    assert p.expected == 141
    assert p.status == status


def test_flat_cap_oz3_target_period():
    peil = date(2028, 1, 31)
    assert status_of(ind("OZ-3"), "2027", 141, peil) == BEREIKT
    assert status_of(ind("OZ-3"), "2027", 135, peil) == BEREIKT
    assert status_of(ind("OZ-3"), "2027", 142, peil) == AANDACHT  # 1 <= 7.05


@pytest.mark.parametrize("waarde, status", [
    # OZ-4: 13601.04, margin 0.05 * 13601.04 = 680.052: aandacht up to 14281.092
    (12000, OP_KOERS),
    (13771.06, AANDACHT),       # shortfall 170.02
    (14281.09, AANDACHT),       # shortfall 680.05
    (14281.10, NIET_OP_KOERS),  # shortfall 680.06
])
def test_flat_cap_oz4(waarde, status):
    assert status_of(ind("OZ-4"), "2025", waarde, date(2026, 1, 15)) == status


# ------------------------------------------------------------------ keep_level: ZW-5 79.91
# 2% of 79.91 = 1.5982 (op koers 78.3118 .. 81.5082); 5% = 3.9955 (aandacht 75.9145 .. 83.9055)


@pytest.mark.parametrize("waarde, status", [
    (79.91, OP_KOERS),
    (81.5, OP_KOERS),        # +1.59 / 79.91 = 1.99%
    (81.6, AANDACHT),        # +1.69 / 79.91 = 2.11%
    (83.9, AANDACHT),        # +3.99 / 79.91 = 4.99%
    (84.0, NIET_OP_KOERS),   # +4.09 / 79.91 = 5.12%
    (78.32, OP_KOERS),       # -1.59 / 79.91 = 1.99%
    (78.3, AANDACHT),        # -1.61 / 79.91 = 2.01%
    (75.92, AANDACHT),       # -3.99 / 79.91 = 4.99%
    (75.9, NIET_OP_KOERS),   # -4.01 / 79.91 = 5.02%
])
def test_keep_level(waarde, status):
    p = assess(ind("ZW-5"), [meting(ind("ZW-5"), "2025-H2", waarde)], PEIL_2026)
    assert p.target_value == pytest.approx(79.91)
    assert p.status == status


def test_keep_level_target_period():
    peil = date(2028, 1, 31)
    assert status_of(ind("ZW-5"), "2027-H2", 80.5, peil) == BEREIKT   # 0.74%
    assert status_of(ind("ZW-5"), "2027-H2", 82.5, peil) == AANDACHT  # 3.24%, not bereikt


# ------------------------------------------------------------------ relative targets


@pytest.mark.parametrize("indicator_id, target", [
    ("FF-1", 5914.7),    # 5377 * 1.10
    ("ZW-1", 195.2),     # 244 * 0.80
    ("ZW-4", 3121.76),   # 2864 * 1.09
    ("OO-6", 2017.1),    # 1754 * 1.15
    ("FF-2", 1083.5),    # 985 * 1.10
    ("OZ-4", 13601.04),  # 13601.04 * 1.00
])
def test_relative_targets_resolve(indicator_id, target):
    assert ind(indicator_id).resolved_target() == target  # exact: rounded to 6 decimals
    assert assess(ind(indicator_id), [], date(2024, 3, 1)).target_value == target


# ------------------------------------------------------------------ growth per year: OO-4, no baseline, +10%/year


def test_growth_only_first_measurement_is_nulmeting():
    oo4 = ind("OO-4")
    p = assess(oo4, [meting(oo4, "2024", 12)], date(2025, 3, 1))
    assert p.status == GEEN_METING
    assert "Alleen de nulmeting" in p.reason
    assert p.baseline_value == 12
    assert p.baseline_period == "2024"
    # 2024-12-31 -> 2027-12-31 = 1095 days = 2.998 years -> 3 years: 12 * 1.1^3 = 15.972
    assert p.target_value == pytest.approx(15.972)


def test_growth_without_measurement():
    p = assess(ind("OO-4"), [], date(2024, 3, 1))
    assert p.status == GEEN_METING
    assert p.baseline_value is None
    assert p.target_value is None


@pytest.mark.parametrize("waarde, status", [
    (13.2, OP_KOERS),      # exactly +10%: 12 * 1.1 = 13.2
    (14, OP_KOERS),        # more than +10%; the 2027 level 15.972 not reached
    (12.6, AANDACHT),      # +5%: shortfall 13.2 - 12.6 = 0.6; scale 15.972 - 12 = 3.972, margin 0.993
    (12.2, NIET_OP_KOERS),  # +1.7%: shortfall 1.0 > 0.993
])
def test_growth_second_year(waarde, status):
    oo4 = ind("OO-4")
    p = assess(oo4, [meting(oo4, "2024", 12), meting(oo4, "2025", waarde)], date(2026, 3, 1))
    assert p.expected == pytest.approx(13.2)  # 365 days = 0.999 years -> 1 year: 12 * 1.1
    assert "eerste meting" in p.reason
    assert p.status == status


def test_growth_reaching_end_level_early_is_op_koers_not_bereikt():
    oo4 = ind("OO-4")
    assert assess(oo4, [meting(oo4, "2024", 12), meting(oo4, "2025", 16)], date(2026, 3, 1)).status == OP_KOERS


def test_growth_two_years_of_five_percent():
    # 2026: expected 12 * 1.1^2 = 14.52; +5%/yr gives 12 * 1.05^2 = 13.23, shortfall 1.29 > 0.993
    oo4 = ind("OO-4")
    ms = [meting(oo4, "2024", 12), meting(oo4, "2025", 12.6), meting(oo4, "2026", 13.23)]
    p = assess(oo4, ms, date(2027, 3, 1))
    assert p.expected == pytest.approx(14.52)
    assert p.status == NIET_OP_KOERS


def test_growth_target_year():
    oo4 = ind("OO-4")
    base = [meting(oo4, "2024", 12), meting(oo4, "2025", 13.2), meting(oo4, "2026", 14.52)]
    peil = date(2028, 3, 1)
    assert assess(oo4, base + [meting(oo4, "2027", 15.972)], peil).status == BEREIKT  # 12 * 1.1^3, exactly
    assert assess(oo4, base + [meting(oo4, "2027", 15.5)], peil).status == AANDACHT  # shortfall 0.472 <= 0.993


# ------------------------------------------------------------------ no baseline, absolute target: OZ-2 (70%)
# First measurement 2024-H1 (ends 2024-06-30) is the nulmeting. 2024-06-30 -> 2027-12-31 = 184 + 1095 = 1279 days,
# -> 2025-06-30 = 365 days. Path at 2025-H1: 50 + (70-50) * 365/1279 = 50 + 5.7076 = 55.7076. Scale 20, margin 5.


def test_no_baseline_first_measurement_is_nulmeting():
    oz2 = ind("OZ-2")
    p = assess(oz2, [meting(oz2, "2024-H1", 50)], date(2024, 12, 31))
    assert p.status == GEEN_METING
    assert p.baseline_value == 50
    assert p.baseline_period == "2024-H1"
    assert p.target_value == 70


@pytest.mark.parametrize("waarde, status", [
    (70, BEREIKT),
    (56, OP_KOERS),        # 56 >= 55.7076
    (51, AANDACHT),        # shortfall 4.7076 <= 5
    (50.7, NIET_OP_KOERS),  # shortfall 5.0076 > 5
])
def test_no_baseline_path_from_first_measurement(waarde, status):
    oz2 = ind("OZ-2")
    p = assess(oz2, [meting(oz2, "2025-H1", waarde), meting(oz2, "2024-H1", 50)], date(2025, 12, 31))
    assert p.baseline_value == 50
    assert p.expected == pytest.approx(55.7076, abs=1e-4)
    assert p.status == status
    assert "eerste meting (1e halfjaar 2024)" in p.reason


def test_no_baseline_no_measurement():
    p = assess(ind("OZ-2"), [], date(2024, 3, 1))
    assert p.status == GEEN_METING
    assert p.reason == "Nog geen meting."
    assert p.target_value == 70


# ------------------------------------------------------------------ pending baseline: OZ-6, x measured for 2023/2024
# Schooljaar 2023/2024 ends 2024-07-31, target 2026/2027 ends 2027-07-31: 1095 days; 2024/2025 ends 365 days in.
# With x = 50: target 50 * 0.9 = 45; path at 2024/2025: 50 - 5 * 365/1095 = 48.3333. Scale 5, margin 1.25.


def test_pending_baseline_without_measurement():
    p = assess(ind("OZ-6"), [], date(2025, 1, 1))
    assert p.status == GEEN_METING
    assert p.reason == "Nulmeting (schooljaar 2023-2024) nog niet bekend; het doel volgt uit de nulmeting."
    assert p.baseline_value is None
    assert p.baseline_period == "2023/2024"
    assert p.target_value is None


def test_pending_baseline_measured_only():
    oz6 = ind("OZ-6")
    p = assess(oz6, [meting(oz6, "2023-2024", 50)], date(2025, 1, 1))
    assert p.status == GEEN_METING
    assert p.baseline_value == 50
    assert p.target_value == 45  # 50 * 0.9


@pytest.mark.parametrize("waarde, status", [
    (45, BEREIKT),
    (47, OP_KOERS),        # below 48.3333
    (49, AANDACHT),        # shortfall 0.6667 <= 1.25
    (50, NIET_OP_KOERS),   # shortfall 1.6667 > 1.25
])
def test_pending_baseline_measured_then_judged(waarde, status):
    oz6 = ind("OZ-6")
    p = assess(oz6, [meting(oz6, "2023-2024", 50), meting(oz6, "2024/2025", waarde)], date(2025, 9, 1))
    assert p.baseline_value == 50
    assert p.baseline_period == "2023/2024"
    assert p.target_value == 45
    assert p.expected == pytest.approx(48.3333, abs=1e-4)
    assert p.status == status
    assert p.reason == "Nulmeting schooljaar 2023-2024 is gemeten; het doel is daaruit berekend."


# ------------------------------------------------------------------ per wijk: OO-5 at most 45% in every wijk
# Baseline 48.1 (2022, ends 2022-12-31) -> 45 (2027): 1826 days; 2024 ends 731 days in.
# Path at 2024: 48.1 - 3.1 * 731/1826 = 48.1 - 1.2410 = 46.8590. Scale 3.1, margin 0.775 (aandacht up to 47.634).


def test_per_wijk_worst_wijk_decides():
    oo5 = ind("OO-5")
    ms = [meting(oo5, "2024", 44, WIJKEN[0]), meting(oo5, "2024", 43, WIJKEN[1]), meting(oo5, "2024", 47.5, WIJKEN[2])]
    p = assess(oo5, ms, date(2025, 6, 30), wijken=WIJKEN)
    assert [w.status for w in p.wijken] == [BEREIKT, BEREIKT, AANDACHT]  # 47.5: shortfall 0.641 <= 0.775
    assert p.status == AANDACHT
    assert p.failing_wijken == [WIJKEN[2]]
    assert p.expected == pytest.approx(46.8590, abs=1e-4)
    assert p.latest.waarde == 47.5
    assert p.target_value == 45
    assert p.reason == "2 van 3 wijken halen het doel."


def test_per_wijk_niet_op_koers_and_failing_but_on_path():
    oo5 = ind("OO-5")
    # 46: on the path (46 <= 46.859) but above 45, so failing; 48: shortfall 1.141 > 0.775
    ms = [meting(oo5, "2024", 46, WIJKEN[0]), meting(oo5, "2024", 44, WIJKEN[1]), meting(oo5, "2024", 48, WIJKEN[2])]
    p = assess(oo5, ms, date(2025, 6, 30), wijken=WIJKEN)
    assert [w.status for w in p.wijken] == [OP_KOERS, BEREIKT, NIET_OP_KOERS]
    assert p.status == NIET_OP_KOERS
    assert p.failing_wijken == [WIJKEN[0], WIJKEN[2]]


def test_per_wijk_all_meet():
    oo5 = ind("OO-5")
    ms = [meting(oo5, "2024", w, code) for w, code in zip((44, 43, 45), WIJKEN)]
    p = assess(oo5, ms, date(2025, 6, 30), wijken=WIJKEN)
    assert p.status == BEREIKT
    assert p.failing_wijken == []


def test_per_wijk_missing_wijk_fails_and_prevents_bereikt():
    oo5 = ind("OO-5")
    ms = [meting(oo5, "2024", 44, WIJKEN[0]), meting(oo5, "2024", 43, WIJKEN[1])]
    p = assess(oo5, ms, date(2025, 6, 30), wijken=WIJKEN)
    assert p.wijken[2].status == GEEN_METING
    assert p.wijken[2].latest is None
    assert p.failing_wijken == [WIJKEN[2]]
    assert p.status == AANDACHT
    assert p.reason == f"2 van 3 wijken halen het doel. Zonder meting: {WIJKEN[2]}."


def test_per_wijk_oo2_no_baseline():
    # OO-2: at least 1 place per wijk, first measurement per wijk is its nulmeting.
    # 2024-12-31 -> 2027-12-31 = 1095 days, 2025 is 365 in: path from 0 = 0 + 1 * 365/1095 = 0.3333. Scale 1, margin 0.25.
    oo2 = ind("OO-2")
    ms = [
        meting(oo2, "2024", 0, WIJKEN[0]), meting(oo2, "2025", 1, WIJKEN[0]),  # 0 -> 1: bereikt
        meting(oo2, "2024", 0, WIJKEN[1]), meting(oo2, "2025", 0, WIJKEN[1]),  # shortfall 0.3333 > 0.25
        meting(oo2, "2024", 1, WIJKEN[2]), meting(oo2, "2025", 1, WIJKEN[2]),  # flat at target: op koers
    ]
    p = assess(oo2, ms, date(2026, 3, 1), wijken=WIJKEN)
    assert [w.status for w in p.wijken] == [BEREIKT, NIET_OP_KOERS, OP_KOERS]
    assert p.wijken[1].expected == pytest.approx(1 / 3)
    assert p.status == NIET_OP_KOERS
    assert p.failing_wijken == [WIJKEN[1]]
    assert p.target_value == 1
    assert p.baseline_value is None


# ------------------------------------------------------------------ next_due and overdue measurements


def test_next_due_per_frequency():
    # 2/j: 2025-H1 ends 2025-06-30; +1 day = 2025-07-01, + 6 + 3 months = 2026-04-01, -1 day = 2026-03-31
    assert next_due(ind("VW-2"), date(2025, 6, 30)) == date(2026, 3, 31)
    # 1/j: 2024 ends 2024-12-31; 2025-01-01 + 12 + 6 months = 2026-07-01, -1 day = 2026-06-30
    assert next_due(ind("FF-3"), date(2024, 12, 31)) == date(2026, 6, 30)
    # 1/4j: 2024 ends 2024-12-31; 2025-01-01 + 48 + 12 months = 2030-01-01, -1 day = 2029-12-31
    assert next_due(ind("VW-1"), date(2024, 12, 31)) == date(2029, 12, 31)
    # 1/sj: 2024/2025 ends 2025-07-31; 2025-08-01 + 12 + 6 months = 2027-02-01, -1 day = 2027-01-31
    assert next_due(ind("OZ-6"), date(2025, 7, 31)) == date(2027, 1, 31)


def test_overdue_2_per_year():
    # VW-2 2025-H1: path 108 + 142 * 547/1461 = 108 + 53.1650 = 161.1650; 150 -> shortfall 11.165 -> aandacht
    vw2 = ind("VW-2")
    ms = [meting(vw2, "2025-H1", 150)]
    for peil in (date(2026, 3, 30), date(2026, 3, 31)):
        p = assess(vw2, ms, peil)
        assert (p.status, p.assessment, p.next_due) == (AANDACHT, None, date(2026, 3, 31))
        assert p.expected == pytest.approx(161.1650, abs=1e-4)
    p = assess(vw2, ms, date(2026, 4, 1))
    assert p.status == METING_VERWACHT
    assert p.assessment == AANDACHT
    assert p.latest.waarde == 150
    assert p.reason.startswith("Een nieuwe meting had binnen moeten zijn volgens de meetfrequentie. "
                               "Laatste meting: 1e halfjaar 2025.")


def test_overdue_1_per_year():
    # FF-3 2024: path 1240 - 140 * 366/1461 = 1240 - 35.0719 = 1204.9281; 1200 -> op koers
    ff3 = ind("FF-3")
    ms = [meting(ff3, "2024", 1200)]
    assert assess(ff3, ms, date(2026, 6, 29)).status == OP_KOERS
    assert assess(ff3, ms, date(2026, 6, 30)).status == OP_KOERS
    p = assess(ff3, ms, date(2026, 7, 1))
    assert (p.status, p.assessment, p.next_due) == (METING_VERWACHT, OP_KOERS, date(2026, 6, 30))


def test_overdue_1_per_4_years():
    # VW-1 56 (2020) -> 60 (2027): 2020-12-31 -> 2027-12-31 = 3*365 + 366 + 3*365 = 2556 days; 2024 is 1461 in.
    # Path 56 + 4 * 1461/2556 = 56 + 2.2864 = 58.2864; 58 -> shortfall 0.2864 <= 0.25 * 4 = 1 -> aandacht
    vw1 = ind("VW-1")
    ms = [meting(vw1, "2024", 58)]
    p = assess(vw1, ms, date(2029, 12, 30))
    assert p.expected == pytest.approx(58.2864, abs=1e-4)
    assert p.status == AANDACHT
    assert assess(vw1, ms, date(2029, 12, 31)).status == AANDACHT
    p = assess(vw1, ms, date(2030, 1, 1))
    assert (p.status, p.assessment, p.next_due) == (METING_VERWACHT, AANDACHT, date(2029, 12, 31))


def test_overdue_without_any_measurement_counts_from_plan_start():
    # Plan start 2024-01-01: 2/j due 2024-01-01 + 9 months - 1 day = 2024-09-30
    vw2 = ind("VW-2")
    assert assess(vw2, [], date(2024, 9, 30)).status == GEEN_METING
    p = assess(vw2, [], date(2024, 10, 1))
    assert (p.status, p.assessment, p.next_due) == (METING_VERWACHT, None, date(2024, 9, 30))


def test_bereikt_in_target_period_is_never_overdue():
    vw2 = ind("VW-2")
    p = assess(vw2, [meting(vw2, "2027-H2", 260)], date(2030, 1, 1))
    assert p.status == BEREIKT
    assert p.assessment is None


def test_bereikt_early_is_still_overdue():
    vw2 = ind("VW-2")
    p = assess(vw2, [meting(vw2, "2025-H1", 260)], date(2026, 4, 1))
    assert (p.status, p.assessment) == (METING_VERWACHT, BEREIKT)


# ------------------------------------------------------------------ peildatum


def test_measurements_after_peildatum_are_ignored():
    vw2 = ind("VW-2")
    ms = [meting(vw2, "2025-H2", 100), meting(vw2, "2025-H1", 170)]
    p = assess(vw2, ms, date(2025, 12, 30))  # 2025-H2 ends 2025-12-31: not yet known
    assert p.latest.periode == "2025-H1"
    assert p.status == OP_KOERS  # 170 >= 161.1650
    p = assess(vw2, ms, date(2025, 12, 31))
    assert p.latest.periode == "2025-H2"
    assert p.status == NIET_OP_KOERS  # 100: shortfall 79.0486 > 35.5


def test_only_future_measurements_means_no_measurement():
    oz2 = ind("OZ-2")
    p = assess(oz2, [meting(oz2, "2024-H1", 50), meting(oz2, "2025-H1", 60)], date(2024, 6, 29))
    assert p.status == GEEN_METING
    assert p.latest is None
    assert p.baseline_value is None


# ------------------------------------------------------------------ BBV indicators (no target)


def test_bbv_with_value():
    bbv = ind("BBV-BIJSTAND")
    p = assess(bbv, [meting(bbv, "2024", 250.5)], date(2025, 3, 1))
    assert p.status == GEEN_DOEL
    assert p.latest.waarde == 250.5
    assert p.target_value is None
    assert p.expected is None
    assert p.next_due == date(2026, 6, 30)  # 2025-01-01 + 18 months - 1 day


def test_bbv_without_value():
    p = assess(ind("BBV-BIJSTAND"), [], date(2025, 3, 1))
    assert p.status == GEEN_METING
    assert p.latest is None
    # overdue: plan start 2024-01-01 + 18 months - 1 day = 2025-06-30
    assert assess(ind("BBV-BIJSTAND"), [], date(2025, 7, 1)).status == METING_VERWACHT


# ------------------------------------------------------------------ add_months


@pytest.mark.parametrize("day, months, expected", [
    (date(2023, 1, 31), 1, date(2023, 2, 28)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),   # leap year
    (date(2024, 3, 31), 1, date(2024, 4, 30)),
    (date(2024, 11, 30), 3, date(2025, 2, 28)),
    (date(2024, 12, 31), 1, date(2025, 1, 31)),  # over the year end
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 7, 1), 9, date(2025, 4, 1)),
    (date(2025, 1, 1), 60, date(2030, 1, 1)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2024, 1, 15), -1, date(2023, 12, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_no_baseline_first_measurement_meeting_target_is_bereikt():
    # OZ-2: no nulmeting in the plan; a first measurement of 75% already meets "minimaal 70%".
    oz2 = ind("OZ-2")
    p = assess(oz2, [meting(oz2, "2024-H1", 75)], date(2024, 12, 31))
    assert p.status == BEREIKT
    assert p.baseline_value == 75


def test_half_year_inside_baseline_year_is_not_after_the_baseline():
    # FF-1: baseline "2023" ends 2023-12-31; 2023-H2 also ends then, so it is not a measurement after the baseline.
    ff1 = ind("FF-1")
    p = assess(ff1, [meting(ff1, "2023-H2", 5377)], date(2024, 1, 31))
    assert p.status == GEEN_METING
    assert p.reason == "Alleen de nulmeting; nog geen meting daarna."
    # 2024-H1 ends after the baseline: path 5377 + 537.7 * 182/1461 = 5443.98; 5450 is on course.
    p = assess(ff1, [meting(ff1, "2023-H2", 5377), meting(ff1, "2024-H1", 5450)], date(2024, 8, 31))
    assert p.expected == pytest.approx(5377 + 537.7 * 182 / 1461)
    assert p.status == OP_KOERS


def test_baseline_source_says_where_the_baseline_comes_from():
    assert assess(ind("FF-1"), [], date(2024, 2, 1)).baseline_source == "plan"
    oz2 = ind("OZ-2")
    assert assess(oz2, [meting(oz2, "2024-H1", 50)], date(2024, 12, 31)).baseline_source == "eerste meting"
    oz6 = ind("OZ-6")
    assert assess(oz6, [], date(2024, 9, 1)).baseline_source == "volgt"
    assert assess(oz6, [meting(oz6, "2023/2024", 50)], date(2024, 9, 1)).baseline_source == "gemeten"
    assert assess(ind("BBV-BANEN"), [], date(2024, 9, 1)).baseline_source == "geen"


def test_same_period_prefers_the_plans_meetinstrument():
    # FF-5 2024: Divosa (import, the plan's meetinstrument) 14% and the figure computed from Suite4SD 18%.
    ff5 = ind("FF-5")
    computed = Measurement(indicator_id="FF-5", gemeente_code="GM0396", periode="2024", waarde=18, eenheid="%",
                           bron="berekend uit Suite4SD", herkomst="berekend")
    divosa = Measurement(indicator_id="FF-5", gemeente_code="GM0396", periode="2024", waarde=14, eenheid="%",
                         bron="Divosa", herkomst="import")
    for order in ([computed, divosa], [divosa, computed]):
        assert assess(ff5, order, date(2025, 8, 1)).latest.waarde == 14


# ------------------------------------------------------------------ what the card shows


def test_expected_count_is_shown_in_whole_units_per_comparator():
    # VW-2 (minimaal, aantal kinderen): 108 + 142 × 731 / 1461 = 179,0486 → at least 180 kinderen on the path
    p = assess(ind("VW-2"), [meting(ind("VW-2"), "2025-H2", 170)], date(2026, 1, 15))
    assert p.expected == pytest.approx(179.0486, abs=1e-4)
    assert p.shown_expected == 180
    # FF-3 (maximaal, aantal huishoudens): 1240 − 140 × 731 / 1461 = 1169,9521 → at most 1169 huishoudens
    p = assess(ind("FF-3"), [meting(ind("FF-3"), "2025", 1150)], date(2026, 1, 15))
    assert p.shown_expected == 1169
    # A percentage keeps its decimals: OO-5 path 46,8590
    p = assess(ind("OO-5"), [meting(ind("OO-5"), "2024", 46)], date(2025, 6, 30))
    assert p.shown_expected == pytest.approx(46.8590, abs=1e-4)


def test_fixed_minimum_already_met_by_the_first_measurement_expects_the_target():
    # OO-2 "minimaal 1 in elke wijk", no nulmeting: a wijk's first measurement 2 (2024) already meets 1. The path
    # does not run down from 2 to 1 (which gave "verwacht 1,7, doel 1"): it lies on the target, 1.
    oo2 = ind("OO-2")
    ms = [meting(oo2, "2024", 2, WIJKEN[0]), meting(oo2, "2025", 1, WIJKEN[0]),   # 1 >= 1: on course, meets
          meting(oo2, "2024", 2, WIJKEN[1]), meting(oo2, "2025", 0, WIJKEN[1]),   # 0: shortfall 1 > 0.25 × 1
          meting(oo2, "2024", 1, WIJKEN[2]), meting(oo2, "2025", 3, WIJKEN[2])]
    p = assess(oo2, ms, date(2026, 3, 1), wijken=WIJKEN)
    assert [w.expected for w in p.wijken] == [1, 1, 1]
    assert [w.status for w in p.wijken] == [OP_KOERS, NIET_OP_KOERS, OP_KOERS]
    assert p.meeting_wijken == 2
    # The card: the lowest wijk (a minimum) with its own expected value, beside the target
    assert (p.extreme_wijk.wijk_code, p.latest.waarde, p.shown_expected, p.target_value) == (WIJKEN[1], 0, 1, 1)
    assert p.reason == "2 van 3 wijken halen het doel."


def test_per_wijk_maximum_shows_the_highest_wijk_and_the_gemeente_only_when_measured():
    oo5 = ind("OO-5")
    ms = [meting(oo5, "2024", 44, WIJKEN[0]), meting(oo5, "2024", 49.4, WIJKEN[1]),
          meting(oo5, "2024", 47.5, WIJKEN[2])]
    p = assess(oo5, ms, date(2025, 6, 30), wijken=WIJKEN)
    # at most 45%: the highest wijk, 49,4, is the headline; no gemeente figure was measured
    assert (p.extreme_wijk.wijk_code, p.latest.waarde) == (WIJKEN[1], 49.4)
    assert p.gemeente_latest is None
    p = assess(oo5, [*ms, meting(oo5, "2024", 46.2)], date(2025, 6, 30), wijken=WIJKEN)
    assert p.gemeente_latest.waarde == 46.2
    assert p.latest.waarde == 49.4
