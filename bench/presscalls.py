"""Press calls: do their briefs lead with what was announced or decided?

    .venv/bin/python bench/presscalls.py [--show] [--json PATH]

Briefs the 50 transcripts of data/demo/whitehouse-indopacific.jsonl (genre
"transcript": background press calls, gaggles, briefings) through the whole
pipeline, as `newsdesk brief --json` does, and checks each brief's standfirst
and takeaways with rules written here, apart from newsdesk's own:

* call talk: the sentence is about the call, not the news: it names the call,
  briefing, gaggle, questions, Q&A, a preview or the officials on the line,
  thanks or apologises, holds a bracketed placeholder, or is framed in the
  speaker's voice ("I think", "you know", "As you know", opening on "I" or
  "You");
* substance: not call talk, and a named party (a capitalised word after the
  first, or "the two leaders / sides / presidents") with a verb of deciding
  or announcing ("announced", "agreed", "will launch", "reaffirmed", ...) or a
  future act ("will" + verb).

A brief leads with substance when its standfirst has substance. Also counted:
takeaways with substance, and takeaways or standfirsts that are call talk.
`--show` prints every standfirst with its verdict, for reading by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from newsdesk.pipeline import brief_items
from newsdesk.sources.records import record_document

ROOT = Path(__file__).resolve().parents[1]
WHITE_HOUSE = ROOT / "data" / "demo" / "whitehouse-indopacific.jsonl"

_CALL_TALK = re.compile(
    r"\b(?:call|briefing|gaggle|questions?|Q&A|preview\w*|senior administration officials?|"
    r"thanks?|thank you|sorry|I think|you know|as you (?:all )?(?:know|saw|see|heard)|"
    r"I want|I wanted|I[’']d like|I[’']ll|let me|kick (?:us|it|things) off)\b|\[|^(?:I|You)\b",
    re.IGNORECASE,
)
_ACTOR = re.compile(r"(?<!^)\b[A-Z][a-z]+|\bthe (?:two|three|four) (?:leaders|sides|presidents)\b")
_DECIDING = re.compile(
    r"\b(?:announc\w*|agree[ds]?|agreed|decided?|decision|launch\w*|sign(?:ed|s)?|"
    r"commit(?:s|ted)?|approved?|establish\w*|unveil\w*|pledged?|reaffirm\w*|reiterat\w*|"
    r"impos\w*|will (?:also |now )?[a-z]+|(?:is|are) (?:joining|launching|imposing))\b",
)


def is_call_talk(text: str) -> bool:
    return _CALL_TALK.search(text) is not None


def has_substance(text: str) -> bool:
    return not is_call_talk(text) and bool(_ACTOR.search(text) and _DECIDING.search(text))


def briefs() -> list[dict[str, object]]:
    with WHITE_HOUSE.open(encoding="utf-8") as lines:
        calls = [r for r in map(json.loads, lines) if r.get("genre") == "transcript"]
    docs = [record_document(f"call:{i}", r) for i, r in enumerate(calls, 1)]
    out = []
    for outcome in brief_items(docs, takeaways=5):
        if outcome.brief is None:
            raise SystemExit(f"no brief: {outcome.error}")
        brief = outcome.brief
        out.append(
            {
                "title": brief.article.title,
                "dek": brief.dek,
                "takeaways": [t.text for t in brief.takeaways],
            }
        )
    return out


def figures(rows: Sequence[dict[str, object]]) -> dict[str, int]:
    deks = [str(r["dek"]) for r in rows]
    points = [str(t) for r in rows for t in r["takeaways"]]  # type: ignore[attr-defined]
    return {
        "briefs": len(rows),
        "lead with substance": sum(map(has_substance, deks)),
        "standfirst is call talk": sum(map(is_call_talk, deks)),
        "takeaways": len(points),
        "takeaways with substance": sum(map(has_substance, points)),
        "takeaways that are call talk": sum(map(is_call_talk, points)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="print each standfirst and verdict")
    parser.add_argument("--json", type=Path, help="also write the briefs and figures here")
    args = parser.parse_args(argv)
    rows = briefs()
    if args.show:
        for row in rows:
            dek = str(row["dek"])
            verdict = (
                "substance" if has_substance(dek) else "call talk" if is_call_talk(dek) else "-"
            )
            print(f"[{verdict}] {str(row['title'])[:70]}\n    {dek}", file=sys.stderr)
    counts = figures(rows)
    print("| " + " | ".join(counts) + " |")
    print("|" + "---|" * len(counts))
    print("| " + " | ".join(str(v) for v in counts.values()) + " |")
    if args.json:
        args.json.write_text(json.dumps({"figures": counts, "briefs": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
