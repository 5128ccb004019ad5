"""The README's Reliability table, from every `bench/reliability_*.py` module present.

    .venv/bin/python bench/reliability.py            # rewrites the table in README.md
    .venv/bin/python bench/reliability.py --print    # prints it, README untouched

Each module has `rows() -> list[dict[str, str]]`, each row with exactly the keys
"check", "tried", "failed" and "notes". The table replaces whatever stands between
the README's `<!-- reliability:start -->` and `<!-- reliability:end -->` lines.
A module that fails is a row saying so, not a lost table.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
README = BENCH.parent / "README.md"
START, END = "<!-- reliability:start -->", "<!-- reliability:end -->"
KEYS = ("check", "tried", "failed", "notes")


def module_names() -> list[str]:
    return sorted(path.stem for path in BENCH.glob("reliability_*.py"))


def module_rows(name: str) -> list[dict[str, str]]:
    """The module's rows, checked for their keys; a crash becomes a row that says so."""
    started = time.monotonic()
    try:
        rows = importlib.import_module(name).rows()
        for row in rows:
            if set(row) != set(KEYS):
                raise ValueError(f"row keys {sorted(row)}, expected {list(KEYS)}")
    except Exception as error:
        traceback.print_exc()
        return [{"check": name, "tried": "-", "failed": "-", "notes": f"did not run: {error}"}]
    print(f"{name}: {len(rows)} rows in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return [{key: str(row[key]) for key in KEYS} for row in rows]


def table(rows: list[dict[str, str]]) -> str:
    lines = ["| check | tried | failed | notes |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(_cell(row[key]) for key in KEYS) + " |" for row in rows]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def with_table(readme: str, rendered: str) -> str:
    """`readme` with the text between the markers replaced by `rendered`."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md has no {START} ... {END} block")
    return f"{head}{START}\n{rendered}\n{END}{tail}"


def table_rows(readme: str) -> list[dict[str, str]]:
    """The rows of the README's table as it stands."""
    block = readme.partition(START)[2].partition(END)[0]
    lines = [line for line in block.strip().splitlines()[2:] if line.startswith("|")]
    cells = [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines]
    return [dict(zip(KEYS, row, strict=True)) for row in cells]


def merged(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """`old` with each row that `new` has again replaced in place; new checks at the end."""
    fresh = {row["check"]: row for row in new}
    kept = [fresh.pop(row["check"], row) for row in old]
    return kept + list(fresh.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the table only")
    parser.add_argument(
        "--only", help="run these checks (e.g. load,xss); keep the table's other rows"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    names = (
        [f"reliability_{name}" for name in args.only.split(",")] if args.only else module_names()
    )
    rows = [row for name in names for row in module_rows(name)]
    if args.only:
        rows = merged(table_rows(README.read_text("utf-8")), rows)
    rendered = table(rows)
    if args.print:
        print(rendered)
        return
    README.write_text(with_table(README.read_text("utf-8"), rendered), "utf-8")
    print(rendered)


if __name__ == "__main__":
    main()
