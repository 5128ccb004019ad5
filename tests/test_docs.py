"""Docs that cannot drift: the CLI reference is generated from the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_matches_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "cli.md"
    command = [sys.executable, "-m", "typer", "newsdesk.cli", "utils", "docs", "--name", "newsdesk"]
    subprocess.run([*command, "--output", str(fresh)], check=True, capture_output=True)
    assert fresh.read_text() == (ROOT / "docs" / "cli.md").read_text(), (
        "docs/cli.md is stale: run `make docs`"
    )
