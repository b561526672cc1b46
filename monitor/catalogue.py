"""The plan's catalogue: opgaven and indicators, read from a TOML plan file (data/plans/*.toml).

A plan file is data only; everything a second gemeente needs is a new file. Field meanings: docs/catalogus.md.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from monitor.periods import Period, PeriodError, parse_period

COMPARATORS = ("at_least", "at_most", "keep_level", "growth_per_year")
COMPARATOR_LABELS = {
    "at_least": "minimaal",
    "at_most": "maximaal",
    "keep_level": "gelijk houden",
    "growth_per_year": "groei per jaar",
}
# Months between two measurements, per meetfrequentie as the plan writes it.
FREQUENCIES = {"2/j": 6, "1/j": 12, "1/sj": 12, "1/4j": 48}
FREQUENCY_LABELS = {"2/j": "2x per jaar", "1/j": "1x per jaar", "1/sj": "1x per schooljaar", "1/4j": "1x per 4 jaar"}
KINDS = ("doelstelling", "bbv")
DELIVERY = ("import", "meting")
BASELINE_STATES = ("bekend", "geen", "volgt")


class CatalogueError(ValueError):
    """A plan file that cannot be used; the message is Dutch and names the file and the indicator."""


@dataclass(frozen=True)
class Opgave:
    id: str
    naam: str
    budget: float | None
    beleidsterreinen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    id: str
    opgave: str
    soort: str
    titel: str
    eenheid: str
    meetfrequentie: str
    aanlevering: str
    bron: str
    meetinstrument: str
    beleidsterrein: str = ""
    doelstelling: str = ""
    resultaatgebied: str = ""
    vergelijking: str | None = None
    elke_wijk: bool = False
    nulmeting_status: str = "geen"
    nulmeting_waarde: float | None = None
    nulmeting_periode: str | None = None
    doel_tekst: str = ""
    doel_waarde: float | None = None
    doel_procent: float | None = None
    groei_procent_per_jaar: float | None = None
    doel_periode: str | None = None
    berekening: str | None = None
    focus: str | None = None
    toelichting: str = ""
    definitie: str = ""

    @property
    def has_target(self) -> bool:
        return self.soort == "doelstelling"

    @property
    def frequency_months(self) -> int:
        return FREQUENCIES[self.meetfrequentie]

    @property
    def baseline_period(self) -> Period | None:
        return parse_period(self.nulmeting_periode) if self.nulmeting_periode else None

    @property
    def target_period(self) -> Period | None:
        return parse_period(self.doel_periode) if self.doel_periode else None

    @property
    def target_kind(self) -> str:
        if self.groei_procent_per_jaar is not None:
            return "groei_per_jaar"
        if self.doel_procent is not None:
            return "relatief"
        if self.doel_waarde is not None:
            return "absoluut"
        return "geen"

    def resolved_target(self, baseline: float | None = None) -> float | None:
        """The target as a number: absolute as written, or relative to the baseline (given, or the plan's own)."""
        if self.doel_waarde is not None:
            return self.doel_waarde
        if self.doel_procent is None:
            return None
        base = self.nulmeting_waarde if baseline is None else baseline
        if base is None:
            return None
        # Rounded to hide float noise (5377 * 1.1 = 5914.700000000001); the plan's figures have at most 2 decimals.
        return round(base * (1 + self.doel_procent / 100), 6)


@dataclass(frozen=True)
class Plan:
    id: str
    gemeente_code: str
    gemeente_naam: str
    titel: str
    ondertitel: str
    start: date
    evaluatiejaar: int
    budget_jaar: int | None
    bron: str
    opgaven: tuple[Opgave, ...]
    indicators: tuple[Indicator, ...] = field(repr=False)

    def opgave(self, opgave_id: str) -> Opgave:
        return next(o for o in self.opgaven if o.id == opgave_id)

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def indicators_of(self, opgave_id: str, soort: str | None = None) -> list[Indicator]:
        return [i for i in self.indicators if i.opgave == opgave_id and (soort is None or i.soort == soort)]


def load_plan(path: Path) -> Plan:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"Planbestand {path} kan niet gelezen worden: {exc}") from exc
    return plan_from_dict(raw, source=str(path))


def plan_from_dict(raw: dict, source: str = "plan") -> Plan:
    head = raw.get("plan") or {}
    missing = [k for k in ("id", "gemeente_code", "gemeente_naam", "titel", "start", "evaluatiejaar") if k not in head]
    if missing:
        raise CatalogueError(f"{source}: in [plan] ontbreekt {', '.join(missing)}.")
    opgaven = tuple(_opgave(o, source) for o in raw.get("opgave", []))
    opgave_ids = [o.id for o in opgaven]
    if len(set(opgave_ids)) != len(opgave_ids):
        raise CatalogueError(f"{source}: opgave-id komt dubbel voor: "
                             f"{', '.join(sorted({i for i in opgave_ids if opgave_ids.count(i) > 1}))}.")
    indicators = tuple(_indicator(entry, source, {o.id for o in opgaven}) for entry in raw.get("indicator", []))
    ids = [i.id for i in indicators]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogueError(f"{source}: indicator-id komt dubbel voor: {', '.join(duplicates)}.")
    return Plan(
        id=head["id"],
        gemeente_code=head["gemeente_code"],
        gemeente_naam=head["gemeente_naam"],
        titel=head["titel"],
        ondertitel=head.get("ondertitel", ""),
        start=head["start"],
        evaluatiejaar=int(head["evaluatiejaar"]),
        budget_jaar=head.get("budget_jaar"),
        bron=head.get("bron", ""),
        opgaven=opgaven,
        indicators=indicators,
    )


def _opgave(entry: dict, source: str) -> Opgave:
    ident = entry.get("id", "?")
    for key in ("id", "naam"):
        if not entry.get(key):
            raise CatalogueError(f"{source}, opgave {ident}: veld '{key}' ontbreekt.")
    budget = entry.get("budget")
    if budget is not None and not _is_number(budget):
        raise CatalogueError(f"{source}, opgave {ident}: budget moet een getal zijn (zonder aanhalingstekens).")
    return Opgave(entry["id"], entry["naam"], budget, tuple(entry.get("beleidsterreinen", [])))


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _indicator(entry: dict, source: str, opgave_ids: set[str]) -> Indicator:
    ident = entry.get("id", "?")

    def fail(message: str) -> CatalogueError:
        return CatalogueError(f"{source}, indicator {ident}: {message}")

    for key in ("id", "opgave", "titel", "eenheid", "meetfrequentie", "aanlevering", "bron", "meetinstrument"):
        if not entry.get(key):
            raise fail(f"veld '{key}' ontbreekt.")
    if entry["opgave"] not in opgave_ids:
        raise fail(f"onbekende opgave '{entry['opgave']}'.")
    soort = entry.get("soort", "doelstelling")
    checks = [
        (soort in KINDS, f"soort moet een van {', '.join(KINDS)} zijn."),
        (entry["meetfrequentie"] in FREQUENCIES, f"meetfrequentie moet een van {', '.join(FREQUENCIES)} zijn."),
        (entry["aanlevering"] in DELIVERY, f"aanlevering moet een van {', '.join(DELIVERY)} zijn."),
    ]
    for ok, message in checks:
        if not ok:
            raise fail(message)
    baseline = entry.get("nulmeting", {"status": "geen"})
    target = entry.get("doel", {})
    if "vergelijking" in entry and entry["vergelijking"] not in COMPARATORS:
        raise fail(f"vergelijking moet een van {', '.join(COMPARATORS)} zijn.")
    numbers = [("nulmeting.waarde", baseline.get("waarde"))] + [
        (f"doel.{k}", target.get(k)) for k in ("waarde", "relatief_procent", "groei_procent_per_jaar")]
    for name, value in numbers:
        if value is not None and not _is_number(value):
            raise fail(f"{name} moet een getal zijn met een punt als decimaalteken, zonder aanhalingstekens "
                       f"(bijv. 79.91), niet {value!r}.")
    if soort == "doelstelling":
        if entry.get("vergelijking") not in COMPARATORS:
            raise fail(f"vergelijking moet een van {', '.join(COMPARATORS)} zijn.")
        if not target.get("periode"):
            raise fail("doel.periode ontbreekt.")
        if not any(k in target for k in ("waarde", "relatief_procent", "groei_procent_per_jaar")):
            raise fail("doel heeft geen waarde, relatief_procent of groei_procent_per_jaar.")
    baseline_state = "bekend" if "waarde" in baseline else baseline.get("status", "geen")
    if baseline_state == "bekend" and "waarde" not in baseline:
        raise fail("nulmeting met status 'bekend' heeft een waarde nodig.")
    if baseline_state not in BASELINE_STATES:
        raise fail(f"nulmeting.status moet een van {', '.join(BASELINE_STATES)} zijn.")
    if baseline_state in ("bekend", "volgt") and not baseline.get("periode"):
        raise fail("nulmeting.periode ontbreekt; een nulmeting met een waarde of met status 'volgt' heeft een periode.")
    for key in (baseline.get("periode"), target.get("periode")):
        if key:
            try:
                parse_period(key)
            except PeriodError as exc:
                raise fail(str(exc)) from exc
    return Indicator(
        id=ident,
        opgave=entry["opgave"],
        soort=soort,
        titel=entry["titel"],
        eenheid=entry["eenheid"],
        meetfrequentie=entry["meetfrequentie"],
        aanlevering=entry["aanlevering"],
        bron=entry["bron"],
        meetinstrument=entry["meetinstrument"],
        beleidsterrein=entry.get("beleidsterrein", ""),
        doelstelling=entry.get("doelstelling", ""),
        resultaatgebied=entry.get("resultaatgebied", ""),
        vergelijking=entry.get("vergelijking"),
        elke_wijk=bool(entry.get("elke_wijk", False)),
        nulmeting_status=baseline_state,
        nulmeting_waarde=baseline.get("waarde"),
        nulmeting_periode=_canonical(baseline.get("periode")),
        doel_tekst=target.get("tekst", ""),
        doel_waarde=target.get("waarde"),
        doel_procent=target.get("relatief_procent"),
        groei_procent_per_jaar=target.get("groei_procent_per_jaar"),
        doel_periode=_canonical(target.get("periode")),
        berekening=entry.get("berekening"),
        focus=entry.get("focus"),
        toelichting=entry.get("toelichting", ""),
        definitie=entry.get("definitie", ""),
    )


def _canonical(period_text: str | None) -> str | None:
    return parse_period(period_text).code if period_text else None
