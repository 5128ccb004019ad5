"""The optional LLM's Strategic Analysis, kept honest: its prompt and the check of its reply.

Pure: `prompt` builds the messages from the desk's points only; `checked_prose`
keeps a reply's sentence only when it cites point numbers that exist, holds
no markup or link, and every name, number and date in it appears in the
points it cites or the sentences and earlier articles those points rest on.
The rest is dropped and counted, so the page can say how many.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.analyse.sentences import split_sentences
from newsdesk.models import Analysis, Brief

MAX_REPLY_CHARS = 8_000
MAX_SENTENCES = 8
SYSTEM = (
    "You are a careful foreign-affairs editor. Write a short Strategic Analysis (3 to 6 "
    "sentences of plain text) using only the numbered points given. End every sentence with "
    "the numbers of the points it rests on in square brackets, like [1] or [2, 3]. Use no "
    "name, number or date that is not in those points. No markup, no links, no headings."
)
_CITATION = re.compile(r"\s*\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]\s*([.!?]?)\s*$")
_CITATION_AFTER_STOP = re.compile(r"([.!?])\s*(\[\d{1,2}(?:\s*,\s*\d{1,2})*\])")
_MARKUP = re.compile(r"[<>`*_#|\\]|\]\(|https?:|www\.|javascript:|data:|&#?\w+;", re.I)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")
_FUNCTION_WORDS = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "In",
        "On",
        "At",
        "By",
        "For",
        "From",
        "With",
        "While",
        "As",
        "And",
        "But",
        "Yet",
        "So",
        "Or",
        "If",
        "When",
        "Where",
        "Whether",
        "Both",
        "Each",
        "Such",
        "Their",
        "Its",
        "A",
        "An",
        "Also",
        "Still",
        "Thus",
        "However",
        "Meanwhile",
        "Together",
        "Beyond",
        "Against",
        "Despite",
        "Although",
        "Though",
        "Because",
        "Since",
        "Over",
        "Under",
        "Now",
        "Then",
    ]
)


@dataclass(frozen=True, slots=True)
class Prose:
    text: str | None  # None when no sentence survived
    dropped: int


def prompt(brief: Brief, analysis: Analysis) -> list[dict[str, str]]:
    """The chat messages: the headline and the numbered points, nothing else."""
    lines = [f"Article: {brief.headline}", "", "Points:"]
    titles = {c.id: c.title for c in analysis.cited}
    for number, point in enumerate(analysis.points, 1):
        earlier = "; ".join(f"“{titles[a]}”" for a in point.articles if a in titles)
        lines.append(
            f"{number}. ({point.kind}) {point.text}"
            + (f" Earlier articles: {earlier}" if earlier else "")
        )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "\n".join(lines)}]


def checked_prose(reply: str, brief: Brief, analysis: Analysis) -> Prose:
    """The reply's traceable sentences, each ending in its point numbers; the count of the rest."""
    text = _CITATION_AFTER_STOP.sub(r" \2\1", " ".join(reply[:MAX_REPLY_CHARS].split()))
    sentences = split_sentences(text)
    kept: list[str] = []
    for sentence in sentences:
        checked = _checked(sentence, brief, analysis)
        if checked and len(kept) < MAX_SENTENCES:
            kept.append(checked)
    return Prose(" ".join(kept) or None, len(sentences) - len(kept))


def _checked(sentence: str, brief: Brief, analysis: Analysis) -> str | None:
    cited = _CITATION.search(sentence)
    if cited is None:
        return None
    numbers = sorted({int(n) for n in re.findall(r"\d+", cited[1])})
    if not numbers or any(not 1 <= n <= len(analysis.points) for n in numbers):
        return None
    claim = sentence[: cited.start()].rstrip()
    if not claim or _MARKUP.search(claim):
        return None
    evidence = _evidence(brief, analysis, numbers)
    if not _all_in(_NUMBER.findall(claim), evidence) or not _all_in(_names(claim), evidence):
        return None
    return f"{claim.rstrip('.!?;:, ')} [{', '.join(map(str, numbers))}]{cited[2] or '.'}"


def _names(claim: str) -> list[str]:
    """Capitalised words (names, months, titles) but the words any sentence may open with."""
    return [w.rstrip("’'") for w in _NAME.findall(claim) if w not in _FUNCTION_WORDS]


def _evidence(brief: Brief, analysis: Analysis, numbers: Sequence[int]) -> str:
    titles = {c.id: c.title + " " + (c.published or "") for c in analysis.cited}
    parts = []
    for number in numbers:
        point = analysis.points[number - 1]
        parts.append(point.text)
        parts += [brief.sentences[i] for i in point.sentences if 0 <= i < len(brief.sentences)]
        parts += [titles.get(a, "") for a in point.articles]
    return " ".join(parts)


def _all_in(items: Sequence[str], evidence: str) -> bool:
    return all(item in evidence for item in items)
