"""The seeded corpus of malformed inputs (`fuzz_corpus.py`) through `brief` and `ingest`.

Batches of 50 bad files with a good article after them: no traceback, no exit
code but 0 or 1, every stderr line naming an item and a reason, no input
dropped without a word, the good article briefed and stored every time. A few
hundred cases normally; all 10,000 when CI is set.
"""

from __future__ import annotations

import os
from pathlib import Path

from fuzz_corpus import BATCH, run_corpus

COUNT = 10_000 if os.environ.get("CI") else 300
# Far above what a batch takes (one item may take 2 s at most): only a hang reaches it.
BATCH_SECONDS = BATCH * 2 * 2


def test_no_bad_input_crashes_a_batch_or_loses_the_good_article(tmp_path: Path) -> None:
    results = run_corpus(tmp_path, count=COUNT)
    assert sum(result.tried for result in results) == COUNT
    crashes = [crash for result in results for crash in result.crashes]
    assert crashes == []
    assert all(result.good_briefed and result.good_stored for result in results)
    assert max(result.seconds for result in results) < BATCH_SECONDS
