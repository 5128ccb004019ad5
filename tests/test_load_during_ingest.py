"""Load while writing, briefly: readers get no errors while another process ingests.

The benchmark (`bench/reliability_load.py`: 50 connections for 60 s while
1,000 articles are ingested, p99 per page type) gives the figures; this is
its short form, for CI: zero errors is the assertion, never a time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import reliability_load as harness

if not shutil.which("wrk") and not os.environ.get("CI"):
    pytest.skip("needs Debian's wrk", allow_module_level=True)


def test_no_reader_gets_an_error_while_another_process_ingests() -> None:
    result = harness.run(seconds=5, ingest=60, existing=30)
    assert set(result.pages) == {"article", "home", "search"}
    assert all(figures.requests > 0 for figures in result.pages.values()), result.pages
    assert result.errors == 0, result.pages
    assert result.stored == 60, "the writer finished its job too"
