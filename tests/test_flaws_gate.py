"""Quality gate: what an editor would strike from the briefs, on three development sets.

The 91 Zyte pages, the 250 CNN/DailyMail articles and the 395 White House texts
of data/demo are briefed (`brief --json`, five takeaways) and counted by
../shared/checks/flaws.py, as bench/flaws.py does. Each set must stay at or
under CEILING flagged takeaways (measured 1.2% / 0.0% / 0.0%, the Zyte flags all one
Japanese page's sentences ending in "。", which the check does not read as a
stop; LEAD-3 with the same splitter 42.5% / 48.9% / 51.0%).
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.pipeline import brief_items
from newsdesk.serialize import brief_to_dict
from newsdesk.sources.records import record_document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
FLAWS = SHARED / "checks" / "flaws.py"
SETS = {
    "Zyte": SHARED / "eval" / "extraction-zyte.jsonl",
    "CNN/DM": SHARED / "eval" / "takeaways-cnndm.jsonl",
    "White House": ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl",
}
CEILING = 0.03
_RATE = re.compile(r"flagged takeaways (\d+)/(\d+) = ")

pytestmark = pytest.mark.skipif(
    not FLAWS.is_file() and not os.environ.get("CI"),
    reason=f"the flaws check was not found at {FLAWS} (../shared/checks)",
)


def _records(name: str) -> list[dict]:
    with SETS[name].open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    if name == "Zyte":  # brief the page, never the gold body
        return [{"id": r["id"], "url": r["url"], "html": r["html"]} for r in rows]
    if name == "CNN/DM":
        return [{"id": r["id"], "text": r["text"]} for r in rows]
    return rows


@pytest.mark.parametrize("name", list(SETS))
def test_few_takeaways_an_editor_would_strike(name, tmp_path):
    documents = [record_document(f"{name}:{i}", r) for i, r in enumerate(_records(name), 1)]
    briefs = [o.brief for o in brief_items(documents) if o.brief is not None]
    path = tmp_path / "briefs.jsonl"
    path.write_text(
        "".join(json.dumps(brief_to_dict(b), ensure_ascii=False) + "\n" for b in briefs),
        encoding="utf-8",
    )
    report = subprocess.run(
        [sys.executable, str(FLAWS), str(path), "1"], capture_output=True, text=True, check=True
    ).stdout
    rate = _RATE.search(report)
    assert rate is not None, report
    flagged, total = int(rate.group(1)), int(rate.group(2))
    assert total >= len(briefs), report  # most briefs have takeaways
    assert flagged <= CEILING * total, report
