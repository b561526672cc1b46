"""The user documentation (docs/) and the data sources are tested against the code and the plan file.

A failure here means a plan entry, a constant, a table or a data file changed without its documentation.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from monitor import catalogue, progress, store
from monitor.compute import compute_function

PROJECT_DIR = Path(__file__).resolve().parent.parent
DOCS = PROJECT_DIR / "docs"
PLAN_FILE = PROJECT_DIR / "data" / "plans" / "heemskerk.toml"
CBS_DIR = PROJECT_DIR / "data" / "cbs"

PLAN = catalogue.load_plan(PLAN_FILE)
TARGETS = [i for i in PLAN.indicators if i.soort == "doelstelling"]


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def ids(indicators) -> list[str]:
    return [i.id for i in indicators]


# ------------------------------------------------------------------ the plan file


@pytest.mark.parametrize("indicator", PLAN.indicators, ids=ids(PLAN.indicators))
def test_every_indicator_is_described(indicator):
    for name in ("titel", "eenheid", "meetinstrument", "meetfrequentie", "bron"):
        assert str(getattr(indicator, name)).strip(), f"{indicator.id}: '{name}' is leeg"
    assert indicator.meetfrequentie in catalogue.FREQUENCIES


@pytest.mark.parametrize("indicator", TARGETS, ids=ids(TARGETS))
def test_every_target_has_text_and_a_resolvable_target(indicator):
    assert indicator.doelstelling.strip(), f"{indicator.id}: geen doelstellingstekst"
    assert indicator.target_period is not None
    if indicator.target_kind == "groei_per_jaar":
        assert indicator.groei_procent_per_jaar is not None
    elif indicator.nulmeting_status == "volgt":
        # Pending baseline: the target follows once the baseline is measured, so it must be relative and dated.
        assert indicator.target_kind == "relatief"
        assert indicator.baseline_period is not None
    else:
        assert indicator.resolved_target() is not None, f"{indicator.id}: doel niet te bepalen"
    if indicator.nulmeting_status == "bekend":
        assert indicator.nulmeting_waarde is not None and indicator.baseline_period is not None


BEREKENINGEN = [i for i in PLAN.indicators if i.berekening]


@pytest.mark.parametrize("indicator", BEREKENINGEN, ids=ids(BEREKENINGEN))
def test_every_berekening_resolves_and_is_documented(indicator):
    function = compute_function(indicator.berekening)
    assert callable(function)
    documented = f"`{indicator.berekening}`" in doc("catalogus.md")
    assert (function.__doc__ or "").strip() or documented, (
        f"{indicator.berekening}: geen docstring en niet beschreven in docs/catalogus.md")


# ------------------------------------------------------------------ docs/voortgang.md

# A constants table row: | `NAME` | 0,25 | ...  or  | `NAME["key"]` | 3 | ...
CONSTANT_ROW = re.compile(r'^\|\s*`([A-Z][A-Z0-9_]*)(?:\["([^"]+)"\])?`\s*\|\s*(-?\d+(?:,\d+)?)\s*\|', re.MULTILINE)
CONSTANT_NAME = re.compile(r'`([A-Z][A-Z0-9_]{2,})(?:\["[^"]+"\])?`')


def stated_constants() -> list[tuple[str, str | None, float]]:
    return [(name, key, float(value.replace(",", ".")))
            for name, key, value in CONSTANT_ROW.findall(doc("voortgang.md"))]


def test_voortgang_states_the_thresholds():
    stated = {(name, key) for name, key, _ in stated_constants()}
    for name in ("ATTENTION_MARGIN", "FLAT_SCALE", "KEEP_LEVEL_BAND"):
        assert (name, "") in stated, f"{name} ontbreekt in de tabel Drempels"
    for frequency in progress.PUBLICATION_LAG_MONTHS:
        assert ("PUBLICATION_LAG_MONTHS", frequency) in stated, f"publicatievertraging {frequency} ontbreekt"


@pytest.mark.parametrize("name, key, value", stated_constants())
def test_voortgang_constant_values_match_the_code(name, key, value):
    assert hasattr(progress, name), f"{name} bestaat niet in monitor.progress"
    actual = getattr(progress, name)
    if key:
        actual = actual[key]
    assert actual == pytest.approx(value), f"docs/voortgang.md: {name}{f'[{key!r}]' if key else ''} = {value}, code: {actual}"


def test_every_constant_named_in_voortgang_exists():
    for name in set(CONSTANT_NAME.findall(doc("voortgang.md"))):
        assert hasattr(progress, name), f"docs/voortgang.md noemt {name}, dat niet in monitor.progress staat"


def test_voortgang_states_the_part_year_rule():
    text = doc("voortgang.md")
    assert f'begint met "{progress.PART_YEAR_MARK}"' in text
    assert f'eenheid "{progress.SUMMED_UNIT_PREFIX} …"' in text


def test_voortgang_names_every_status():
    text = doc("voortgang.md")
    for status in progress.STATUSES:
        assert f"| {status} |" in text, f"status '{status}' ontbreekt in de statustabel"


# ------------------------------------------------------------------ docs/schema.md


def _split_top_level(body: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in body:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def migration_tables() -> dict[str, list[str]]:
    """table → columns, from CREATE TABLE (and ALTER TABLE … ADD COLUMN) in every migration, plus schema_version."""
    tables: dict[str, list[str]] = {"schema_version": ["version", "naam", "toegepast_op"]}
    for _, _, sql in store.migrations():
        sql = _without_comments(sql)
        for match in re.finditer(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\(", sql, re.IGNORECASE):
            depth, end = 1, match.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(sql[end], 0)
                end += 1
            columns = [part.split()[0] for part in _split_top_level(sql[match.end():end - 1])
                       if part.split()[0].upper() not in ("PRIMARY", "CHECK", "UNIQUE", "FOREIGN", "CONSTRAINT")]
            tables[match.group(1)] = columns
        for table, column in re.findall(r"ALTER TABLE (\w+) ADD (?:COLUMN )?(?:IF NOT EXISTS )?(\w+)", sql,
                                        re.IGNORECASE):
            tables.setdefault(table, []).append(column)
    return tables


def schema_section(table: str) -> str:
    """The text under the heading that names the table, up to the next heading of any level."""
    text = doc("schema.md")
    match = re.search(rf"^#+ `{table}`.*?$(.*?)(?=^#+ |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/schema.md heeft geen kop voor tabel `{table}`"
    return match.group(1)


def test_schema_parser_finds_the_initial_tables():
    tables = migration_tables()
    assert {"plan", "opgave", "indicator", "measurement", "import_log", "cbs_observation", "narrative"} <= set(tables)
    assert tables["measurement"][:3] == ["measurement_id", "indicator_id", "gemeente_code"]
    assert "PRIMARY" not in tables["opgave"]


@pytest.mark.parametrize("table, columns", sorted(migration_tables().items()))
def test_every_table_and_column_is_described(table, columns):
    section = schema_section(table)
    missing = [c for c in columns if f"`{c}`" not in section]
    assert not missing, f"docs/schema.md, tabel {table}: kolommen niet beschreven: {', '.join(missing)}"


def test_schema_describes_the_view_and_every_allowed_value():
    text = doc("schema.md")
    sql = "\n".join(_without_comments(s) for _, _, s in store.migrations())
    for view in re.findall(r"CREATE VIEW (\w+)", sql, re.IGNORECASE):
        schema_section(view)
    for column, values in re.findall(r"CHECK \((\w+) IN \(([^)]*)\)\)", sql):
        for value in re.findall(r"'([^']*)'", values):
            assert f"`{value}`" in text, f"docs/schema.md: waarde '{value}' van {column} niet beschreven"
    for needle in (store.DB_ENV, "--db", "data/monitor.duckdb", "NNNN_naam.sql", "vervangen_door"):
        assert needle in text


# ------------------------------------------------------------------ docs/catalogus.md


def toml_keys(value) -> set[str]:
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            keys.add(key)
            keys |= toml_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            keys |= toml_keys(inner)
    return keys


def test_every_plan_field_is_described():
    raw = tomllib.loads(PLAN_FILE.read_text(encoding="utf-8"))
    text = doc("catalogus.md")
    for section in ("[plan]", "[[opgave]]", "[[indicator]]"):
        assert f"`{section}`" in text
    fields = toml_keys(raw) - set(raw)
    missing = sorted(k for k in fields if f"`{k}`" not in text)
    assert not missing, f"docs/catalogus.md beschrijft deze velden niet: {', '.join(missing)}"


def test_catalogus_lists_every_allowed_code():
    text = doc("catalogus.md")
    codes = [*catalogue.COMPARATORS, *catalogue.FREQUENCIES, *catalogue.DELIVERY, *catalogue.KINDS]
    for code in codes:
        assert f"`{code}`" in text or f'`"{code}"`' in text or f'"{code}"' in text, f"{code} ontbreekt"
    for state in ("geen", "volgt"):
        assert f'status = "{state}"' in text


# ------------------------------------------------------------------ data/cbs/BRON.md


def test_bron_names_every_cbs_file():
    text = (CBS_DIR / "BRON.md").read_text(encoding="utf-8")
    csvs = sorted(CBS_DIR.glob("*.csv"))
    assert csvs
    missing = [p.name for p in csvs if not re.search(rf"\b{re.escape(p.stem)}\b", text)]
    assert not missing, f"data/cbs/BRON.md noemt deze bestanden niet: {', '.join(missing)}"


def test_every_suite4sd_template_has_the_required_columns_in_order():
    from monitor.imports.suite4sd import TYPES

    for name, export in TYPES.items():
        template = PROJECT_DIR / "data" / "templates" / f"{name}.csv"
        assert template.read_text(encoding="utf-8").splitlines()[0].split(";")[:len(export.required)] == list(
            export.required), f"sjabloon {template.name} wijkt af"


def test_every_export_type_has_a_template_and_a_suite():
    templates = {p.name for p in (PROJECT_DIR / "data" / "templates").glob("*.csv")}
    suites = {p.stem for p in (PROJECT_DIR / "expectations").glob("*.json")}
    assert {"cbs", "divosa", "metingen"} <= suites
    assert {"cbs_label_86050NED.csv", "divosa_long.csv", "divosa_wide.csv", "metingen.csv"} <= templates


@pytest.mark.parametrize("suite", sorted(p.stem for p in (PROJECT_DIR / "expectations").glob("*.json")))
def test_every_expectation_has_a_severity_and_a_dutch_message(suite):
    import great_expectations.expectations as gxe

    raw = json.loads((PROJECT_DIR / "expectations" / f"{suite}.json").read_text(encoding="utf-8"))
    assert raw["name"] and raw["expectations"]
    for expectation in raw["expectations"]:
        assert expectation["severity"] in ("critical", "warning"), expectation
        assert len(expectation["meta"]["bericht"]) > 20, expectation
        class_name = "".join(part.title() for part in expectation["type"].split("_"))
        assert hasattr(gxe, class_name), f"{suite}: {expectation['type']} bestaat niet in GX"
