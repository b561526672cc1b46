"""Progress of each indicator at a peildatum: latest value, expected value on the path to the target, status.

The rules and thresholds are explained for users in docs/voortgang.md; keep the two in step.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from monitor.catalogue import Indicator
from monitor.formatting import fmt_date, fmt_number, fmt_value, is_count
from monitor.periods import Period, parse_period, years_between
from monitor.store import Measurement

BEREIKT = "bereikt"
OP_KOERS = "op koers"
AANDACHT = "aandacht"
NIET_OP_KOERS = "niet op koers"
GEEN_METING = "geen meting"
METING_VERWACHT = "meting verwacht"
GEEN_DOEL = "geen doel"
STATUSES = (BEREIKT, OP_KOERS, AANDACHT, NIET_OP_KOERS, GEEN_METING, METING_VERWACHT, GEEN_DOEL)
# Worst first: the status of a per-wijk target is that of its worst wijk.
SEVERITY = (NIET_OP_KOERS, AANDACHT, OP_KOERS, BEREIKT)

# "aandacht" while behind the path by at most this share of the planned change; further behind is "niet op koers".
ATTENTION_MARGIN = 0.25
# A target equal to its baseline has no planned change: up to 5% past the level needs attention, as for keep_level.
FLAT_SCALE = 0.05
# keep_level: within 2% of the level is on course, within 5% (FLAT_SCALE) needs attention.
KEEP_LEVEL_BAND = 0.02
# Float noise (148.05 - 141 = 7.050000000000011) must not decide a boundary case.
TOLERANCE = 1e-9
# Two values for the same period and wijk: the one from the plan's own meetinstrument (an import, e.g. Divosa for
# FF-5) counts as the latest, then an entered meting, then a computed value; example data and the nulmeting last.
ORIGIN_RANK = {"nulmeting": 0, "voorbeelddata": 1, "berekend": 2, "meting": 3, "import": 4}
# Months after the end of a period before its figure can be expected to be known.
PUBLICATION_LAG_MONTHS = {"2/j": 3, "1/j": 6, "1/sj": 6, "1/4j": 12}
# A figure computed over part of a year (indicators/records.py) starts its toelichting with this word.
PART_YEAR_MARK = "Deeljaarcijfer"
# Counts of what happens during a period (eenheid "aantal …", e.g. toekenningen) add up over the year.
SUMMED_UNIT_PREFIX = "aantal"


@dataclass(frozen=True)
class WijkProgress:
    wijk_code: str
    latest: Measurement | None
    expected: float | None
    status: str
    meets_target: bool


@dataclass(frozen=True)
class Progress:
    indicator: Indicator
    status: str
    reason: str
    baseline_value: float | None
    baseline_period: str | None
    target_value: float | None
    target_period: str | None
    latest: Measurement | None
    expected: float | None
    next_due: date | None
    assessment: str | None = None
    wijken: tuple[WijkProgress, ...] = field(default=())
    # Where the baseline comes from: plan, gemeten (pending baseline measured), eerste meting, volgt or geen.
    baseline_source: str = "plan"
    # Per-wijk targets: the latest figure for the whole gemeente, only when one was measured.
    gemeente_latest: Measurement | None = None

    @property
    def shown_expected(self) -> float | None:
        """The expected value as the card shows it: a count in whole units (see whole_expected). For whole-number
        measurements this judges alike: 197 >= 196,6 exactly when 197 >= 197."""
        if self.expected is None or not is_count(self.indicator.eenheid):
            return self.expected
        comparator = "at_least" if self.indicator.target_kind == "groei_per_jaar" else self.indicator.vergelijking
        return whole_expected(comparator, self.expected)

    @property
    def meeting_wijken(self) -> int:
        """How many wijken meet the target with their latest value."""
        return sum(w.meets_target for w in self.wijken)

    @property
    def extreme_wijk(self) -> WijkProgress | None:
        """The measured wijk furthest on the wrong side: the highest value for a maximum, the lowest for a minimum
        (or growth), the furthest from the level for keep_level. Its latest and expected value are the card's."""
        return _extreme([w for w in self.wijken if w.latest], self.indicator.vergelijking, self.target_value)

    @property
    def failing_wijken(self) -> list[str]:
        """Wijken that do not meet the target (yet), including wijken without a measurement."""
        return [w.wijk_code for w in self.wijken if not w.meets_target]


def _extreme(wijken: list[WijkProgress], comparator: str, target: float | None) -> WijkProgress | None:
    if not wijken:
        return None
    if comparator == "at_most":
        return max(wijken, key=lambda w: w.latest.waarde)
    if comparator == "keep_level" and target is not None:
        return max(wijken, key=lambda w: abs(w.latest.waarde - target))
    return min(wijken, key=lambda w: w.latest.waarde)


def whole_expected(comparator: str, value: float) -> int:
    """The expected value of a count in whole units: a minimum (or growth) asks for the next whole one (196,6 → 197),
    a maximum allows the whole one below (196,6 → 196), keep_level rounds half up."""
    if comparator == "at_most":
        return math.floor(value + TOLERANCE)
    if comparator == "keep_level":
        return math.floor(value + 0.5 + TOLERANCE)
    return math.ceil(value - TOLERANCE)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(indicator: Indicator, last_period_end: date) -> date:
    """The day by which the next figure should be in: one meetfrequentie after the last period, plus publication lag."""
    return add_months(last_period_end + timedelta(days=1), indicator.frequency_months + PUBLICATION_LAG_MONTHS[
        indicator.meetfrequentie]) - timedelta(days=1)


def path_value(baseline: float, baseline_end: date, target: float, target_end: date, when: date) -> float:
    """The straight line from the baseline to the target, flat before the baseline and after the target period."""
    if when <= baseline_end:
        return baseline
    if when >= target_end:
        return target
    share = (when - baseline_end).days / (target_end - baseline_end).days
    return baseline + (target - baseline) * share


def judge(comparator: str, baseline: float, target: float, expected: float, latest: float, final: bool) -> str:
    """Status of one value against its path. `final`: the value is for the target period itself."""
    if comparator == "keep_level":
        deviation = abs(latest - target) / abs(target) if target else abs(latest)
        if deviation <= KEEP_LEVEL_BAND + TOLERANCE:
            return BEREIKT if final else OP_KOERS
        return AANDACHT if deviation <= FLAT_SCALE + TOLERANCE else NIET_OP_KOERS
    direction = -1 if comparator == "at_most" else 1
    meets_target = direction * (latest - target) >= -TOLERANCE
    improving = direction * (target - baseline) > 0
    if meets_target and (improving or final):
        return BEREIKT
    shortfall = direction * (expected - latest)
    if shortfall <= TOLERANCE:
        return OP_KOERS
    # A cap ("maximaal", target at or above the baseline) is only missed once the value passes the cap itself.
    if meets_target:
        return AANDACHT
    margin = ATTENTION_MARGIN * abs(target - baseline) if target != baseline else FLAT_SCALE * abs(baseline)
    return AANDACHT if shortfall <= margin + TOLERANCE else NIET_OP_KOERS


def meets(comparator: str, value: float, target: float) -> bool:
    if comparator == "at_most":
        return value <= target
    if comparator == "keep_level":
        return abs(value - target) <= KEEP_LEVEL_BAND * abs(target)
    return value >= target


def assess(indicator: Indicator, measurements: list[Measurement], peildatum: date, wijken: list[str] | None = None,
           plan_start: date = date(2024, 1, 1)) -> Progress:
    """Progress of one indicator from its current measurements (any order, any wijk) as known on the peildatum."""
    known = sorted((m for m in measurements if m.period.end <= peildatum),
                   key=lambda m: (m.period, m.wijk_code, ORIGIN_RANK.get(m.herkomst, 0)))
    gemeente = [m for m in known if not m.wijk_code]
    last_end = known[-1].period.end if known else plan_start - timedelta(days=1)
    due = next_due(indicator, last_end)
    overdue = peildatum > due
    common = {"indicator": indicator, "next_due": due, "target_period": indicator.doel_periode}

    if not indicator.has_target:
        latest = gemeente[-1] if gemeente else None
        status, reason = _no_target_status(latest, overdue)
        return Progress(status=status, reason=reason, baseline_value=None, baseline_period=None, target_value=None,
                        latest=latest, expected=None, baseline_source="geen", **common)
    if indicator.elke_wijk and any(m.wijk_code for m in known):
        return _assess_per_wijk(indicator, known, wijken or [], overdue, common)
    return _assess_series(indicator, gemeente, overdue, common)


def _no_target_status(latest: Measurement | None, overdue: bool) -> tuple[str, str]:
    if overdue:
        return METING_VERWACHT, "Een nieuwe meting had binnen moeten zijn volgens de meetfrequentie."
    if latest is None:
        return GEEN_METING, "Nog geen meting."
    return GEEN_DOEL, "Verplichte BBV-indicator zonder streefwaarde in het plan."


def _baseline(indicator: Indicator, series: list[Measurement]) -> tuple[float | None, Period | None, str]:
    """The baseline value and period, and how it was found (plan, measured later, first measurement, or missing)."""
    if indicator.nulmeting_status == "bekend":
        return indicator.nulmeting_waarde, indicator.baseline_period, "plan"
    if indicator.nulmeting_status == "volgt":
        wanted = indicator.baseline_period
        found = [m for m in series if m.period == wanted]
        if found:
            return found[-1].waarde, wanted, "gemeten"
        return None, wanted, "volgt"
    if series:
        return series[0].waarde, series[0].period, "eerste meting"
    return None, None, "geen"


def _judge_series(indicator: Indicator, series: list[Measurement]) -> tuple[str, str, float | None, float | None,
                                                                            float | None, Period | None]:
    """(status, reason, expected, baseline, target, baseline period) for one series: the gemeente or one wijk."""
    baseline, baseline_period, found = _baseline(indicator, series)
    target_period = indicator.target_period
    if baseline is None and indicator.target_kind != "absoluut":
        when = f" ({baseline_period.label})" if baseline_period else ""
        return GEEN_METING, f"Nulmeting{when} nog niet bekend; het doel volgt uit de nulmeting.", None, None, None, baseline_period
    latest = series[-1] if series else None
    # A half year inside the baseline year is not "after" the baseline: the period must end after it.
    after = [m for m in series if baseline_period is None or m.period.end > baseline_period.end]
    if indicator.target_kind == "groei_per_jaar":
        target = _growth_target(indicator, baseline, baseline_period, target_period.end) if baseline is not None else None
    else:
        target = indicator.resolved_target(baseline)
    only_first = found == "eerste meting" and not after and indicator.target_kind == "absoluut"
    if only_first and meets(indicator.vergelijking, latest.waarde, target):
        return BEREIKT, _reason(indicator, found, baseline_period), target, baseline, target, baseline_period
    if latest is None or not after:
        reason = "Alleen de nulmeting; nog geen meting daarna." if latest else "Nog geen meting."
        return GEEN_METING, reason, None, baseline, target, baseline_period
    final = latest.period.end >= target_period.end
    if indicator.target_kind == "groei_per_jaar":
        expected = _growth_target(indicator, baseline, baseline_period, latest.period.end)
        status = judge("at_least", baseline, target, expected, latest.waarde, final)
        if status == BEREIKT and not final:
            # Growth is asked for every year until the target year, so reaching the end level early is not the end.
            status = OP_KOERS
    else:
        expected = path_value(baseline, baseline_period.end, target, target_period.end, latest.period.end)
        if indicator.target_kind == "absoluut" and indicator.vergelijking != "keep_level" and meets(
                indicator.vergelijking, baseline, target):
            # A fixed minimum or maximum that the baseline already meets asks only to stay on its right side: the
            # path lies on the target itself, never between the baseline and it ("verwacht 1,7" for "minimaal 1").
            expected = target
        if part_year_share(indicator, latest) is not None:
            status, part_reason, expected = _judge_part_year(indicator, latest, baseline, target, expected)
            return status, " ".join(filter(None, [part_reason, _reason(indicator, found, baseline_period)])), \
                expected, baseline, target, baseline_period
        status = judge(indicator.vergelijking, baseline, target, expected, latest.waarde, final)
    reason = _reason(indicator, found, baseline_period)
    return status, reason, expected, baseline, target, baseline_period


def part_year_share(indicator: Indicator, m: Measurement) -> float | None:
    """The share of the year a part-year figure is judged by: months / 12 for a count that adds up over the year
    (eenheid "aantal …"), 1 for a percentage or average; None when `m` is no part-year figure."""
    if not (m.toelichting or "").startswith(PART_YEAR_MARK):
        return None
    return m.period.duration_months / 12 if indicator.eenheid.startswith(SUMMED_UNIT_PREFIX) else 1.0


def _judge_part_year(indicator: Indicator, latest: Measurement, baseline: float, target: float,
                     expected: float) -> tuple[str, str, float]:
    """(status, reason, expected) of a part-year figure against the same part of the path; never final, because
    the target is a whole year."""
    share = part_year_share(indicator, latest)
    scaled = expected * share
    status = judge(indicator.vergelijking, baseline * share, target * share, scaled, latest.waarde, final=False)
    value = fmt_value(latest.waarde, indicator.eenheid)
    if indicator.eenheid.startswith(f"{SUMMED_UNIT_PREFIX} "):
        value += " " + indicator.eenheid.removeprefix(f"{SUMMED_UNIT_PREFIX} ")  # "40 toekenningen"
    if share == 1:
        compared = f"vergeleken met het pad op {fmt_date(latest.period.end)}"
    else:
        months = latest.period.duration_months
        part = "de helft" if months == 6 else f"{fmt_number(months)}/12"
        compared = f"vergeleken met {part} van de verwachte jaarwaarde ({fmt_number(expected, 1)})"
    return status, f"{PART_YEAR_MARK} {latest.period.label}: {value}, {compared}.", scaled


def explain_gap(progress: Progress, gap: str | None) -> Progress:
    """Add why a computed indicator has no figure (which stretch the export covers, what is missing) to a status
    without a judged measurement."""
    if not gap or progress.status not in (GEEN_METING, METING_VERWACHT) or progress.assessment:
        return progress
    return Progress(**{**progress.__dict__, "reason": f"{progress.reason} {gap}".strip()})


def _growth_target(indicator: Indicator, baseline: float, baseline_period: Period, when: date) -> float:
    growth = 1 + indicator.groei_procent_per_jaar / 100
    # Rounded like Indicator.resolved_target: 12 * 1.1 = 13.200000000000001 would make exactly +10% "aandacht".
    return round(baseline * growth ** round(years_between(baseline_period.end, when)), 6)


def _reason(indicator: Indicator, found: str, baseline_period: Period | None) -> str:
    if found == "eerste meting":
        return f"Geen nulmeting in het plan: de eerste meting ({baseline_period.label}) dient als nulmeting."
    if found == "gemeten":
        return f"Nulmeting {baseline_period.label} is gemeten; het doel is daaruit berekend."
    return ""


def _assess_series(indicator: Indicator, series: list[Measurement], overdue: bool, common: dict) -> Progress:
    status, reason, expected, baseline, target, baseline_period = _judge_series(indicator, series)
    latest = series[-1] if series else None
    return _with_overdue(Progress(status=status, reason=reason, baseline_value=baseline,
                                  baseline_source=_baseline(indicator, series)[2],
                                  baseline_period=baseline_period.code if baseline_period else None,
                                  target_value=target, latest=latest, expected=expected, **common), overdue)


def _assess_per_wijk(indicator: Indicator, known: list[Measurement], wijken: list[str], overdue: bool,
                     common: dict) -> Progress:
    measured = sorted({m.wijk_code for m in known if m.wijk_code})
    results = []
    for wijk in sorted(set(wijken) | set(measured)):
        series = [m for m in known if m.wijk_code == wijk]
        if not series:
            results.append(WijkProgress(wijk, None, None, GEEN_METING, False))
            continue
        status, _, expected, _, target, _ = _judge_series(indicator, series)
        target = indicator.resolved_target() if target is None else target
        ok = target is not None and meets(indicator.vergelijking, series[-1].waarde, target)
        results.append(WijkProgress(wijk, series[-1], expected, status, ok))
    judged = [w for w in results if w.status in SEVERITY]
    worst = min(judged, key=lambda w: SEVERITY.index(w.status)) if judged else None
    status = worst.status if worst else GEEN_METING
    missing = [w.wijk_code for w in results if w.latest is None]
    failing = [w.wijk_code for w in results if not w.meets_target]
    if status == BEREIKT and missing:
        status = AANDACHT
    reason = f"{len(results) - len(failing)} van {len(results)} wijken halen het doel."
    if missing:
        reason += f" Zonder meting: {', '.join(missing)}."
    baseline, baseline_period, source = _baseline(indicator, [])
    target = indicator.resolved_target()
    # The card shows the extreme wijk (see Progress.extreme_wijk), so latest, expected and target belong together.
    extreme = _extreme([w for w in results if w.latest], indicator.vergelijking, target)
    gemeente = [m for m in known if not m.wijk_code]
    progress = Progress(status=status, reason=reason, baseline_value=baseline, baseline_source=source,
                        baseline_period=baseline_period.code if baseline_period else None,
                        target_value=target, latest=extreme.latest if extreme else None,
                        expected=extreme.expected if extreme else None, wijken=tuple(results),
                        gemeente_latest=gemeente[-1] if gemeente else None, **common)
    return _with_overdue(progress, overdue)


def _with_overdue(progress: Progress, overdue: bool) -> Progress:
    """An overdue measurement outranks the judgement of an old value; the judgement is kept as `assessment`."""
    finished = progress.status == BEREIKT and progress.latest and progress.latest.period.end >= parse_period(
        progress.target_period).end
    if not overdue or finished:
        return progress
    stale = progress.status if progress.status not in (GEEN_METING,) else None
    reason = "Een nieuwe meting had binnen moeten zijn volgens de meetfrequentie."
    if progress.latest:
        reason += f" Laatste meting: {progress.latest.period.label}."
    return Progress(**{**progress.__dict__, "status": METING_VERWACHT, "assessment": stale,
                       "reason": f"{reason} {progress.reason}".strip()})
