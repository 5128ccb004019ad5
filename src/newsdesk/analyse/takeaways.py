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
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from newsdesk.analyse.sentences import split_sentences
from newsdesk.models import Entity, EntityKind, Takeaway

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
# Openers that lean on the sentence before; "He" and "She" can be resolved to a name.
_LEANS = re.compile(
    r"^(?:(?P<pronoun>He|She|His)\s(?=[a-z])|(?:It|This|That|These|Those|They|Them|Their|"
    r"Its|Her|But|And|Also|However|Meanwhile|Still|Yet|So|Then|Such|Instead|Nevertheless|"
    r"Nonetheless|Moreover|Furthermore|Besides|Likewise|Similarly|Otherwise|Thus|Hence|"
    r"Therefore|The move|The decision|The comments?|The remarks?)\b)"
)
_CONNECTIVE = re.compile(
    r"^(?:And|But|Also|However|Meanwhile|Still|Yet|So|Moreover|Furthermore|Besides),?\s+"
    r"(?=[\w‘'\"“])"
)
_CLOSES = re.compile(r"[.!?…][\"'’”»)\]]*$")
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
_STANDFIRST_WORDS = (12, 60)
_JOINED_WORDS = 70  # a sentence with the one it leans on  # a lead shorter than 12 words takes the next sentence too
_DESCRIPTION_CHARS = (40, 400)


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int  # the (last) source sentence
    text: str
    words: frozenset[str]
    sentences: tuple[int, ...] = ()  # every source sentence, when more than `index`

    @property
    def indexes(self) -> tuple[int, ...]:
        return self.sentences or (self.index,)


@dataclass(frozen=True, slots=True)
class _Reading:
    """The article's sentences as the selection sees them."""

    usable: list[_Candidate]  # prose sentences, as cleaned
    takeaways: list[_Candidate]  # what may stand as a takeaway (references resolved)
    leads: list[_Candidate]  # what may open the brief: stands alone, says something


def standfirst_and_takeaways(
    sentences: Sequence[str],
    *,
    title: str = "",
    description: str | None = None,
    count: int = 5,
    entities: Sequence[Entity] | None = None,
) -> tuple[str, tuple[Takeaway, ...]]:
    """The standfirst and at most `count` takeaways, read together.

    No takeaway repeats the standfirst or another takeaway, and there are at
    most half as many takeaways as usable sentences. The source's description
    is the standfirst when it is a good one (cut to its complete sentences);
    otherwise the takeaways are picked first and the standfirst is the first
    sentence of the lead that they leave, so that the top of the story stays
    among the takeaways.
    """
    reading = _reading(sentences, entities)
    dek = _description(description, title)
    given = [_Candidate(-1, dek, _content_words(dek))] if dek else []
    limit = min(count, len(reading.usable) // 2 or len(reading.usable[:1]))
    chosen = _select(reading, title, limit, _mentions_by_sentence(entities), given)
    if not dek:
        dek = _lead_standfirst(reading, chosen)
        chosen = [c for c in chosen if c.text not in dek]
    if not dek and sentences:
        dek = clean_sentence(sentences[0])
    ordered = sorted(chosen, key=lambda candidate: candidate.indexes)
    return dek, tuple(Takeaway(c.text, c.indexes) for c in ordered)


def select_takeaways(
    sentences: Sequence[str],
    *,
    title: str = "",
    description: str | None = None,
    count: int = 5,
    entities: Sequence[Entity] | None = None,
) -> tuple[Takeaway, ...]:
    """The takeaways of `standfirst_and_takeaways`: at most `count`, in reading order.

    Usable means prose of 6 to 60 words; a takeaway also stands alone (a
    complete sentence, whole quotations, no "He ..." or "This ..." that the
    sentence before must explain: the person is named when the entities say
    who, or the sentence comes with the one before). `entities` (found in
    these sentences) also tell which later sentences carry concrete facts;
    without them, capitalised words and numbers stand in. Each Takeaway's
    `sentences` holds the indexes of its source sentences.
    """
    return standfirst_and_takeaways(
        sentences, title=title, description=description, count=count, entities=entities
    )[1]


def standfirst(sentences: Sequence[str], *, title: str = "", description: str | None = None) -> str:
    """One or two complete sentences saying what happened: the dek under the headline.

    The source's own description wins when it is a good one; otherwise the
    first sentence of the lead that the takeaways leave, with the next one if
    it is short.
    """
    return standfirst_and_takeaways(sentences, title=title, description=description)[0]


def _select(
    reading: _Reading,
    title: str,
    count: int,
    mentions: Counter[int] | None,
    given: list[_Candidate],
) -> list[_Candidate]:
    candidates = [c for c in reading.takeaways if not any(_repeats(c, g) for g in given)]
    title_words = _content_words(title)
    by_lead = _lead_ranking(candidates, title_words)
    chosen = _without_repeats(by_lead, given, min(count, _LEAD_PICKS))
    if count > len(chosen) and chosen:
        last = max(c.index for c in chosen)
        after_lead = [c for c in candidates if c.index > last]
        concrete = _concreteness(after_lead, mentions)
        chosen += _coverage_picks(
            after_lead, given + chosen, title_words, concrete, count - len(chosen)
        )
    if count > len(chosen):  # short stretches: fill from whatever is left, best first
        unused = [c for c in by_lead if c not in chosen]
        chosen += _without_repeats(unused, given + chosen, count - len(chosen))
    return chosen


def _lead_standfirst(reading: _Reading, chosen: list[_Candidate]) -> str:
    """The first sentence of the lead that no takeaway carries, with the next if short."""
    free = [c for c in reading.leads if not any(_repeats(c, t) for t in chosen)]
    if not free and chosen:  # every lead sentence is a takeaway: the first becomes the dek
        free = [min(chosen, key=lambda c: c.indexes)]
    if not free:
        return ""
    first = free[0]
    short, longest = _STANDFIRST_WORDS
    words = len(first.text.split())
    following = next((c for c in free[1:2] if c.index == first.index + 1), None)
    if following and words < short and words + len(following.text.split()) <= longest:
        return f"{first.text} {following.text}"
    return first.text


def _description(description: str | None, title: str) -> str:
    """The source's description as a standfirst: its first complete sentences, or nothing."""
    if not description:
        return ""
    text = " ".join(description.split())
    shortest, longest = _DESCRIPTION_CHARS
    if not shortest <= len(text) <= longest or _content_words(text) == _content_words(title):
        return ""
    complete = [s for s in split_sentences(text)[:2] if _CLOSES.search(s)]
    kept = []
    for sentence in complete:  # stop at the first cut one ("... illegal, wh")
        if sentence.endswith(("...", "…")) or _FURNITURE.search(sentence):
            break
        kept.append(sentence)
    dek = " ".join(kept)
    return dek if len(dek) >= shortest else ""


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


def _reading(sentences: Sequence[str], entities: Sequence[Entity] | None) -> _Reading:
    usable = [
        _Candidate(i, text, _content_words(text))
        for i, text in ((i, clean_sentence(s)) for i, s in enumerate(sentences))
        if is_prose(text)
    ]
    people = _people_by_sentence(entities)
    takeaways = []
    for position, candidate in enumerate(usable):
        before = usable[position - 1] if position else None
        standing = _standing(candidate, before, people)
        if standing is not None:
            takeaways.append(standing)
    leads = [c for c in usable if _stands_alone(c.text) and not _OPENING_QUOTE.match(c.text)]
    return _Reading(usable, takeaways, leads)


def _standing(
    candidate: _Candidate, before: _Candidate | None, people: dict[int, list[Entity]]
) -> _Candidate | None:
    """The candidate as it can stand alone: itself, named, with the one before, or nothing."""
    if _QUESTION.search(candidate.text) or not _CLOSES.search(candidate.text):
        return None
    connective = _CONNECTIVE.match(candidate.text)
    if connective:  # "But the kite was so big ...": a takeaway needs no "But"
        rest = candidate.text[connective.end() :]
        alone = replace(candidate, text=rest[:1].upper() + rest[1:])
    else:
        alone = candidate
    leans = _LEANS.match(alone.text)
    if leans is None and _whole_quotes(alone.text):
        return alone
    if leans is not None and leans.group("pronoun"):
        named = _named(alone, people)
        if named is not None:
            return named
    if before is None or before.index != candidate.index - 1 or _LEANS.match(before.text):
        return None
    joined = f"{before.text} {candidate.text}"
    if not _stands_alone(before.text) and not _whole_quotes(joined):
        return None
    if not _whole_quotes(joined) or len(joined.split()) > _JOINED_WORDS:
        return None
    return _Candidate(
        candidate.index, joined, before.words | candidate.words, (before.index, candidate.index)
    )


def _named(candidate: _Candidate, people: dict[int, list[Entity]]) -> _Candidate | None:
    """ "He testified ..." as "Gordon Sondland testified ..." when one person was just named."""
    for index in (candidate.index - 1, candidate.index - 2):
        named = {entity.name: entity for entity in people.get(index, [])}
        if len(named) > 1:
            return None
        if named:
            (person,) = named.values()
            pronoun = _LEANS.match(candidate.text)
            assert pronoun is not None
            name = person.name + ("’s" if pronoun.group("pronoun").lower() == "his" else "")
            text = name + candidate.text[pronoun.end("pronoun") :]
            if not _whole_quotes(text):
                return None
            return _Candidate(candidate.index, text, candidate.words | _content_words(name))
    return None


def _people_by_sentence(entities: Sequence[Entity] | None) -> dict[int, list[Entity]]:
    people: dict[int, list[Entity]] = {}
    for entity in entities or ():
        if entity.kind is EntityKind.PERSON:
            for index in entity.sentence_indexes:
                people.setdefault(index, []).append(entity)
    return people


def _stands_alone(text: str) -> bool:
    """A whole sentence a reader can take without the one before."""
    return (
        _CLOSES.search(text) is not None
        and _LEANS.match(text) is None
        and _whole_quotes(text)
        and not _QUESTION.search(text)
    )


def _whole_quotes(text: str) -> bool:
    return (text.count('"') + text.count("“") + text.count("”")) % 2 == 0


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
    if set(candidate.indexes) & set(earlier.indexes):
        return True
    shared = len(candidate.words & earlier.words)
    return shared / (len(candidate.words) + 1) > _MAX_SHARED


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
