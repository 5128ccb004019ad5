"""Which country an actor acts for when its own words do not say: people and officials.

The event coder gives an actor the country its own phrase names ("Japanese Prime Minister
Fumio Kishida", "Montenegro's prime minister", "Beijing" for China, from the entity
finder's tables). Many actors have none: "Kishida", "the foreign minister", "the Vice
President", "police", "protesters". `affiliate` answers for them, the first step that
knows winning:

1. the leaders table (``data/leaders.tsv``): heads of state and government and foreign
   ministers of the countries the demo corpus names, by name or listed alias;
2. the article's own people: a bare title ("the Vice President", "the foreign minister")
   is the article's one person of that title with a country;
3. the article's home: the country the article names most (for one sentence alone, the
   sentence's; on a tie, the one where the sentence's act takes place, "in Lebanon", then
   the first named). News, and the PLOVER coders, file a domestic actor (a government,
   its forces, police, rebels, protesters, people) under the country it acts in.

Bodies that belong to no country (the UN, the Red Cross, Amnesty International: the
sectors "international organisation" and "civil society") are never affiliated, and a
refugee is not of the country that hosts him. An actor in an article that names no
country stays without one: a country is never guessed from nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsdesk.models import Entity, EntityKind

# Sectors of actors that belong to no country, or not to the one they are in.
STATELESS_SECTORS = frozenset({"international organisation", "civil society", "refugees"})
# The last word of an organisation's name that makes it a domestic body ("... Party").
_DOMESTIC_BODIES = frozenset(
    {"party", "front", "movement", "army", "militia", "brigade", "brigades", "congress",
     "parliament", "assembly", "government", "police", "union", "league", "council"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    """A country named in the sentence: at which token, and whether the act is there."""

    position: int
    country: str
    located: bool  # after "in", "at", "near": where the act takes place


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What the whole article says about who is from where."""

    by_title: dict[str, str]  # lowercase title -> the country of its one holder
    mentions: Counter[str]  # country -> how many times the article names it


@dataclass(frozen=True, slots=True)
class Leader:
    name: str
    role: str
    country: str


def article_context(entities: Sequence[Entity]) -> ArticleContext:
    """The article's people by title, and how often it names each country."""
    holders: dict[str, set[str]] = {}
    mentions: Counter[str] = Counter()
    for entity in entities:
        if entity.kind is EntityKind.COUNTRY and entity.country:
            mentions[entity.country] += len(entity.mentions)
        country = entity.country or leader_country(entity.name)
        if entity.kind is EntityKind.PERSON and entity.role and country:
            for title in _titles(entity.role):
                holders.setdefault(title, set()).add(country)
    by_title = {title: next(iter(c)) for title, c in holders.items() if len(c) == 1}
    return ArticleContext(by_title, mentions)


def _titles(role: str) -> set[str]:
    """A role and its bare title: "Former Prime Minister" is also "prime minister"."""
    words = role.lower().replace("-", " ").split()
    while words and words[0] in ("former", "acting"):
        words = words[1:]
    return {" ".join(words)} if words else set()


def affiliate(
    *,
    name: str,
    kind: EntityKind | None,
    sector: str,
    places: Sequence[Place],
    context: ArticleContext,
) -> str | None:
    """The country the actor acts for, or None when nothing in the article says."""
    if sector in STATELESS_SECTORS or not _may_belong(name, kind):
        return None
    if kind is EntityKind.PERSON:
        found = leader_country(name)
        if found:
            return found
    if kind is None:
        found = context.by_title.get(" ".join(_bare_title(name)))
        if found:
            return found
    return home_country(places, context)


def _may_belong(name: str, kind: EntityKind | None) -> bool:
    if kind is EntityKind.ORGANISATION:
        return name.split()[-1].lower() in _DOMESTIC_BODIES
    return kind in (None, EntityKind.PERSON)


def _bare_title(name: str) -> list[str]:
    words = name.lower().replace("-", " ").split()
    while words and words[0] in ("the", "a", "an", "former", "acting"):
        words = words[1:]
    return words


def home_country(places: Sequence[Place], context: ArticleContext) -> str | None:
    """The country the article names most; on a tie, where the sentence's act is, then
    the sentence's first country, then the article's first."""
    if not context.mentions:
        return None
    most = max(context.mentions.values())
    best = {c for c, n in context.mentions.items() if n == most}
    if len(best) == 1:
        return next(iter(best))
    ranked = sorted(places, key=lambda p: (not p.located, p.position))
    in_sentence = [p.country for p in ranked if p.country in best]
    return in_sentence[0] if in_sentence else next(c for c in context.mentions if c in best)


def leader_country(name: str) -> str | None:
    """The country of a listed leader, by name or alias."""
    leader = _leaders().get(name)
    return leader.country if leader else None


@cache
def _leaders() -> dict[str, Leader]:
    text = resources.files("newsdesk").joinpath("data", "leaders.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and line[0] != "#"][1:]
    table: dict[str, Leader] = {}
    for name, role, country, _start, _end, aliases in ((r + [""] * 6)[:6] for r in rows):
        leader = Leader(name, role, country)
        for form in [name, *(a for a in aliases.split("|") if a)]:
            table.setdefault(form, leader)
    return table
