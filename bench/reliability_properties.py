"""Property-based tests (hypothesis) over every parser a source or a request reaches.

    .venv/bin/python bench/reliability_properties.py

Runs `tests/test_properties.py` with `CI` set (400 examples a property) and reports
how many properties held.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests" / "test_properties.py"
EXAMPLES = 400


def rows() -> list[dict[str, str]]:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(TESTS),
            "-o",
            "addopts=",
            "-q",
            "-p",
            "no:warnings",
            "-p",
            "no:cacheprovider",
        ],
        cwd=REPO,
        env={**os.environ, "CI": "1"},
        capture_output=True,
        text=True,
    )
    passed = _count(r"(\d+) passed", run.stdout)
    failed = _count(r"(\d+) failed", run.stdout)
    properties = passed + failed
    return [
        {
            "check": "Property-based tests (hypothesis)",
            "tried": f"{properties} properties x {EXAMPLES} examples",
            "failed": f"{failed} properties",
            "notes": "feeds, OPML, JSON and JSONL records, HTML, text and Markdown extraction, "
            "any file through the whole brief path, API bodies and query strings (no 5xx)",
        }
    ]


def _count(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    return int(match.group(1)) if match else 0


if __name__ == "__main__":
    for row in rows():
        print(row)
