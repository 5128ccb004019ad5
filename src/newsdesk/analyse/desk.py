"""The Editor's Desk: what a development means, from the article and the record, no LLM.

`editors_desk(brief, record)` is a pure function of the brief and the record
the store hands it (`DeskRecord`: the pair's earlier events, the earlier
articles naming the same countries). Each point names the sentences of this
article and the earlier articles it rests on; a point that rests on neither
is never made. Only the body's sentences count as evidence: the source's own
panels (asides) are its opinion of itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.record import (
    EMPTY_RECORD,
    DeskRecord,
    StoredEvent,
    event_score,
    mean,
    pair_of,
    trend,
)
from newsdesk.analyse.sentences import split_sentences
from newsdesk.models import Analysis, Brief, Cited, EntityKind, Event, Point, PointKind

MAX_COUNTRIES = 3  # the countries whose record the desk asks for
MAX_CITED = 4  # earlier articles a record point names
UPGRADE = re.compile(
    r"\b(upgrad\w*|elevat\w*|rais(?:e|es|ed|ing) (?:their|the|its) (?:ties|relationship))", re.I
)
AGREEMENT_QUALIFIERS = frozenset(
    [
        "the",
        "a",
        "an",
        "new",
        "comprehensive",
        "strategic",
        "enhanced",
        "special",
        "global",
        "expanded",
        "upgraded",
    ]
)
CRITIC = re.compile(r"\b(critics?|opponents?|detractors|sceptics|skeptics|opposition)\b", re.I)
CONCERN = re.compile(r"\b(concerns?|backlash|criticis\w+|criticiz\w+|objections?)\b", re.I)
VIEW_VERB = (
    r"(?:warn|warned|warns|say|said|says|argue|argued|argues|fear|feared|fears|contend|"
    r"contends|caution|cautions|cautioned|claim|claims|claimed|complain|complained|accuse|accused|"
    r"criticised|criticized|condemned|rejected|protested|oppose|opposed|prefer|prefers)"
)
HOLDER_VIEW = re.compile(
    rf"^(?:[A-Z]\w*, )?(?P<holder>[A-Z][^,;:]{{2,80}}?)(?:, however,| also)? (?P<verb>{VIEW_VERB})\b"
    r"(?: that)? (?P<claim>.+)$"
)
GROUP_VIEW = re.compile(
    r"(?P<holder>(?:[A-Z][\w-]*\s+){0,3}(?:nations|neighbou?rs|countries|states|governments|capitals))"
    rf"\s+(?:that|which|who)\s+(?P<verb>{VIEW_VERB})\s+(?P<claim>[^,;]+)"
)
STAKES = re.compile(
    r"\b(at stake|stakes|in question|sustainab\w+|risks?|destabili\w+|security dilemma|"
    r"tested|threatens?|jeopardi\w+|could unravel)\b",
    re.I,
)
LEADING_CONNECTOR = re.compile(r"^(?:Yet|But|However|Furthermore|Moreover|Still|And|Thus|So),?\s+")
CONFLICT_FLOOR = -5.0  # MOBILIZE and worse: an escalation when new to the pair


def editors_desk(brief: Brief, record: DeskRecord = EMPTY_RECORD) -> Analysis | None:
    """The desk's points, in the page's order; None when there is nothing to analyse."""
    body = body_sentences(brief)
    countries = main_countries(brief)
    names = _country_names(brief)
    pair = _main_pair(brief, countries)
    earlier = record.pair_events.get(pair, ()) if pair else ()
    made: list[Point | None] = [
        _actors(brief, countries, names, body),
        *_changes(brief, pair, earlier, names, body),
        _record(record, names),
        _trend(brief, pair, earlier, names),
        _critics(brief, body),
        _other_side(brief, countries, body),
        _stakes(brief, body),
    ]
    points = tuple(p for p in made if p is not None and (p.sentences or p.articles))
    if not points:
        return None
    return Analysis(points=points, cited=_cited(points, record, earlier))


def body_sentences(brief: Brief) -> int:
    """How many of the brief's sentences are the body's (the asides follow them)."""
    asides = sum(len(split_sentences(aside)) for aside in brief.article.asides)
    return max(0, len(brief.sentences) - asides)


def main_countries(brief: Brief) -> tuple[str, ...]:
    """The article's countries, most events then most mentions first (at most three)."""
    in_events: Counter[str] = Counter()
    for event in brief.events:
        for side in (event.actor, event.target):
            if side is not None and side.country:
                in_events[side.country] += 1
    mentions = {e.country: len(e.sentence_indexes) for e in brief.entities
                if e.kind == EntityKind.COUNTRY and e.country}  # fmt: skip
    ranked = sorted(set(in_events) | set(mentions),
                    key=lambda c: (-in_events[c], -mentions.get(c, 0), c))  # fmt: skip
    return tuple(ranked[:MAX_COUNTRIES])


def _main_pair(brief: Brief, countries: Sequence[str]) -> tuple[str, str] | None:
    pairs = Counter(p for e in brief.events if (p := pair_of(e)))
    if pairs:
        return pairs.most_common(1)[0][0]
    if len(countries) >= 2:
        a, b = sorted(countries[:2])
        return (a, b)
    return None


def _country_names(brief: Brief) -> dict[str, str]:
    names = {
        e.country: e.name for e in brief.entities if e.kind == EntityKind.COUNTRY and e.country
    }
    for event in brief.events:
        for side in (event.actor, event.target):
            if side is not None and side.country and side.country not in names:
                names[side.country] = side.country
    return names


def _name(code: str, names: dict[str, str]) -> str:
    name = names.get(code, code)
    return f"the {name}" if name in _WITH_THE else name


_WITH_THE = frozenset({"Philippines", "United States", "United Kingdom", "Netherlands",
                       "United Arab Emirates", "Czech Republic", "Republic of Korea"})  # fmt: skip


def _and(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _pair_events(brief: Brief, pair: tuple[str, str] | None, body: int) -> list[Event]:
    return [e for e in brief.events if pair and pair_of(e) == pair and e.sentence < body]


# -- actors -------------------------------------------------------------------


def _actors(
    brief: Brief, countries: Sequence[str], names: dict[str, str], body: int
) -> Point | None:
    if not countries:
        return None
    people = [e for e in brief.entities if e.kind == EntityKind.PERSON and e.country in countries
              and e.role and e.sentence_indexes and e.sentence_indexes[0] < body]  # fmt: skip
    parts = []
    for code in countries[:2]:
        acts = Counter(
            e.action for e in brief.events if e.actor.country == code and e.sentence < body
        )
        leaders = [f"{p.role} {p.name}" for p in people if p.country == code][:2]
        part = _name(code, names) + (f" ({', '.join(leaders)})" if leaders else "")
        if acts:
            part += " acting in " + _and([f"{n} {a}" for a, n in acts.most_common(3)]) + " events"
        parts.append(part)
    text = "The two sides: " + " and ".join(parts) if len(parts) == 2 else "The actor: " + parts[0]
    if len(countries) > 2:
        text += f", with {_name(countries[2], names)} also named"
    text += "."
    sentences = {e.sentence for e in brief.events if e.sentence < body}
    sentences |= {p.sentence_indexes[0] for p in people}
    if not sentences:
        sentences = {i for e in brief.entities if e.country in countries
                     for i in e.sentence_indexes[:1] if i < body}  # fmt: skip
    return Point(PointKind.ACTORS, text, tuple(sorted(sentences))[:6])


# -- what changed ---------------------------------------------------------------


def agreement_kind(name: str) -> str:
    """An agreement's kind: its name without qualifiers ("partnership", "access agreement")."""
    words = [w for w in re.findall(r"[\w-]+", name.lower()) if w not in AGREEMENT_QUALIFIERS]
    return " ".join(words)


def _changes(
    brief: Brief, pair: tuple[str, str] | None, earlier: Sequence[StoredEvent],
    names: dict[str, str], body: int,
) -> list[Point | None]:  # fmt: skip
    if pair is None:
        return []
    sides = _and([_name(c, names) for c in pair])
    return [
        _upgrade(brief, sides, earlier, body)
        or _first_agreement(brief, pair, sides, earlier, body),
        _reversal(brief, pair, sides, earlier, body),
        _escalation(brief, pair, sides, earlier, body),
    ]


def _upgrade(brief: Brief, sides: str, earlier: Sequence[StoredEvent], body: int) -> Point | None:
    """An agreement the article says is an upgrade, or a fuller form of one already recorded."""
    for agreement in (e for e in brief.entities if e.kind == EntityKind.AGREEMENT):
        said = [
            i for i in agreement.sentence_indexes if i < body and UPGRADE.search(brief.sentences[i])
        ]
        before = [s for s in earlier if s.event.object and s.event.object != agreement.name
                  and agreement_kind(s.event.object) == agreement_kind(agreement.name)]  # fmt: skip
        if before:
            last = before[-1]
            text = (f"An upgrade: {sides} move from the {last.event.object} ({last.month}) "
                    f"to the {agreement.name}.")  # fmt: skip
            return Point(
                PointKind.CHANGE, text, tuple(agreement.sentence_indexes[:2]), (last.article_id,)
            )
        if said:
            text = f"An upgrade: {sides} raise their relationship to the {agreement.name}."
            if earlier:
                text += f" None of their {len(earlier)} earlier events in the record is an agreement of this kind."
            return Point(PointKind.CHANGE, text, tuple(said[:2]), _latest_articles(earlier))
    return None


def _first_agreement(
    brief: Brief, pair: tuple[str, str], sides: str, earlier: Sequence[StoredEvent], body: int
) -> Point | None:
    if not earlier:
        return None  # "first" needs a record to be first in
    known = {agreement_kind(s.event.object) for s in earlier if s.event.action == "AGREE"}
    for event in _pair_events(brief, pair, body):
        if event.action == "AGREE" and event.object and agreement_kind(event.object) not in known:
            text = (f"A first: the {event.object} is the first agreement of its kind between "
                    f"{sides} in the record ({len(earlier)} earlier events).")  # fmt: skip
            return Point(PointKind.CHANGE, text, (event.sentence,), _latest_articles(earlier))
    return None


def _reversal(
    brief: Brief, pair: tuple[str, str], sides: str, earlier: Sequence[StoredEvent], body: int
) -> Point | None:
    now = _pair_events(brief, pair, body)
    if len(earlier) < 3 or not now:
        return None
    before, after = mean(s.score for s in earlier), mean(event_score(e) for e in now)
    if before * after >= 0 or min(abs(before), abs(after)) < 1:
        return None
    turn = "from cooperation to conflict" if before > 0 else "from conflict to cooperation"
    text = (f"A reversal {turn}: the {len(earlier)} earlier events between {sides} average "
            f"{before:+.1f}; this article's average {after:+.1f}.")  # fmt: skip
    return Point(PointKind.CHANGE, text, _sentences_of(now), _latest_articles(earlier))


def _escalation(
    brief: Brief, pair: tuple[str, str], sides: str, earlier: Sequence[StoredEvent], body: int
) -> Point | None:
    now = [e for e in _pair_events(brief, pair, body) if event_score(e) <= CONFLICT_FLOOR]
    if not now or not earlier:
        return None
    worst = min(now, key=event_score)
    if min(s.score for s in earlier) <= event_score(worst):
        return None
    text = (f"An escalation: the first {worst.action} event between {sides} in the record "
            f"({len(earlier)} earlier events, none as conflictual).")  # fmt: skip
    return Point(PointKind.CHANGE, text, (worst.sentence,), _latest_articles(earlier))


def _latest_articles(events: Sequence[StoredEvent], count: int = 3) -> tuple[str, ...]:
    ids = list(dict.fromkeys(s.article_id for s in reversed(events)))
    return tuple(ids[:count])


def _sentences_of(events: Iterable[Event]) -> tuple[int, ...]:
    return tuple(sorted({e.sentence for e in events}))[:6]


# -- the record and the trend ---------------------------------------------------------


def _record(record: DeskRecord, names: dict[str, str]) -> Point | None:
    if not record.together:
        return None
    picked = _best_cited(record.together, record.countries)
    who = _and([_name(c, names) for c in record.countries])
    first, last = record.together[0].published, record.together[-1].published
    span = f" ({first[:7]} to {last[:7]})" if first and last and first[:7] != last[:7] else ""
    first_cited = picked[0]
    named = f"“{first_cited.title}”" + (
        f" ({first_cited.published[:10]})" if first_cited.published else ""
    )
    more = f" and {len(picked) - 1} more linked here" if len(picked) > 1 else ""
    text = (f"The record: {len(record.together)} earlier articles name {who} together{span}, "
            f"among them {named}{more}.")  # fmt: skip
    return Point(PointKind.RECORD, text, (), tuple(c.id for c in picked))


def _best_cited(together: Sequence[Cited], countries: Sequence[str]) -> list[Cited]:
    """The earlier articles whose titles name the most of the countries, shown oldest first."""

    def named(cited: Cited) -> int:
        found = {e.country for e in find_entities([cited.title]) if e.kind == EntityKind.COUNTRY}
        several = "trilateral" in cited.title.lower() and len(countries) >= 3
        return len(found & set(countries)) + int(several)

    scores = {c.id: named(c) for c in together}
    titled = [c for c in together if scores[c.id]] or list(together)
    ranked = sorted(titled, key=lambda c: (-scores[c.id], c.published or "", c.id))[:MAX_CITED]
    return sorted(ranked, key=lambda c: (c.published or "", c.id))


def _trend(
    brief: Brief,
    pair: tuple[str, str] | None,
    earlier: Sequence[StoredEvent],
    names: dict[str, str],
) -> Point | None:
    if pair is None or len(earlier) < 2:
        return None
    periods = trend(earlier)
    categories = Counter(s.event.action for s in earlier).most_common(2)
    sides = _and([_name(c, names) for c in pair])
    span = f" from {periods[0].period} to {periods[-1].period}" if len(periods) > 1 else ""
    text = (f"The trend: {len(earlier)} earlier events between {sides}{span}, mostly "
            f"{_and([c for c, _ in categories])}, average {mean(s.score for s in earlier):+.1f}")  # fmt: skip
    now = _pair_events(brief, pair, body_sentences(brief))
    if now:
        score = mean(event_score(e) for e in now)
        before = mean(s.score for s in earlier)
        word = "more cooperative than" if score > before + 0.5 else (
            "more conflictual than" if score < before - 0.5 else "in line with")  # fmt: skip
        text += f"; this article's {len(now)} events average {score:+.1f}, {word} the record"
    return Point(PointKind.TREND, text + ".", _sentences_of(now), _latest_articles(earlier))


# -- what others say, what is at stake ------------------------------------------------


def _critics(brief: Brief, body: int) -> Point | None:
    critical = [i for i in range(body) if CRITIC.search(brief.sentences[i])]
    critical += [e.sentence for e in brief.events if e.action == "DISAPPROVE" and e.sentence < body]
    if not critical:
        return None
    first = min(critical)
    view = HOLDER_VIEW.match(_plain(brief.sentences[first]))
    if view:
        text = f"{view['holder']} {view['verb']} that {_clause(view['claim'])}"
    else:
        text = f"As the article reports the critics: {_clause(_plain(brief.sentences[first]))}"
    more = [i for i in range(first + 1, body) if CONCERN.search(brief.sentences[i])][:2]
    return Point(PointKind.CRITICS, text, (first, *more))


def _other_side(brief: Brief, countries: Sequence[str], body: int) -> Point | None:
    """The view of a party other than the article's main two, attributed to whoever holds it."""
    main = set(countries[:2])
    others = [
        e.name for e in brief.entities if e.kind == EntityKind.COUNTRY and e.country not in main
    ]
    for i in range(body):
        sentence = _plain(brief.sentences[i])
        group = GROUP_VIEW.search(sentence)
        if group:
            text = f"{group['holder']}, the article says, {group['verb']} {_clause(group['claim'])}"
            return Point(PointKind.OTHER_SIDE, text, (i,))
        view = HOLDER_VIEW.match(sentence)
        if view and any(name in view["holder"] for name in others):
            text = f"{view['holder']} {view['verb']} that {_clause(view['claim'])}"
            return Point(PointKind.OTHER_SIDE, text, (i,))
    return None


def _stakes(brief: Brief, body: int) -> Point | None:
    taken = set()
    for event in brief.events:
        if event.action == "DISAPPROVE":
            taken.add(event.sentence)
    found = [i for i in range(body) if STAKES.search(brief.sentences[i])
             and not CRITIC.search(brief.sentences[i]) and i not in taken]  # fmt: skip
    if not found:
        return None
    picked = found[-2:]  # an article states what is at stake as it closes
    text = "What is at stake: " + " ".join(_capital(_clause(LEADING_CONNECTOR.sub("", _plain(brief.sentences[i]))))
                                           for i in picked)  # fmt: skip
    return Point(PointKind.STAKES, text, tuple(picked))


def _plain(sentence: str) -> str:
    return " ".join(sentence.split())


def _clause(text: str) -> str:
    """`text` as the end of a point: stripped, ending in a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "’", "'", "”")) else text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cited(
    points: Sequence[Point], record: DeskRecord, earlier: Sequence[StoredEvent]
) -> tuple[Cited, ...]:
    known = {c.id: c for c in record.together}
    for stored in earlier:
        known.setdefault(
            stored.article_id, Cited(stored.article_id, stored.title, stored.published)
        )
    ids = dict.fromkeys(i for p in points for i in p.articles)
    return tuple(known[i] for i in ids if i in known)
