"""Command line: python -m monitor build-demo | status. Errors print a Dutch message and exit non-zero."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path

import duckdb

from monitor import demo, pseudonymise, status, store
from monitor.imports.pipeline import (
    CHECKED,
    DIVOSA_MAPPING,
    IMPORTED,
    REFUSED,
    SOURCES,
    UNCONFIRMED,
    UNDONE,
    import_file,
    readable_name,
    undo,
)


def _peildatum(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"peildatum '{text}' is geen datum; gebruik JJJJ-MM-DD, bijv. 2026-06-30") from exc


# argparse's own error messages, in the users' language.
ARGPARSE_DUTCH = (
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"argument \1: ongeldige keuze \2 (kies uit \3)"),
    (r"argument (\S+): expected one argument", r"argument \1: verwacht een waarde"),
)


class DutchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        for english, dutch in ARGPARSE_DUTCH:
            message = re.sub(english, dutch, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"Fout: {message}\n")


def parser() -> argparse.ArgumentParser:
    root = DutchArgumentParser(prog="python -m monitor", description="Monitor Sociaal Domein")
    commands = root.add_subparsers(dest="command", required=True, parser_class=DutchArgumentParser)
    db_help = f"databasebestand (standaard: ${store.DB_ENV} of {store.DEFAULT_DB.relative_to(store.PROJECT_DIR)})"
    build = commands.add_parser("build-demo", help="bouw de standaarddatabase uit de bestanden in data/")
    build.add_argument("--db", help=db_help)
    build.add_argument("--plan", type=Path, default=demo.PLAN_FILE,
                       help="planbestand (standaard: data/plans/heemskerk.toml)")
    build.add_argument("--overschrijf", action="store_true",
                       help="vervang een bestaande database (alle imports daarin gaan verloren)")
    load = commands.add_parser("import", help="importeer exports (CBS, Divosa, Suite4SD, metingen) na controle")
    load.add_argument("files", nargs="*", metavar="BESTAND", type=Path)
    load.add_argument("--db", help=db_help)
    load.add_argument("--bron", default="auto", choices=["auto", *SOURCES], help="soort export (standaard: herkennen)")
    load.add_argument("--mapping", type=Path, default=DIVOSA_MAPPING,
                      help="kolomtoewijzing voor Divosa-exports (standaard: data/divosa_kolommen.toml)")
    load.add_argument("--controleer", action="store_true",
                      help="toon wat de import zou vervangen (rijen, perioden, indicatoren) en sla niets op")
    load.add_argument("--bevestig", action="store_true",
                      help="sta een vervanging toe die meer dan 10%% van de geldende rijen weghaalt of een kortere "
                           "periode dekt")
    load.add_argument("--ongedaan", type=int, metavar="IMPORT_ID",
                      help="maak een import ongedaan: de rijen die hij verving worden weer geldend")
    # Listed for --help only; main() hands its arguments to monitor.pseudonymise, which defines them.
    commands.add_parser("pseudonimiseer", help="vervang BSN's in een export door pseudoniemen (HMAC-SHA256)",
                        add_help=False)
    show = commands.add_parser("status", help="voortgang van alle indicatoren")
    show.add_argument("--db", help=db_help)
    show.add_argument("--json", action="store_true", help="uitvoer als JSON")
    show.add_argument("--peildatum", type=_peildatum, default=date.today(), help="JJJJ-MM-DD (standaard: vandaag)")
    return root


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["pseudonimiseer"]:
        return pseudonymise.main(argv[1:])
    args = parser().parse_args(argv)
    db_path = store.resolve_db_path(args.db)
    try:
        if args.command == "import":
            return import_files(db_path, args.files, args.bron, args.mapping, check=args.controleer,
                                confirm=args.bevestig, undo_id=args.ongedaan)
        if args.command == "build-demo":
            return build(db_path, args.plan, args.overschrijf)
        if not db_path.exists():
            print(f"Fout: database {db_path} bestaat niet. Bouw hem met: python -m monitor build-demo --db {db_path}",
                  file=sys.stderr)
            return 1
        snap = status.snapshot(db_path, args.peildatum)
    except store.DatabaseUnavailable as fault:
        print(f"Fout: {fault.message}", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        fault = store.fault_message(db_path, exc)  # a full or read-only disk can surface only at the commit
        if fault:
            print(f"Fout: {fault}", file=sys.stderr)
            return 1
        # Never advise rebuilding here: build-demo over this path would replace whatever the file holds.
        print(f"Fout: {db_path} is geen bruikbare monitordatabase ({type(exc).__name__}). Controleer of --db of "
              f"{store.DB_ENV} naar het goede bestand wijst; het bestand is niet gewijzigd.", file=sys.stderr)
        return 1
    except (OSError, LookupError, ValueError) as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(status.as_json(snap), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        for item in status.as_json(snap):
            print(f"{item['id']:<32} {item['status']:<16} {item['title']}")
    return 0


def build(db_path: Path, plan: Path, overwrite: bool) -> int:
    """build-demo: a database that exists is only replaced when asked, since every import in it is lost."""
    if db_path.exists() and not overwrite:
        print(f"Fout: database {db_path} bestaat al; build-demo zou hem vervangen en alle imports daarin gaan dan "
              "verloren. Kies een ander pad met --db, of geef --overschrijf op als u hem echt wilt vervangen. "
              "Er is niets gewijzigd.", file=sys.stderr)
        return 1
    counts = demo.build_demo(db_path, plan)
    print(f"Database gebouwd: {db_path}")
    for step, count in counts.items():
        print(f"  {step}: {count}")
    return 0


def import_files(db_path: Path, files: list[Path], bron: str, mapping: Path = DIVOSA_MAPPING, check: bool = False,
                 confirm: bool = False, undo_id: int | None = None) -> int:
    """Import each file on its own: a refused file leaves the database as it was and does not stop the others.

    check: show per file what it would replace and store nothing. A replacement that needs confirmation and is not
    confirmed counts as refused (exit 1). undo_id: undo that import instead (no files).
    """
    if (undo_id is None) == (not files):
        print("Fout: geef één of meer bestanden om te importeren, of --ongedaan IMPORT_ID (niet allebei).",
              file=sys.stderr)
        return 2
    if undo_id is not None:
        outcome = undo(db_path, undo_id)
        print(f"{'✓' if outcome.status == UNDONE else '✗'} {outcome.message}")
        return 0 if outcome.status == UNDONE else 1
    refused = 0
    for path in files:
        if not path.is_file() and not path.is_dir():
            print(f"✗ {readable_name(str(path))}: bestand niet gevonden. Controleer de naam en de map.")
            refused += 1
            continue
        result = import_file(db_path, path, bron, mapping=mapping, confirmed=confirm, check_only=check)
        mark = {IMPORTED: "✓", CHECKED: "?", REFUSED: "✗", UNCONFIRMED: "✗"}.get(result.status, "=")
        print(f"{mark} {result.file}: {result.message}")
        if check and result.replacement:
            for line in result.replacement.lines():
                print(f"    {line}")
        for warning in result.warnings:
            print(f"    waarschuwing: {warning.message}")
        refused += result.status in (REFUSED, UNCONFIRMED)
    if check:
        print(f"{len(files) - refused} van {len(files)} bestanden zonder weigering gecontroleerd; er is niets "
              f"opgeslagen in {db_path}")
    else:
        print(f"{len(files) - refused} van {len(files)} bestanden zonder weigering; database: {db_path}")
    return 1 if refused else 0
