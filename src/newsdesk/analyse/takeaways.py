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

from newsdesk.analyse.calls import is_talk, substance
from newsdesk.analyse.sentences import split_sentences
from newsdesk.analyse.usable import (
    MAX_WORDS,
    POSSESSIVE,
    PRONOUN,
    clean_sentence,
    is_complete,
    is_prose,
    leans,
    questions,
    without_connective,
    word_count,
)
from newsdesk.models import Entity, EntityKind, Takeaway

_WORD = re.compile(r"[^\W\d_][\w'’-]+|\d[\d,.]*")
_OPENING_QUOTE = re.compile(r"^[\"'‘“]")

_LEAD_DECAY = 4.0  # ranks over which the lead prior falls by 1/e
_LEAD_WEIGHT = 1.0
_TITLE_WEIGHT = 0.3
_QUOTE_PENALTY = 0.3
_SPECIFICITY_WEIGHT = 0.3  # capitalised words and numbers per word, when entities are unknown
_NAMED_WEIGHT = 1.0  # entity mentions per word (plus _NAMED_SMOOTHING words)
_NAMED_SMOOTHING = 5
_LEAD_PICKS = 3  # takeaways beyond these are spread over the rest of the article
_MAX_SHARED = 0.5  # a sentence sharing more of its words with a pick is redundant
_STANDFIRST_WORDS = (12, 60)  # a lead shorter than 12 words takes the next sentence too
_DESCRIPTION_CHARS = (40, 400)
_PREPARED_ENOUGH = 4  # standalone sentences before a transcript's first question
_TOPIC_WEIGHT = 1.0  # a call's title subjects the standfirst did not name
_PRONOUN_REACH = 2  # "He" names the one person of the two sentences before


@dataclass(frozen=True, slots=True)
class _Candidate:
    indexes: tuple[int, ...]  # one source sentence, or one that leans with the one before
    text: str
    words: frozenset[str]

    @property
    def index(self) -> int:
        return self.indexes[0]


@dataclass(frozen=True, slots=True)
class _Reading:
    """The article's sentences as the brief may use them."""

    usable: int  # whole prose sentences: at most half of them become takeaways
    standalone: list[_Candidate]  # those that can be read alone, leaning ones resolved


def standfirst_and_takeaways(
    sentences: Sequence[str],
    *,
    title: str = "",
    description: str | None = None,
    count: int = 5,
    entities: Sequence[Entity] | None = None,
) -> tuple[str, tuple[Takeaway, ...]]:
    """The standfirst and at most `count` takeaways, read together as the brief shows them.

    No takeaway repeats the standfirst or another takeaway, and an article
    gets at most half of its usable sentences as takeaways.
    """
    reading = _read(sentences, entities)
    mentions = _mentions_by_sentence(entities)
    transcript = bool(questions(sentences))
    dek, used = _standfirst(reading.standalone, sentences, title, description, mentions)
    dek_words = _content_words(dek)
    rest = [
        c
        for c in reading.standalone
        if not set(c.indexes) & used
        and not _says_again(c, sentences, dek_words)
        and not (transcript and is_talk(c.text))
    ]
    most = min(count, max(1, reading.usable // 2))
    # A call's title names its subjects: the takeaways cover those the standfirst left out.
    unsaid = _content_words(title) - dek_words if transcript else None
    return dek, _select(rest, title, most, mentions, unsaid)


def select_takeaways(
    sentences: Sequence[str],
    *,
    title: str = "",
    count: int = 5,
    entities: Sequence[Entity] | None = None,
) -> tuple[Takeaway, ...]:
    """The takeaways shown under the article's own standfirst (no source description).

    At most `count`, and at most half of the article's usable sentences
    (whole prose sentences of 6 to 60 words). `entities` (found in these
    sentences) tell which later sentences carry concrete facts and whom an
    opening "He" or "She" names; without them, capitalised words and numbers
    stand in and such sentences are taken with the one before.

    Returned in reading order; each Takeaway's `sentences` holds the indexes
    of its source sentences in `sentences`.
    """
    return standfirst_and_takeaways(sentences, title=title, count=count, entities=entities)[1]


def standfirst(sentences: Sequence[str], *, title: str = "", description: str | None = None) -> str:
    """One or two whole sentences saying what happened: the dek under the headline.

    The source's own description wins when it is a good one (whole sentences,
    not the title again); otherwise the article's first sentence that can be
    read alone (in a transcript, the one that best matches the title), with
    the next one if the first is short.
    """
    return _standfirst(_read(sentences, None).standalone, sentences, title, description, None)[0]


def _select(
    candidates: list[_Candidate],
    title: str,
    count: int,
    mentions: Counter[int] | None,
    call_topics: frozenset[str] | None,
) -> tuple[Takeaway, ...]:
    """The takeaways: a news story's from its top, a call's (`call_topics` given) by substance."""
    title_words = _content_words(title)
    transcript = call_topics is not None
    priors = (
        _call_priors(candidates, mentions, call_topics) if transcript else _lead_priors(candidates)
    )
    by_lead = _lead_ranking(candidates, title_words, priors)
    chosen = _without_repeats(by_lead, [], min(count, _LEAD_PICKS))
    if count > len(chosen) and chosen:
        last = max(i for c in chosen for i in c.indexes)
        after_lead = [c for c in candidates if c.index > last]
        concrete = _concreteness(after_lead, mentions)
        if transcript:  # past the lead too, a call's takeaways are what it announced
            concrete = [
                score + prior
                for score, prior in zip(
                    concrete, _call_priors(after_lead, mentions, call_topics), strict=True
                )
            ]
        chosen += _coverage_picks(after_lead, chosen, title_words, concrete, count - len(chosen))
    if count > len(chosen):  # short stretches: fill from whatever is left, best first
        unused = [c for c in by_lead if c not in chosen]
        chosen += _without_repeats(unused, chosen, count - len(chosen))
    ordered = sorted(chosen, key=lambda candidate: candidate.index)
    return tuple(Takeaway(c.text, c.indexes) for c in ordered)


def _standfirst(
    candidates: list[_Candidate],
    sentences: Sequence[str],
    title: str,
    description: str | None,
    mentions: Counter[int] | None,
) -> tuple[str, set[int]]:
    """The standfirst, and the indexes of the sentences it took from the body."""
    if description and _is_good_description(description, title):
        return " ".join(split_sentences(" ".join(description.split()))[:2]), set()
    transcript = bool(questions(sentences))
    lead = _lead_pair(candidates, title, _call_priors(candidates, mentions) if transcript else None)
    if lead:
        return " ".join(c.text for c in lead), {i for c in lead for i in c.indexes}
    whole = [(i, s.strip()) for i, s in enumerate(sentences) if is_complete(s.strip())]
    index, text = (whole or [(0, s.strip()) for s in sentences[:1]] or [(0, "")])[0]
    return clean_sentence(text), {index}


def _lead_pair(
    candidates: list[_Candidate], title: str, call_priors: list[float] | None
) -> list[_Candidate]:
    """The first sentence that says what happened, with the next if it is short.

    In a transcript (`call_priors` given), the one or two sentences that best
    match the title and announce or decide something: a call opens on its
    framing, not its news.
    """
    if not candidates:
        return []
    if call_priors is None:
        return _with_next_if_short(candidates, 0)
    title_words = _content_words(title)

    def score(first: int) -> float:
        lead = _with_next_if_short(candidates, first)
        words = frozenset().union(*(c.words for c in lead))
        return _overlap(words, title_words) + call_priors[first]

    return _with_next_if_short(candidates, max(range(len(candidates)), key=score))


def _with_next_if_short(candidates: list[_Candidate], first: int) -> list[_Candidate]:
    lead = candidates[first]
    following = (c for c in candidates[first + 1 :] if c.index > lead.indexes[-1])
    after = next(following, None)
    short, longest = _STANDFIRST_WORDS
    words = word_count(lead.text)
    if after is not None and words < short and words + word_count(after.text) <= longest:
        return [lead, after]
    return [lead]


def _read(sentences: Sequence[str], entities: Sequence[Entity] | None) -> _Reading:
    asked = questions(sentences)
    cleaned = [clean_sentence(sentence) for sentence in sentences]
    prose = {i: text for i, text in enumerate(cleaned) if i not in asked and is_prose(text)}
    people = _people_by_sentence(entities)
    standalone = []
    for index, text in prose.items():
        candidate = _standing(index, text, prose, people)
        if candidate is not None:
            standalone.append(candidate)
    return _Reading(len(prose), _prepared_remarks(standalone, asked))


def _prepared_remarks(candidates: list[_Candidate], asked: frozenset[int]) -> list[_Candidate]:
    """A transcript's opening statements, where the news is announced, when there are enough."""
    if not asked:
        return candidates
    opening = [c for c in candidates if c.indexes[-1] < min(asked)]
    return opening if len(opening) >= _PREPARED_ENOUGH else candidates


def _standing(
    index: int, text: str, prose: dict[int, str], people: dict[int, set[str]] | None
) -> _Candidate | None:
    """The sentence as it can be read alone: as it is, naming its "He", or with the one before."""
    alone = without_connective(text)
    if not leans(alone):
        return _Candidate((index,), alone, _content_words(alone))
    named = _named_pronoun(index, alone, people)
    if named is not None:
        return _Candidate((index,), named, _content_words(named))
    before = prose.get(index - 1)
    if before is None or leans(before):
        return None
    joined = f"{before} {text}"
    if word_count(joined) > MAX_WORDS:
        return None
    return _Candidate((index - 1, index), joined, _content_words(joined))


def _named_pronoun(index: int, text: str, people: dict[int, set[str]] | None) -> str | None:
    """ "He testified..." as "Gordon Sondland testified..." when one person was just named."""
    pronoun = PRONOUN.match(text) or POSSESSIVE.match(text)
    if pronoun is None or people is None:
        return None
    near = set().union(*(people.get(i, set()) for i in range(index - _PRONOUN_REACH, index)))
    if len(near) != 1 or people.get(index):
        return None
    (name,) = near
    apostrophe = "’" if "’" in text else "'"
    owner = f"{name}{apostrophe}s" if POSSESSIVE.match(text) else name
    return owner + text[pronoun.end() :]


def _people_by_sentence(entities: Sequence[Entity] | None) -> dict[int, set[str]] | None:
    if entities is None:
        return None
    people: dict[int, set[str]] = {}
    for entity in entities:
        if entity.kind is EntityKind.PERSON:
            for mention in entity.mentions:
                people.setdefault(mention.sentence, set()).add(entity.name)
    return people


def _lead_ranking(
    candidates: list[_Candidate], title_words: frozenset[str], priors: list[float]
) -> list[_Candidate]:
    """The best first: content scores plus a prior (the top of the story, or a call's news)."""
    content = _content_scores(candidates, title_words)
    scores = [prior + s for prior, s in zip(priors, content, strict=True)]
    return [candidates[i] for i in sorted(range(len(candidates)), key=lambda i: -scores[i])]


def _lead_priors(candidates: list[_Candidate]) -> list[float]:
    """News puts the point first: a prior that decays with the sentence's rank."""
    return [_LEAD_WEIGHT * math.exp(-rank / _LEAD_DECAY) for rank in range(len(candidates))]


def _call_priors(
    candidates: list[_Candidate],
    mentions: Counter[int] | None,
    topics: frozenset[str] | None = None,
) -> list[float]:
    """A call's point is what was announced or decided, wherever the speaker said it."""
    return [
        substance(c.text, None if mentions is None else sum(mentions[i] for i in c.indexes))
        + _TOPIC_WEIGHT * _overlap(c.words, topics or frozenset())
        for c in candidates
    ]


def _coverage_picks(
    rest: list[_Candidate],
    chosen: list[_Candidate],
    title_words: frozenset[str],
    concrete: list[float],
    count: int,
) -> list[_Candidate]:
    """Beyond the lead, one takeaway from each of `count` equal stretches of the rest."""
    # Past the lead, a takeaway should carry concrete facts (names, numbers).
    content = [
        score + concreteness
        for score, concreteness in zip(_content_scores(rest, title_words), concrete, strict=True)
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
        _NAMED_WEIGHT
        * sum(mentions[i] for i in candidate.indexes)
        / (len(candidate.text.split()) + _NAMED_SMOOTHING)
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
    return _repeats_words(candidate.words, earlier.words) or _repeats_words(
        earlier.words, candidate.words
    )


def _says_again(candidate: _Candidate, sentences: Sequence[str], dek: frozenset[str]) -> bool:
    """Whether the takeaway, or either sentence of a pair, repeats the standfirst."""
    parts = [candidate.words] + [_content_words(sentences[i]) for i in candidate.indexes]
    return any(_repeats_words(words, dek) for words in parts)


def _repeats_words(words: frozenset[str], earlier: frozenset[str]) -> bool:
    """Whether most of these words were already said: the same fact again."""
    return len(words & earlier) / (len(words) + 1) > _MAX_SHARED


def _is_good_description(description: str, title: str) -> bool:
    text = " ".join(description.split())
    shortest, longest = _DESCRIPTION_CHARS
    if not shortest <= len(text) <= longest or text.endswith(("...", "…")):
        return False
    if not is_complete(text) or text[:1].islower():  # cut off at either end
        return False
    return _content_words(text) != _content_words(title)


def _content_words(text: str) -> frozenset[str]:
    words = set(map(str.lower, _WORD.findall(text))) - _stopwords()
    return frozenset(word for word in words if len(word) > 2)


@cache
def _stopwords() -> frozenset[str]:
    text = resources.files("newsdesk").joinpath("data", "stopwords.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))
