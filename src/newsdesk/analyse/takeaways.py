"""Key Takeaways and the standfirst, picked from the article's own sentences.

Extractive and traceable: every takeaway is one source sentence (its news
furniture such as a "(CNN) --" dateline trimmed) and keeps that sentence's
index. Selection is unsupervised and has few parameters:

* drop sentences that are not prose: "Scroll down for video", run-in photo
  captions ("Flying high: Half of the kite..."), bylines, "Follow @...",
  fragments under six words and run-ons over sixty;
* the first three takeaways (the top of the story): a lead prior that decays
  with the sentence's rank among usable ones (news puts the point first),
  plus centrality (how many other sentences share its content words) and
  overlap with the title, less a penalty for direct quotations; take the best
  in turn, skipping any that mostly repeats one already taken;
* any further takeaways cover the rest of the article: one from each of
  equal stretches after the lead, scored without the lead prior but for
  concrete facts (named things per word: the article's entity mentions when
  the caller has them, else capitalised words and numbers) and against
  sentences that lean on the one before ("This move..."); questions are
  skipped there (a press call's "Q ...?").

Takeaways come back in reading order. `standfirst_and_takeaways` gives the
standfirst and the takeaways from one reading of the sentences.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsdesk.analyse.sentences import split_sentences
from newsdesk.models import Entity, Takeaway

_DATELINE = re.compile(
    r"^(?:[A-Z][\w .,'’-]{0,60}?\s*)?\((?:CNN|AP|AFP|Reuters|UPI)\)\s*(?:--|—|–|-)?\s*"
)
_FURNITURE = re.compile(
    r"scroll down for video|click here|read more:|follow @|sign up for|share this|"
    r"watch the video|^by \. |\b(?:published|updated):|^q:? ",  # "Q:" asks in a transcript
    re.IGNORECASE,
)
# A press call's pleasantries and logistics: nothing a reader needs.
_CALL_FURNITURE = re.compile(
    r"^(?:(?:and|so|but|well|okay|ok|yes|great|all right|alright),?\s+)*"
    r"(?:good (?:morning|afternoon|evening)|thanks?\b|thank you|hi\b|hello\b|welcome\b)|"
    r"\bon background\b|\bembargoed\b|\bour speakers?\b|\bjoining us\b|"
    r"\b(?:turn|hand) it (?:over|back)\b|\bnext question\b|\btake (?:your |some )?questions\b|"
    r"\bstart us off\b|\bfor your patience\b",
    re.IGNORECASE,
)
# A transcript's speaker label: two or more capitalised words ("MR. KIRBY:"), not "NATO:".
_SPEAKER = re.compile(
    r"^(?:(?:[A-Z][A-Z.'’-]*\s+){1,5}[A-Z][A-Z.'’-]+|MODERATOR|OPERATOR):\s*[—–-]*\s*"
)
_CAPTION_LABEL = re.compile(r"^([A-Z][\w'’ -]{0,30}): [A-Z‘'\"“]")
_SPEECH_VERB = re.compile(r"\b(?:said|says|told|tells|added|asked|wrote)\b")
_OPENING_QUOTE = re.compile(r"^[\"'‘“]")
_DANGLING_OPENER = re.compile(r"^(?:This|That|These|Those|It|Such|They)\b")
_QUESTION = re.compile(r"\?[\"'’”»)\]]*$")  # needs its answer: no takeaway
_WORD = re.compile(r"[^\W\d_][\w'’-]+|\d[\d,.]*")

_MIN_WORDS, _MAX_WORDS = 6, 60
_LEAD_DECAY = 4.0  # ranks over which the lead prior falls by 1/e
_LEAD_WEIGHT = 1.0
_TITLE_WEIGHT = 0.3
_QUOTE_PENALTY = 0.3
_DANGLING_PENALTY = 0.1  # "This move...", "It consolidates...": needs the sentence before
_SPECIFICITY_WEIGHT = 0.3  # capitalised words and numbers per word, when entities are unknown
_NAMED_WEIGHT = 1.0  # entity mentions per word (plus _NAMED_SMOOTHING words)
_NAMED_SMOOTHING = 5
_LEAD_PICKS = 3  # takeaways beyond these are spread over the rest of the article
_MAX_SHARED = 0.5  # a sentence sharing more of its words with a pick is redundant
_STANDFIRST_WORDS = (12, 60)  # a lead shorter than 12 words takes the next sentence too
_DESCRIPTION_CHARS = (40, 400)


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    text: str
    words: frozenset[str]


def standfirst_and_takeaways(
    sentences: Sequence[str],
    *,
    title: str = "",
    description: str | None = None,
    count: int = 5,
    entities: Sequence[Entity] | None = None,
) -> tuple[str, tuple[Takeaway, ...]]:
    """`standfirst` and `select_takeaways` at once, reading the sentences only once."""
    candidates = _candidates(sentences)
    dek = _standfirst(candidates, sentences, title, description)
    return dek, _select(candidates, title, count, _mentions_by_sentence(entities))


def select_takeaways(
    sentences: Sequence[str],
    *,
    title: str = "",
    count: int = 5,
    entities: Sequence[Entity] | None = None,
) -> tuple[Takeaway, ...]:
    """Pick `count` takeaways (fewer only if the article has fewer usable sentences).

    Usable means prose of 6 to 60 words that does not repeat a chosen takeaway.
    `entities` (found in these sentences) tell which later sentences carry
    concrete facts; without them, capitalised words and numbers stand in.

    Returned in reading order; each Takeaway's `sentences` holds the index of
    its source sentence in `sentences`.
    """
    return _select(_candidates(sentences), title, count, _mentions_by_sentence(entities))


def standfirst(sentences: Sequence[str], *, title: str = "", description: str | None = None) -> str:
    """One or two sentences summarising the article: the dek under the headline.

    The source's own description wins when it is a good one; otherwise the
    article's first usable sentence, with the next one if the first is short.
    """
    return _standfirst(_candidates(sentences), sentences, title, description)


def _select(
    candidates: list[_Candidate], title: str, count: int, mentions: Counter[int] | None
) -> tuple[Takeaway, ...]:
    title_words = _content_words(title)
    by_lead = _lead_ranking(candidates, title_words)
    chosen = _without_repeats(by_lead, [], min(count, _LEAD_PICKS))
    if count > len(chosen) and chosen:
        last = max(c.index for c in chosen)
        after_lead = [c for c in candidates if c.index > last and not _QUESTION.search(c.text)]
        concrete = _concreteness(after_lead, mentions)
        chosen += _coverage_picks(after_lead, chosen, title_words, concrete, count - len(chosen))
    if count > len(chosen):  # short stretches: fill from whatever is left, best first
        unused = [c for c in by_lead if c not in chosen]
        chosen += _without_repeats(unused, chosen, count - len(chosen))
    ordered = sorted(chosen, key=lambda candidate: candidate.index)
    return tuple(Takeaway(c.text, (c.index,)) for c in ordered)


def _standfirst(
    candidates: list[_Candidate], sentences: Sequence[str], title: str, description: str | None
) -> str:
    if description and _is_good_description(description, title):
        return " ".join(split_sentences(" ".join(description.split()))[:2])  # at most two
    lead = candidates[:2] or [
        _Candidate(i, s.strip(), frozenset()) for i, s in enumerate(sentences[:1])
    ]
    if not lead:
        return ""
    short, longest = _STANDFIRST_WORDS
    first_words = len(lead[0].text.split())
    if len(lead) > 1 and first_words < short and first_words + len(lead[1].text.split()) <= longest:
        return f"{lead[0].text} {lead[1].text}"
    return lead[0].text


def clean_sentence(sentence: str) -> str:
    """The sentence without a leading dateline ("Boston (CNN) -- ") or speaker ("MR. KIRBY:")."""
    return _SPEAKER.sub("", _DATELINE.sub("", sentence.strip()).strip())


def is_prose(sentence: str) -> bool:
    """Whether a (cleaned) sentence could stand as a takeaway: not furniture or a caption."""
    if not _MIN_WORDS <= len(sentence.split()) <= _MAX_WORDS:
        return False
    if _FURNITURE.search(sentence) or _CALL_FURNITURE.search(sentence):
        return False
    if sentence[:1].islower() and not sentence[1:2].isupper():  # a fragment ("iPhone" is not)
        return False
    label = _CAPTION_LABEL.match(sentence)
    return label is None or _SPEECH_VERB.search(label.group(1)) is not None


def _candidates(sentences: Sequence[str]) -> list[_Candidate]:
    cleaned = ((index, clean_sentence(sentence)) for index, sentence in enumerate(sentences))
    return [_Candidate(i, text, _content_words(text)) for i, text in cleaned if is_prose(text)]


def _lead_ranking(candidates: list[_Candidate], title_words: frozenset[str]) -> list[_Candidate]:
    """The top of the story first: content scores plus a prior that decays with rank."""
    content = _content_scores(candidates, title_words)
    scores = [_LEAD_WEIGHT * math.exp(-rank / _LEAD_DECAY) + s for rank, s in enumerate(content)]
    return [candidates[i] for i in sorted(range(len(candidates)), key=lambda i: -scores[i])]


def _coverage_picks(
    rest: list[_Candidate],
    chosen: list[_Candidate],
    title_words: frozenset[str],
    concrete: list[float],
    count: int,
) -> list[_Candidate]:
    """Beyond the lead, one takeaway from each of `count` equal stretches of the rest."""
    # Past the lead, a takeaway must stand alone ("This move..." does not) and
    # should carry concrete facts (names, numbers).
    content = [
        score + concreteness - _DANGLING_PENALTY * bool(_DANGLING_OPENER.match(candidate.text))
        for candidate, score, concreteness in zip(
            rest, _content_scores(rest, title_words), concrete, strict=True
        )
    ]
    picks: list[_Candidate] = []
    for part in range(count):
        start, stop = part * len(rest) // count, (part + 1) * len(rest) // count
        ranked = sorted(range(start, stop), key=lambda i: -content[i])
        picks += _without_repeats([rest[i] for i in ranked], chosen + picks, 1)
    return picks


def _concreteness(candidates: list[_Candidate], mentions: Counter[int] | None) -> list[float]:
    """Named things per word, weighted: entity mentions if known, else capitalised words."""
    if mentions is None:
        return [_SPECIFICITY_WEIGHT * _specificity(candidate.text) for candidate in candidates]
    return [
        _NAMED_WEIGHT * mentions[candidate.index] / (len(candidate.text.split()) + _NAMED_SMOOTHING)
        for candidate in candidates
    ]


def _mentions_by_sentence(entities: Sequence[Entity] | None) -> Counter[int] | None:
    if entities is None:
        return None
    return Counter(mention.sentence for entity in entities for mention in entity.mentions)


def _content_scores(candidates: list[_Candidate], title_words: frozenset[str]) -> list[float]:
    share = Counter(word for candidate in candidates for word in candidate.words)
    size = math.sqrt(max(1, len(candidates)))
    return [
        _centrality(candidate.words, share) / size
        + _TITLE_WEIGHT * _overlap(candidate.words, title_words)
        - _QUOTE_PENALTY * bool(_OPENING_QUOTE.match(candidate.text))
        for candidate in candidates
    ]


def _specificity(text: str) -> float:
    """Share of words after the first that are names or numbers: concrete facts."""
    tokens = _WORD.findall(text)[1:]
    named = sum(1 for token in tokens if token[0].isupper() or token[0].isdigit())
    return named / (len(tokens) + 1)


def _centrality(words: frozenset[str], share: Counter[str]) -> float:
    """How many other sentences use this sentence's content words, per word (smoothed)."""
    return sum(share[word] - 1 for word in words) / (len(words) + 3)


def _overlap(words: frozenset[str], title_words: frozenset[str]) -> float:
    if not title_words:
        return 0.0
    return len(words & title_words) / len(title_words)


def _without_repeats(
    ranked: list[_Candidate], earlier: list[_Candidate], count: int
) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    for candidate in ranked:
        if len(chosen) == count:
            break
        if not any(_repeats(candidate, other) for other in earlier + chosen):
            chosen.append(candidate)
    return chosen


def _repeats(candidate: _Candidate, earlier: _Candidate) -> bool:
    shared = len(candidate.words & earlier.words)
    return shared / (len(candidate.words) + 1) > _MAX_SHARED


def _is_good_description(description: str, title: str) -> bool:
    text = " ".join(description.split())
    shortest, longest = _DESCRIPTION_CHARS
    if not shortest <= len(text) <= longest or text.endswith(("...", "…")):
        return False
    return _content_words(text) != _content_words(title)


def _content_words(text: str) -> frozenset[str]:
    stopwords = _stopwords()
    return frozenset(
        word
        for word in (token.lower() for token in _WORD.findall(text))
        if len(word) > 2 and word not in stopwords
    )


@cache
def _stopwords() -> frozenset[str]:
    text = resources.files("newsdesk").joinpath("data", "stopwords.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))
