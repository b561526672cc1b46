"""Computed indicators (`berekening` in the plan) on the demo database, against values worked out by hand from
the CBS extracts in data/cbs (the CSV lines are quoted in the comments). The indicators computed from Suite4SD
records are tested in tests/test_computed.py."""

from __future__ import annotations

import shutil

import pytest

from monitor import store
from monitor.cbs import Observation, store_observations
from monitor.compute import cbs_values, compute_function, refresh_computed

GM = "GM0396"

BEREKENINGEN = {
    "VW-1": "vitaal_en_weerbaar.beweegrichtlijn_volwassenen",
    "VW-4": "vitaal_en_weerbaar.overgewicht_volwassenen",
    "BBV-WMO-MAATWERK": "zorg_en_wonen.wmo_clienten_per_inwoners",
    "BBV-JEUGDHULP": "opgroeien_en_zelfontplooiing.jongeren_met_jeugdhulp",
    "BBV-JEUGDBESCHERMING": "opgroeien_en_zelfontplooiing.jongeren_met_jeugdbescherming",
    "BBV-JEUGDRECLASSERING": "opgroeien_en_zelfontplooiing.jongeren_met_jeugdreclassering",
    "BBV-BIJSTAND": "financieel_fit.bijstand_per_10000_inwoners",
    "BBV-REINTEGRATIE": "financieel_fit.reintegratie_per_10000_inwoners_15_64",
}
FROM_SUITE4SD = {
    "ZW-3": "zorg_en_wonen.dagbesteding_voorliggend",
    "ZW-4": "zorg_en_wonen.maatwerkkosten_per_gebruiker",
    "ZW-5": "zorg_en_wonen.maatwerkgebruikers_per_1000_inwoners",
    "OZ-3": "opgroeien_en_zelfontplooiing.specialistische_jeugdhulp_per_1000_jeugdigen",
    "OZ-4": "opgroeien_en_zelfontplooiing.kosten_per_jeugdige_specialistisch",
    "FF-1": "financieel_fit.toekenningen_minimaregelingen",
    "FF-2": "financieel_fit.toekenningen_kindpakket",
    "FF-4": "financieel_fit.werkenden_met_loonkostensubsidie",
    "FF-5": "financieel_fit.terugval_binnen_een_jaar",
    "FF-6": "financieel_fit.inburgeraars_uit_bijstand",
}
# Values the demo database computes from the example exports: yearly figures 2023-2025 and the 12 months up to
# 2026-H1; FF-4 on 11 half-year ends 2021-H1 t/m 2026-H1, FF-5 for 2022-2024, FF-6 on 7 half-year ends.
EXAMPLE_COUNTS = {"ZW-3": 4, "ZW-4": 4, "ZW-5": 4, "OZ-3": 4, "OZ-4": 4, "FF-1": 4, "FF-2": 4, "FF-4": 11, "FF-5": 3,
                  "FF-6": 7}


def compute(con, indicator_id):
    # A compute function takes (connection, gemeente code, the plan's indicator id).
    return compute_function(BEREKENINGEN[indicator_id])(con, GM, indicator_id)


def by_period(rows):
    periods = [m.periode for m in rows]
    assert len(periods) == len(set(periods)), periods
    return {m.periode: m for m in rows}


def test_the_plan_names_exactly_these_berekeningen(plan):
    assert {i.id: i.berekening for i in plan.indicators if i.berekening} == BEREKENINGEN | FROM_SUITE4SD


def test_every_berekening_resolves(plan):
    for indicator in plan.indicators:
        if indicator.berekening:
            function = compute_function(indicator.berekening)
            assert callable(function), indicator.berekening


def test_unknown_berekening_raises():
    with pytest.raises(AttributeError):
        compute_function("vitaal_en_weerbaar.bestaat_niet")
    with pytest.raises(ModuleNotFoundError):
        compute_function("bestaat_niet.functie")


def test_every_function_returns_its_own_indicator(demo_con):
    for indicator_id in BEREKENINGEN:
        rows = compute(demo_con, indicator_id)
        assert rows, indicator_id
        assert {m.indicator_id for m in rows} == {indicator_id}
        assert {m.gemeente_code for m in rows} == {GM}
        assert {m.herkomst for m in rows} == {"berekend"}
        assert all("CBS" in m.bron for m in rows)
        assert {m.wijk_code for m in rows} == {""}


def test_a_function_can_serve_another_plans_id(demo_con):
    # Another gemeente's plan may use the same berekening under its own id.
    rows = compute_function(BEREKENINGEN["BBV-BIJSTAND"])(demo_con, GM, "BIJSTAND-ANDERS")
    assert [(m.indicator_id, m.periode, m.teller, m.noemer) for m in rows] == [("BIJSTAND-ANDERS", "2024", 730, 39452)]


# ------------------------------------------------------------------ VW-1 and VW-4 (GGD via CBS)


def test_vw1_beweegrichtlijn(demo_con):
    # 85012NED (2020): 138;Totaal;Waarde;Heemskerk;...;VoldoetAanBeweegrichtlijn_12 = 56.4
    # 85563NED (2022): 133;Totaal;Waarde;Heemskerk;...;VoldoetAanBeweegrichtlijn_10 = 47.9
    rows = by_period(compute(demo_con, "VW-1"))
    assert {p: m.waarde for p, m in rows.items()} == {"2020": 56.4, "2022": 47.9}
    assert rows["2020"].bron == "CBS StatLine 85012NED"
    assert rows["2022"].bron == "CBS StatLine 85563NED"
    assert {m.eenheid for m in rows.values()} == {"%"}


def test_vw4_overgewicht_18_tot_65(demo_con):
    # 85012NED: 1332;18 tot 65 jaar;Waarde;Heemskerk;...;Overgewicht_9 = 50.9  (not Totaal 53.3, not the 95% bounds)
    # 85563NED: 1297;18 tot 65 jaar;Waarde;Heemskerk;...;Overgewicht_7 = 51.0
    rows = by_period(compute(demo_con, "VW-4"))
    assert {p: m.waarde for p, m in rows.items()} == {"2020": 50.9, "2022": 51.0}


# ------------------------------------------------------------------ jeugd (85098NED), half years only

# From 85098NED, Heemskerk rows 1370..1379 (columns: jeugdhulp _1, jeugdbescherming _3, jeugdreclassering _5).
JEUGD = {
    "BBV-JEUGDHULP": {"2021-H1": 11.4, "2021-H2": 11.6, "2022-H1": 11.8, "2022-H2": 12.0, "2023-H1": 11.7,
                      "2023-H2": 10.9, "2024-H1": 9.5},
    "BBV-JEUGDBESCHERMING": {"2021-H1": 1.3, "2021-H2": 1.2, "2022-H1": 1.1, "2022-H2": 1.0, "2023-H1": 1.0,
                             "2023-H2": 0.8, "2024-H1": 0.9},
    # 1377;Heemskerk;2e halfjaar 2023;...;  jeugdreclassering blank: no value for 2023-H2.
    "BBV-JEUGDRECLASSERING": {"2021-H1": 0.2, "2021-H2": 0.2, "2022-H1": 0.2, "2022-H2": 0.2, "2023-H1": 0.2,
                              "2024-H1": 0.2},
}


@pytest.mark.parametrize("indicator_id", list(JEUGD))
def test_jeugd_half_years(demo_con, indicator_id):
    rows = by_period(compute(demo_con, indicator_id))
    # The whole years (2021: 13.5 jeugdhulp, 2022: 14.2, 2023: 13.2) are left out.
    assert {p: m.waarde for p, m in rows.items()} == JEUGD[indicator_id]
    assert {m.eenheid for m in rows.values()} == {"% jongeren tot 18 jaar"}
    assert {m.bron for m in rows.values()} == {"CBS StatLine 85098NED"}


# ------------------------------------------------------------------ Wmo (86050NED), per 1.000 → per 10.000


def test_wmo_maatwerk_per_10000(demo_con):
    rows = by_period(compute(demo_con, "BBV-WMO-MAATWERK"))
    # 3099;Totaal;Heemskerk;2e halfjaar 2023;2570.0;65.0  → 65 per 1.000 × 10 = 650 per 10.000
    assert rows["2023-H2"].waarde == 650
    # 3101;Totaal;Heemskerk;1e halfjaar 2024;2535.0;64.0  → 640
    assert rows["2024-H1"].waarde == 640
    # 3080;Totaal;Heemskerk;1e halfjaar 2017;2705.0;69.0  → 690
    assert rows["2017-H1"].waarde == 690
    # half years 2017-H1 .. 2024-H1 = 7 × 2 + 1 = 15; the whole years (2023: 72) are left out
    assert len(rows) == 15
    assert all(p.endswith(("-H1", "-H2")) for p in rows)
    assert {m.eenheid for m in rows.values()} == {"per 10.000 inwoners"}
    assert "maal 10" in rows["2023-H2"].toelichting


# ------------------------------------------------------------------ bijstand and re-integratie (85383NED, 85588NED)


def test_bijstand_per_10000(demo_con):
    rows = by_period(compute(demo_con, "BBV-BIJSTAND"))
    # 85383NED 1714;Definitief;Heemskerk;2024: TotaalBijstandsuitkeringen_22 = 730, InwonersTotaal_1 = 39452
    # 730 / 39452 × 10000 = 185.0350...; 2023 and 2025 have no bijstand figure.
    assert list(rows) == ["2024"]
    m = rows["2024"]
    assert (m.teller, m.noemer) == (730, 39452)
    assert m.waarde == pytest.approx(185.03, abs=0.005)
    assert m.waarde == pytest.approx(730 / 39452 * 10000, abs=1e-6)
    assert m.status == "definitief"
    assert m.eenheid == "per 10.000 inwoners"


def test_reintegratie_per_10000_15_64(demo_con):
    rows = by_period(compute(demo_con, "BBV-REINTEGRATIE"))
    # 85588NED 3623;...;Heemskerk;2023 december;340  and  85383NED 1713 (2023) Inwoners15TotEnMet64Jaar_5 = 24429
    # 340 / 24429 × 10000 = 139.1788...; 2024 stops at september: no december, so no 2024 value.
    assert list(rows) == ["2023"]
    m = rows["2023"]
    assert (m.teller, m.noemer) == (340, 24429)
    assert m.waarde == pytest.approx(139.18, abs=0.005)
    assert m.eenheid == "per 10.000 inwoners 15-64 jaar"


# ------------------------------------------------------------------ stored in the demo database


def test_demo_database_holds_the_computed_values(demo_con):
    rows = demo_con.execute(
        "SELECT indicator_id, count(*) FROM measurement WHERE herkomst = 'berekend' GROUP BY 1").fetchall()
    # 2 + 2 + 15 + 7 + 7 + 6 + 1 + 1 = 41
    assert dict(rows) == {"VW-1": 2, "VW-4": 2, "BBV-WMO-MAATWERK": 15, "BBV-JEUGDHULP": 7,
                          "BBV-JEUGDBESCHERMING": 7, "BBV-JEUGDRECLASSERING": 6, "BBV-BIJSTAND": 1,
                          "BBV-REINTEGRATIE": 1}
    assert demo_con.execute(
        "SELECT waarde FROM measurement WHERE indicator_id = 'BBV-WMO-MAATWERK' AND periode = '2023-H2'"
    ).fetchall() == [(650.0,)]


# ------------------------------------------------------------------ the rules on small hand-made tables


def observation(tabel, periode, maat, waarde, status=None, dimensies="", regio="GM0396"):
    return Observation(tabel, regio, "Heemskerk", periode, periode, dimensies, maat, waarde, status)


@pytest.fixture
def small(tmp_path):
    con = store.open_store(tmp_path / "klein.duckdb")
    yield con
    con.close()


def test_definitief_wins_over_voorlopig(small):
    store_observations(small, [
        observation("85383NED", "2024", "TotaalBijstandsuitkeringen_22", 700, "voorlopig"),
        observation("85383NED", "2024", "TotaalBijstandsuitkeringen_22", 730, "definitief"),
        observation("85383NED", "2025", "TotaalBijstandsuitkeringen_22", 750, "voorlopig"),
        observation("85383NED", "2024", "InwonersTotaal_1", 40000, "definitief"),
        observation("85383NED", "2025", "InwonersTotaal_1", 50000, "voorlopig"),
    ], import_id=1)
    rows = by_period(compute(small, "BBV-BIJSTAND"))
    # 2024: 730 / 40000 × 10000 = 182.5 (definitief); 2025: 750 / 50000 × 10000 = 150 (only voorlopig)
    assert (rows["2024"].waarde, rows["2024"].status) == (182.5, "definitief")
    assert (rows["2025"].waarde, rows["2025"].status) == (150.0, "voorlopig")


def test_measure_suffix_is_ignored_and_other_regions_left_out(small):
    store_observations(small, [
        observation("85383NED", "2024", "TotaalBijstandsuitkeringen_99", 100, "definitief"),
        observation("85383NED", "2024", "InwonersTotaal_7", 20000, "definitief"),
        observation("85383NED", "2024", "TotaalBijstandsuitkeringen_22", 5, "definitief", regio="GM0375"),
    ], import_id=1)
    assert cbs_values(small, GM, ["85383NED"], "TotaalBijstandsuitkeringen") == [("2024", "85383NED", 100.0,
                                                                                  "definitief")]
    # 100 / 20000 × 10000 = 50
    assert [m.waarde for m in compute(small, "BBV-BIJSTAND")] == [50.0]


def test_bijstand_skipped_without_inwoners(small):
    store_observations(small, [observation("85383NED", "2024", "TotaalBijstandsuitkeringen_22", 730, "definitief")],
                       import_id=1)
    assert compute(small, "BBV-BIJSTAND") == []


def test_reintegratie_only_december(small):
    lopend = ("TypeReIntegratieParticipatievoorz=Totaal re-integratie-/participatievoorz."
              "|StatusVoorziening=Lopend eind verslagperiode")
    store_observations(small, [
        observation("85588NED", "2023-11", "ReIntegratieParticipatievoorzieningen_1", 999, dimensies=lopend),
        observation("85588NED", "2023-12", "ReIntegratieParticipatievoorzieningen_1", 200, dimensies=lopend),
        observation("85588NED", "2023-12", "ReIntegratieParticipatievoorzieningen_1", 777, dimensies="Andere=x"),
        observation("85383NED", "2023", "Inwoners15TotEnMet64Jaar_5", 25000, "definitief"),
    ], import_id=1)
    rows = compute(small, "BBV-REINTEGRATIE")
    # 200 / 25000 × 10000 = 80
    assert [(m.periode, m.waarde) for m in rows] == [("2023", 80.0)]


def test_refresh_computed_replaces_earlier_values(demo_database, plan, tmp_path):
    copy = tmp_path / "kopie.duckdb"
    shutil.copy(demo_database.path, copy)
    con = store.connect(copy)
    try:
        counts = refresh_computed(con, plan)
        # same numbers as in test_demo_database_holds_the_computed_values: 41 in all, and 49 from the example exports
        assert counts == {"VW-1": 2, "VW-4": 2, "BBV-WMO-MAATWERK": 15, "BBV-JEUGDHULP": 7,
                          "BBV-JEUGDBESCHERMING": 7, "BBV-JEUGDRECLASSERING": 6, "BBV-BIJSTAND": 1,
                          "BBV-REINTEGRATIE": 1} | EXAMPLE_COUNTS
        refresh_computed(con, plan)
        assert con.execute("SELECT count(*) FROM measurement WHERE herkomst = 'berekend'").fetchone()[0] == 41
        # recomputed from the example exports, not added a second time
        computed_examples = con.execute(
            "SELECT count(*) FROM measurement WHERE herkomst = 'voorbeelddata' AND list_contains(?, indicator_id)",
            [list(EXAMPLE_COUNTS)]).fetchone()[0]
        assert computed_examples == sum(EXAMPLE_COUNTS.values()) == 49
        # other origins are left alone: 21 nulmetingen
        assert con.execute("SELECT count(*) FROM measurement WHERE herkomst = 'nulmeting'").fetchone()[0] == 21
    finally:
        con.close()


def test_refresh_computed_with_missing_source_data(small, plan):
    # Only bijstand figures are there; the other seven berekeningen find nothing and should count 0.
    store.save_plan(small, plan)
    store_observations(small, [
        observation("85383NED", "2024", "TotaalBijstandsuitkeringen_22", 730, "definitief"),
        observation("85383NED", "2024", "InwonersTotaal_1", 39452, "definitief"),
    ], import_id=1)
    counts = refresh_computed(small, plan)
    assert counts["BBV-BIJSTAND"] == 1
    assert counts["BBV-JEUGDHULP"] == 0
