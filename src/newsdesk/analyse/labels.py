"""Label an article with topic sections and the kind of piece it is.

Sections come from a keyword lexicon (``data/sections.tsv``): each section's score is its
keyword hits per hundred words, title words counting three times, plus the entities of the
kinds that section claims (weapons for Defense, agreements for Diplomacy). The kind of piece
is read from its language: an opinion argues in the first person and says what should be
done; an analysis hedges and evaluates ("could", "risks", "analysts"); a report does neither.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from newsdesk.analyse.kind import marked_kind
from newsdesk.models import Entity, PieceKind

DEFAULT_SECTION = "World"
MAX_LABELS = 3
MIN_SCORE = 0.6  # keyword hits per 100 words for a section to be a label
RELATIVE_SCORE = 0.4  # and at least this share of the best section's score
TITLE_WEIGHT = 3
ENTITY_WEIGHT = 1  # per mention

_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
_OPINION_TITLE = re.compile(
    r"^\s*(?:opinion|op-ed|editorial|commentary|column|viewpoint|perspective)\b|"
    r"\b(?:opinion|op-ed)\s*[:|]",
    re.IGNORECASE,
)
_ANALYSIS_TITLE = re.compile(r"\b(?:analysis|explainer|explained|insight|what .+ means)\b", re.I)
_FIRST_PERSON_VIEW = re.compile(
    r"\b(?:I|we)\s+(?:believe|think|argue|contend|feel|urge)\b|\bin my (?:view|opinion)\b|"
    r"\b(?:we|you)\s+(?:must|should|need to|ought to)\b|\bit is time\b",
    re.IGNORECASE,
)
_NORMATIVE = re.compile(r"\b(?:should|must|ought to|needs to|it is time)\b", re.IGNORECASE)
# Words every match of each holds, lower-cased: a sentence without one is not searched.
_VIEW_WORDS = ("believe", "think", "argue", "contend", "feel", "urge", "in my ", "must", "should",
               "need to", "ought to", "it is time")  # fmt: skip
_NORMATIVE_WORDS = ("should", "must", "ought to", "needs to", "it is time")
# The only letters that IGNORECASE matches to a-z and lower() does not turn into them.
_UNSURE = re.compile("[İıſ]")
_HEDGES = (
    "could|may|might|likely|unlikely|potentially|perhaps|risk|risks|appear|appears|seem|seems|"
    "suggest|suggests|signal|signals|signaling|reflect|reflects|represent|represents|"
    "underscore|underscores|implication|implications|analyst|analysts|observer|observers|"
    "critic|critics|expert|experts|strategy|strategic|sustainability|in question|"
    "remains to be seen|however|yet|effectively|arguably|broader|concern|concerns|warn|warns|"
    "tested|dilemma"
)
# Case matters: "May" the month and "Strategy" in a document's name are not hedges, so
# only a word's first letter may be capitalised, and "may"'s never. Each is a whole run of
# word characters but two phrases, made of words that are no hedges alone.
_HEDGE_WORDS = frozenset(
    form
    for word in _HEDGES.split("|")
    if " " not in word
    for form in ({word} if word == "may" else {word, word[0].upper() + word[1:]})
)
_HEDGE_PHRASES = tuple(word for word in _HEDGES.split("|") if " " in word)
_HEDGED_PHRASE = re.compile(
    r"\b(?:" + "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in _HEDGE_PHRASES) + r")\b"
)
_WORD_RUN = re.compile(r"\w+")
_MAX_SAME_HEDGE = 2  # a word repeated ("risk", "risks", "risk") counts at most twice
_SPEAKER_LABEL = re.compile(r"^(?:Q|[A-Z][A-Z .'’-]{2,}):")
_ANALYSIS_DENSITY = 0.6  # hedged or evaluative words per sentence
_MIN_HEDGES = 4
_OPINION_DENSITY = 0.15  # first-person views and "should"s per sentence
_MIN_VIEWS = 2


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, tuple[str, ...]]  # exact word -> sections
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # phrase of several words, split -> sections
    phrase_lengths: tuple[int, ...]
    prefixes: dict[str, tuple[str, ...]]  # word start -> sections
    prefix_lengths: tuple[int, ...]
    kinds: dict[str, tuple[str, ...]]  # entity kind -> sections
    order: tuple[str, ...]


def classify(
    title: str,
    sentences: Sequence[str],
    entities: Sequence[Entity],
    *,
    url: str | None = None,
    author: str | None = None,
) -> tuple[tuple[str, ...], PieceKind]:
    """Topic section labels (1-3, best first) and the piece's kind (report/analysis/opinion).

    The kind the publisher marked (title, URL path, byline: see `kind`) wins over the
    kind read from the language.
    """
    kind = marked_kind(title, url, author) or _piece_kind(title, sentences)
    return _sections(title, sentences, entities), kind


def _sections(title: str, sentences: Sequence[str], entities: Sequence[Entity]) -> tuple[str, ...]:
    body_words = _words(" ".join(sentences))
    scores: Counter[str] = Counter()
    _count_keywords(scores, body_words, 1)
    _count_keywords(scores, _words(title), TITLE_WEIGHT)
    _count_entities(scores, entities)
    per_hundred = 100 / max(len(body_words), 50)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], _lexicon().order.index(item[0])))
    if not ranked or ranked[0][1] * per_hundred < MIN_SCORE:
        return (ranked[0][0],) if ranked else (DEFAULT_SECTION,)
    floor = max(MIN_SCORE, ranked[0][1] * per_hundred * RELATIVE_SCORE)
    chosen = [section for section, score in ranked if score * per_hundred >= floor]
    return tuple(chosen[:MAX_LABELS])


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _count_keywords(scores: Counter[str], words: list[str], weight: int) -> None:
    phrases = _lexicon().phrases
    for word, count in Counter(words).items():
        for section in _word_sections(word):
            scores[section] += weight * count
    for length in _lexicon().phrase_lengths:
        grams = zip(*(words[i:] for i in range(length)), strict=False)
        for phrase, count in Counter(g for g in grams if g in phrases).items():
            for section in phrases[phrase]:
                scores[section] += weight * count


@lru_cache(maxsize=1 << 16)  # bounded: the words of every article ever labelled pass through
def _word_sections(word: str) -> tuple[str, ...]:
    """The sections a single word counts towards: exact keywords, then keyword prefixes."""
    lexicon = _lexicon()
    found = list(lexicon.words.get(word, ()))
    for length in lexicon.prefix_lengths:
        if len(word) >= length:
            found.extend(lexicon.prefixes.get(word[:length], ()))
    return tuple(found)


def _count_entities(scores: Counter[str], entities: Iterable[Entity]) -> None:
    for entity in entities:
        for section in _lexicon().kinds.get(entity.kind.value, ()):
            scores[section] += ENTITY_WEIGHT * len(entity.mentions)


def _piece_kind(title: str, sentences: Sequence[str]) -> PieceKind:
    if _OPINION_TITLE.search(title):
        return PieceKind.OPINION
    if _is_transcript(sentences):
        return PieceKind.REPORT
    count = max(len(sentences), 1)
    lowered = [None if _UNSURE.search(s) else s.lower() for s in sentences]
    views = _matches(_FIRST_PERSON_VIEW, _VIEW_WORDS, sentences, lowered)
    normative = _matches(_NORMATIVE, _NORMATIVE_WORDS, sentences, lowered)
    if views >= _MIN_VIEWS and (views + normative) / count >= _OPINION_DENSITY:
        return PieceKind.OPINION
    if _ANALYSIS_TITLE.search(title):
        return PieceKind.ANALYSIS
    hedges = Counter(word for s in sentences for word in _hedges(s))
    hedged = sum(min(n, _MAX_SAME_HEDGE) for n in hedges.values())
    if hedged >= _MIN_HEDGES and hedged / count >= _ANALYSIS_DENSITY:
        return PieceKind.ANALYSIS
    return PieceKind.REPORT


def _matches(
    pattern: re.Pattern[str],
    words: tuple[str, ...],
    sentences: Sequence[str],
    lowered: Sequence[str | None],
) -> int:
    """How many times the case-blind pattern matches in the sentences, searching only those
    that hold one of `words` (`lowered` is each sentence lower-cased, None if unsure)."""
    return sum(
        len(pattern.findall(sentence))
        for sentence, low in zip(sentences, lowered, strict=True)
        if low is None or any(word in low for word in words)
    )


def _hedges(sentence: str) -> list[str]:
    """The hedged and evaluative words of the sentence, lower-cased."""
    found = [word.lower() for word in _WORD_RUN.findall(sentence) if word in _HEDGE_WORDS]
    if any(phrase[1:] in sentence for phrase in _HEDGE_PHRASES):
        found += [phrase.lower() for phrase in _HEDGED_PHRASE.findall(sentence)]
    return found


def _is_transcript(sentences: Sequence[str]) -> bool:
    """Press calls and remarks: speakers' words set out under their labels ("Q:", "MR. X:")."""
    return sum(1 for s in sentences if _SPEAKER_LABEL.match(s)) >= 3


@cache
def _lexicon() -> _Lexicon:
    words: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    order = []
    for section, entity_kinds, keywords in _rows("sections.tsv"):
        order.append(section)
        for kind in filter(None, entity_kinds.split("|")):
            kinds.setdefault(kind, []).append(section)
        for keyword in filter(None, keywords.split("|")):
            _check_keyword(section, keyword)
            table = prefixes if keyword.endswith("*") else words
            table.setdefault(keyword.rstrip("*"), []).append(section)
    return _Lexicon(
        {k: tuple(v) for k, v in words.items() if " " not in k},
        {tuple(k.split()): tuple(v) for k, v in words.items() if " " in k},
        tuple(sorted({len(k.split()) for k in words if " " in k})),
        {k: tuple(v) for k, v in prefixes.items()},
        tuple(sorted({len(p) for p in prefixes})),
        {k: tuple(v) for k, v in kinds.items()},
        (*order, DEFAULT_SECTION),
    )


def _check_keyword(section: str, keyword: str) -> None:
    """Refuse keywords the matcher cannot see rather than ignore them silently."""
    if " " in keyword and keyword.endswith("*"):
        raise ValueError(f"sections.tsv, {section}: {keyword!r}: a prefix* must be a single word")


def _rows(name: str) -> list[list[str]]:
    """The rows of a three-column TSV data file after its header."""
    text = resources.files("newsdesk").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [[*line.split("\t"), "", ""][:3] for line in lines[1:]]
