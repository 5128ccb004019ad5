"""What a press call's brief leads with: what a named party announced or decided.

A transcript (a press call, a gaggle, a briefing) opens on the speaker's
framing of the call ("We're here to preview the Vice President's trip", "I
think as you all know, ..."), and the sentence that repeats the title most is
often that framing. News in a call is a decision or an announcement by someone
named: "President Biden will also reinforce the ironclad U.S. alliance
commitments to the Philippines." So a transcript's sentences are ranked by
substance, in place of the lead prior that news writing earns: an announcing
or deciding verb, named things per word, and a penalty for a sentence framed
by the speaker's own voice ("I think", "You'll see", "As you know"); such a
sentence that announces nothing is no takeaway at all.
"""

from __future__ import annotations

import re

_DECIDED = re.compile(
    r"\b(?:announc|launch|agree|sign(?:ed|s|ing)?\b|commit|decid|decision|establish|unveil|"
    r"pledg|approv|adopt|impos|expand|provid|invest|deploy|reaffirm|reiterat|condemn|elevat|"
    r"upgrad|deliver|sanction|restrict|initiative|treaty\b|agreement\b)\w*"
    r"|\bwill (?:also |now |then )?(?!be able|have (?:more|a chance)|see|talk|say|"
    r"discuss|speak|take)[a-z]+",
    re.IGNORECASE,
)
# The speaker's voice framing the sentence: an opinion, a memory or the audience.
_SPEAKER_FRAME = re.compile(
    r"^(?:(?:So|And|But|Now|Well|Again|Look|Okay|OK|First|Second|Third|Finally|Just|Also|"
    r"Today|Tonight|Tomorrow|Of course),?\s+)*"
    r"(?:I\b|I[’']|You\b|You[’']|As (?:I|you|we)\b|We (?:all )?(?:think|believe|hope|know|feel|recognize)\b|"
    r"We[’']re (?:excited|happy|pleased|delighted|looking forward|going to)\b|"
    r"We (?:are|were) (?:excited|happy|pleased|delighted)\b)"
)
_WORD = re.compile(r"[^\W\d_][\w'’-]+|\d[\d,.]*")

DECIDED_WEIGHT = 0.6
NAMED_WEIGHT = 1.5
FRAME_PENALTY = 0.6


def substance(text: str, named: int | None = None) -> float:
    """How much the sentence reports what someone announced or decided (about 0 to 1).

    `named` is the count of entity mentions in the sentence; without it,
    capitalised words and numbers past the first word stand in.
    """
    words = _WORD.findall(text)
    if named is None:
        named = sum(1 for word in words[1:] if word[0].isupper() or word[0].isdigit())
    score = DECIDED_WEIGHT * bool(_DECIDED.search(text))
    score += NAMED_WEIGHT * named / (len(words) + 5)
    return score - FRAME_PENALTY * is_framed(text)


def is_talk(text: str) -> bool:
    """The speaker's voice with nothing announced: "I think as you all know, ..." and the like."""
    return is_framed(text) and _DECIDED.search(text) is None


def is_framed(text: str) -> bool:
    """Whether the speaker's own voice frames the sentence ("I think ...", "You'll see ...")."""
    return _SPEAKER_FRAME.match(text) is not None
