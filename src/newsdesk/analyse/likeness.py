"""How alike two articles are: the signals, and the chance that they report one story.

A `Profile` is what relating needs of one article besides its vector: its
content words (a sparse, normalised term-frequency vector), the proper names
and the numbers it uses, its entities, the people it names in full (with how
much it is about each), and the first year and month it names. `signals`
compares two; the
`same_story` probability is a logistic model of the signals fitted on half
of the ECB+ topics (``bench/stories.py --fit``), where each topic holds two
different events of one kind: the vectors say "same kind of event", the
names, numbers and words tell the two events apart.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

MAX_TERMS = 80
MAX_WORDS = 1_500

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]*[a-zA-Z]")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d\b")
# A run of two or more capitalised words ("Peter Capaldi", "Vincent Jackson"): where a person is named.
_NAME_RUN = re.compile(r"[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)+")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
# A capitalised word with no capitalised word beside it: "Jackson was", not "San Diego".
_ALONE = re.compile(r"(?<![A-Za-z]\s)(?<![A-Za-z][.,]\s)\b([A-Z][a-z][\w'’-]*)(?![\w'’-]*\s+[A-Z])")
MAX_PEOPLE = 8
MAIN_PERSON = 0.4  # the share of the mentions of people that makes one the article's main person
_MONTH_IN_TEXT = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\b"
)


@dataclass(frozen=True, slots=True)
class Profile:
    """The parts of one article that relating compares."""

    terms: dict[str, float]  # content word -> weight, L2 norm 1
    names: frozenset[str]  # proper names used inside sentences, folded
    numbers: frozenset[str]
    entities: tuple[str, ...] = ()  # the brief's entity names, most mentioned first
    people: tuple[str, ...] = ()  # of which people
    year: str | None = None  # the first year the text names (its dateline's, most often)
    month: str | None = None  # the first month it names ("Sep"), the same way
    # The surnames of the people it names in full, folded, each with its share of their mentions.
    prominent: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {"terms": self.terms, "names": sorted(self.names), "numbers": sorted(self.numbers),
             "entities": list(self.entities), "people": list(self.people), "year": self.year,
             "month": self.month, "prominent": self.prominent},
            ensure_ascii=False,
        )  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> Profile:
        data = json.loads(text)
        return cls(
            terms=data["terms"],
            names=frozenset(data["names"]),
            numbers=frozenset(data["numbers"]),
            entities=tuple(data["entities"]),
            people=tuple(data.get("people", ())),
            year=data.get("year"),
            month=data.get("month"),
            prominent=data.get("prominent", {}),
        )


@dataclass(frozen=True, slots=True)
class Signals:
    """The parts of two articles' likeness, each 0..1."""

    vector: float  # cosine of the embeddings (0 when either has none)
    text: float  # cosine of the content words
    names: float  # Jaccard of the proper names
    numbers: float  # Jaccard of the numbers
    entities: float  # Jaccard of the entities
    names_overlap: float  # the shared proper names over those of the article that has fewer
    entities_overlap: float  # the same for the entities
    other_years: float  # 1 when both name years and none in common (2008's election, 2013's)
    same_year: float = 0.0  # 1 when the first year each names is the same
    first_years_differ: float = 0.0  # 1 when both name a year and the first ones differ
    same_month: float = 0.0  # the same for the first month each names
    first_months_differ: float = 0.0
    # 1 when each is mainly about a different person, one of whom the other never names
    # (Vincent Jackson's arrest, Jamal Williams's; Peter Capaldi's casting, Matt Smith's)
    other_main_person: float = 0.0

    def features(self) -> tuple[float, ...]:
        return (self.vector, self.text, self.names, self.numbers, self.entities,
                self.names_overlap, self.entities_overlap, self.other_years,
                self.same_year, self.first_years_differ, self.same_month,
                self.first_months_differ, self.other_main_person)  # fmt: skip


# Fitted by bench/stories.py --fit on the tuning half of ECB+ (see bench/README.md).
WEIGHTS = (7.89, 2.07, 14.55, 7.30, 0.29, 3.14, -0.38, 1.03, 3.10, -1.60, 0.21, -1.05, -1.06)
BIAS = -8.82


def profile(
    sentences: Sequence[str], entities: Iterable[str] = (), people: Iterable[str] = ()
) -> Profile:
    words: list[str] = []
    names: set[str] = set()
    numbers: set[str] = set()
    year: str | None = None
    month: str | None = None
    stop = _stopwords()
    read: list[str] = []
    for sentence in sentences:
        if len(words) >= MAX_WORDS:
            break
        read.append(sentence)
        words += [w for w in (m.casefold() for m in _WORD.findall(sentence)) if w not in stop]
        names.update(m.casefold() for m in _NAME.findall(sentence) if m.casefold() not in stop)
        numbers.update(_NUMBER.findall(sentence))
        year = year or _first_year(sentence)
        month = month or _first_month(sentence)
    return Profile(
        terms=_weights(words), names=frozenset(names), numbers=frozenset(numbers),
        entities=tuple(entities), people=tuple(people), year=year, month=month,
        prominent=_prominent(read),
    )  # fmt: skip


def _first_year(sentence: str) -> str | None:
    found = _YEAR_IN_TEXT.search(sentence)
    return found.group() if found else None


def _first_month(sentence: str) -> str | None:
    """The first month named, as its three letters ("May" the month only when capitalised)."""
    found = _MONTH_IN_TEXT.search(sentence)
    return found.group(1) if found else None


def _prominent(sentences: Sequence[str]) -> dict[str, float]:
    """The surnames of people named in full ("Vincent Jackson"), each with its share of their mentions.

    Mentions count every capitalised use of the surname ("Jackson was arrested"),
    so the article's subject outweighs someone it names in passing. A word the
    text also writes in lower case ("Emergency Patch", "patch") is not a name,
    nor is one never used alone ("San Diego").
    """
    lower = {t for s in sentences for t in _TOKEN.findall(s) if t.islower()}
    alone = {_folded_name(m.group(1)) for s in sentences for m in _ALONE.finditer(s)}
    surnames = {name for s in sentences for name in _full_names(s, lower)} & alone
    if not surnames:
        return {}
    counts = Counter(
        folded for s in sentences for t in _TOKEN.findall(s)
        if t[0].isupper() and (folded := _folded_name(t)) in surnames
    )  # fmt: skip
    total = sum(counts.values())
    return {name: round(n / total, 3) for name, n in counts.most_common(MAX_PEOPLE)}


def _full_names(sentence: str, lower: set[str]) -> list[str]:
    """The last word of every run of two or three name words, cut where a non-name word begins."""
    stop = _name_stopwords()
    found = []
    for run in _NAME_RUN.findall(sentence):
        words: list[str] = []
        for word in [*run.split(), ""]:
            if word and word not in stop and word.casefold() not in lower:
                words.append(word)
                continue
            if 2 <= len(words) <= 3:
                found.append(_folded_name(words[-1]))
            words = []
    return found


def _folded_name(word: str) -> str:
    return word.casefold().removesuffix("'s").removesuffix("’s")


def main_person(found: Profile) -> str | None:
    """The person most of its mentions of people go to, if one has MAIN_PERSON of them."""
    if not found.prominent:
        return None
    name = max(found.prominent, key=found.prominent.__getitem__)
    return name if found.prominent[name] >= MAIN_PERSON else None


def _weights(words: list[str]) -> dict[str, float]:
    counts = Counter(_stem(w) for w in words if len(w) > 2)
    top = counts.most_common(MAX_TERMS)
    weights = {word: 1.0 + math.log(n) for word, n in top}
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {word: round(v / norm, 4) for word, v in weights.items()}


def _stem(word: str) -> str:
    """Plural and possessive endings off: "earthquakes" and "earthquake's" are one word."""
    for ending in ("’s", "'s", "ies", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def local_idf(profiles: Sequence[Profile]) -> dict[str, float]:
    """Inverse document frequencies among an article's candidates.

    Words every candidate uses ("earthquake" among earthquake stories) say
    nothing about which of them is the same story; the rarer ones do.
    """
    counts: Counter[str] = Counter()
    for found in profiles:
        counts.update(found.terms)
    total = len(profiles) + 1
    return {term: math.log(total / (n + 1)) + 1.0 for term, n in counts.items()}


def signals(
    a: Profile, b: Profile, vector_cosine: float, idf: dict[str, float] | None = None
) -> Signals:
    return Signals(
        vector=max(0.0, vector_cosine),
        text=_cosine(a.terms, b.terms) if idf is None else _weighted_cosine(a.terms, b.terms, idf),
        names=_jaccard(a.names, b.names),
        numbers=_jaccard(a.numbers, b.numbers),
        entities=_jaccard(frozenset(a.entities), frozenset(b.entities)),
        names_overlap=_overlap(a.names, b.names),
        entities_overlap=_overlap(frozenset(a.entities), frozenset(b.entities)),
        other_years=float(_other_years(a.numbers, b.numbers)),
        same_year=float(a.year is not None and a.year == b.year),
        first_years_differ=float(a.year is not None and b.year is not None and a.year != b.year),
        same_month=float(a.month is not None and a.month == b.month),
        first_months_differ=float(
            a.month is not None and b.month is not None and a.month != b.month
        ),
        other_main_person=float(_other_main_person(a, b)),
    )


def _other_main_person(a: Profile, b: Profile) -> bool:
    main_a, main_b = main_person(a), main_person(b)
    if main_a is None or main_b is None or main_a == main_b:
        return False
    return not _names(b, main_a) or not _names(a, main_b)


def _names(found: Profile, person: str) -> bool:
    return person in found.prominent or person in found.names


def same_story(found: Signals) -> float:
    """The chance, 0..1, that two articles report the same story (time aside)."""
    z = BIAS + sum(w * x for w, x in zip(WEIGHTS, found.features(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _weighted_cosine(a: dict[str, float], b: dict[str, float], idf: dict[str, float]) -> float:
    """The cosine of the two term vectors, each term weighted by its idf (no dict built per pair)."""
    weight = idf.get
    norm = math.sqrt(_square_norm(a, idf) * _square_norm(b, idf))
    if not norm:
        return 0.0
    dot = sum(
        (v * weight(t, _NEW_TERM)) * (b[t] * weight(t, _NEW_TERM)) for t, v in a.items() if t in b
    )
    return dot / norm


def _square_norm(terms: dict[str, float], idf: dict[str, float]) -> float:
    weight = idf.get
    return sum(w * w for w in (v * weight(t, _NEW_TERM) for t, v in terms.items()))


_NEW_TERM = 4.0  # the idf of a word no candidate uses


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _other_years(a: frozenset[str], b: frozenset[str]) -> bool:
    years_a, years_b = _years(a), _years(b)
    return bool(years_a and years_b and not years_a & years_b)


def _years(numbers: frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in numbers if _YEAR.fullmatch(n))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@cache
def _name_stopwords() -> frozenset[str]:
    """Capitalised words that are never part of a person's name (sentence openers, months, ...)."""
    text = resources.files("newsdesk").joinpath("data", "name_stopwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line and not line.startswith("#")
    )


@cache
def _stopwords() -> frozenset[str]:
    text = resources.files("newsdesk").joinpath("data", "stopwords.txt").read_text("utf-8")
    words = {line.strip() for line in text.splitlines() if line and not line.startswith("#")}
    return frozenset(words | _EXTRA_STOPWORDS)


# Words every news text uses, which say nothing about which story it is.
_EXTRA_STOPWORDS = frozenset(
    [
        "said",
        "says",
        "also",
        "would",
        "could",
        "one",
        "two",
        "new",
        "year",
        "years",
        "told",
        "according",
        "people",
        "time",
        "like",
        "just",
        "made",
        "make",
        "many",
        "much",
        "last",
        "first",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mr",
        "mrs",
        "ms",
    ]
)
