"""Quality gate: the Key Takeaways a reader is shown, on the pinned CNN/DailyMail articles.

Each article is briefed by the pipeline with `--takeaways 3` (so the takeaways sit
under their standfirst and never repeat it), and those takeaways are scored with
rouge-score as in bench/flaws.py, beside LEAD-3 of the same brief's sentences
(newsdesk's splitter). Floors are the measured scores minus 0.3.

Issue 7 aims at ROUGE-2 0.5 above LEAD-3; the shown brief is 3.3 below it,
because the lead sentence is the standfirst and may not be a takeaway too (see
bench/README.md). The margin gate keeps it from falling further.
"""

import json
import os
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from newsdesk.pipeline import brief_items
from newsdesk.sources.records import record_document

EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
CNNDM = EVAL / "takeaways-cnndm.jsonl"
# measured 37.91 / 15.79 / 34.43 (LEAD-3 with the same splitter: 41.42 / 18.91 / 37.54)
FLOORS = {"rouge1": 37.61, "rouge2": 15.49, "rougeLsum": 34.13}
MARGIN_FLOOR = -3.4  # ROUGE-2 against LEAD-3; measured -3.12 (halves -2.31 / -3.93)

pytestmark = pytest.mark.skipif(
    not CNNDM.is_file() and not os.environ.get("CI"),
    reason=f"development data not found at {CNNDM} (../shared/eval)",
)


def _rouge(references: list[str], summaries: list[list[str]]) -> dict[str, float]:
    scorer = rouge_scorer.RougeScorer(list(FLOORS), use_stemmer=True)
    totals = dict.fromkeys(FLOORS, 0.0)
    for reference, summary in zip(references, summaries, strict=True):
        scores = scorer.score(reference, "\n".join(summary))
        for key in totals:
            totals[key] += scores[key].fmeasure
    return {key: 100 * total / len(references) for key, total in totals.items()}


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    with CNNDM.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    documents = [
        record_document(f"cnndm:{i}", {"id": r["id"], "text": r["text"]})
        for i, r in enumerate(rows, 1)
    ]
    briefs = [outcome.brief for outcome in brief_items(documents, takeaways=3)]
    assert all(brief is not None for brief in briefs)
    references = ["\n".join(r["highlights"]) for r in rows]
    return {
        "newsdesk": _rouge(references, [[t.text for t in b.takeaways] for b in briefs if b]),
        "lead3": _rouge(references, [list(b.sentences[:3]) for b in briefs if b]),
    }


@pytest.mark.parametrize("metric", list(FLOORS))
def test_shown_takeaways_stay_above_the_recorded_floor(scores, metric):
    assert scores["newsdesk"][metric] >= FLOORS[metric], scores


def test_shown_takeaways_stay_within_the_recorded_margin_of_lead3(scores):
    margin = scores["newsdesk"]["rouge2"] - scores["lead3"]["rouge2"]
    assert margin >= MARGIN_FLOOR, scores
