"""Find the countries, people, organisations, agreements, policies and weapons an article names.

The sentences are joined into one text and scanned a handful of times, each scan one
precompiled regex: a trie of every country form (names, aliases, demonyms, capitals), a
trie of every listed organisation, agreement, weapon and well-known person, and patterns
for what no table lists: people after a title ("Philippine President Ferdinand Marcos Jr."),
"<country> Coast Guard", capitalised phrases ending in "Agreement", "X-class frigates",
designators such as "TC-90 training aircraft". A phrase ending in a policy word ("Abe
Doctrine", "National Defense Strategy") or opening "Free and Open" is one side's policy, unless
its words say it is between parties ("Trilateral ... Framework"): then it is an agreement.

People are then made one per person in the article: one called by surname alone ("Ambassador
Sondland") takes the full name the article gives anywhere ("Gordon Sondland"), and spellings of
one surname ("Zelenskiy", "Zelenskyy", "Zelensky") are one person, by the groups of
``name_variants.txt`` and, within one article, when they are one i/y/j, h or doubled letter
apart and the given names do not differ ("Johnson" and "Johnston", "Hanson" and "Hansen" stay
two people). A last scan of capitalised words picks up later
mentions by surname ("Takaichi") or by an abbreviation defined in parentheses ("Reciprocal
Access Agreement (RAA)"). The tables are TSV files in ``newsdesk/data``.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from itertools import combinations

from newsdesk.models import Entity, EntityKind, Mention

_SPACE = r"[^\S\n]+"  # whitespace that stays inside one sentence of the joined text
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = r"[^\W\dA-Z_]"  # any letter but an ASCII capital: ñ, é, ü ... count
_NAME_WORD = (
    rf"(?!(?:Jr|Sr)\.)(?:[{_UPPER}]{_LOWER}+(?:-[A-Za-z]{_LOWER}+|['’][{_UPPER}]{_LOWER}+)*"
    rf"|Mc[A-Z]{_LOWER}+|[A-Z]['’][A-Z]{_LOWER}+|[A-Z]\.|(?:al|el)-[{_UPPER}]{_LOWER}+)"
)
_PARTICLE = r"(?:bin|binti|van|von|der|den|de|del|da|dos|al|la|le)"
_NAME = (
    rf"{_NAME_WORD}(?:{_SPACE}(?:{_PARTICLE}{_SPACE}){{0,2}}"
    rf"{_NAME_WORD}){{0,3}}(?:,?{_SPACE}(?:Jr\.|Sr\.|III|II|IV)(?![\w.]))?"
)
_ROLE_MODIFIER = (
    rf"(?:(?:Deputy|Vice|Acting|Former|former|Senior|Chief|First|Under|Assistant){_SPACE})*"
)
_POSSESSIVE_GAP = re.compile(rf"(?:['’]s)?{_SPACE}$")
_OF_COUNTRY = re.compile(rf",?{_SPACE}of{_SPACE}(?:the{_SPACE})?")
_MINISTRY = re.compile(
    rf"(?<![\w-])(?:Ministry|Department){_SPACE}(?:of|for){_SPACE}(?:the{_SPACE})?"
    rf"[A-Z]\w+(?:(?:,?{_SPACE}and{_SPACE}|,{_SPACE}|{_SPACE})[A-Z]\w+){{0,4}}"
)
_ABBREVIATION_AFTER = re.compile(
    rf"['’\"”,]?{_SPACE}?\((?P<abbreviation>[A-Z][A-Za-z0-9&-]{{1,9}})\)"
)
_WORD = re.compile(r"\S+")
_FOLLOWED_BY_CAPITAL = re.compile(rf"{_SPACE}[A-Z]")
_PRECEDED_BY_CAPITAL = re.compile(rf"(?<!\S)[A-Z][\w.'’-]*{_SPACE}$")
_NAME_SUFFIXES = frozenset({"Jr.", "Sr.", "II", "III", "IV", "Jr", "Sr"})


@dataclass(frozen=True, slots=True)
class _Named:
    """What a table or a pattern says a piece of text names; kind None for a non-entity."""

    kind: EntityKind | None
    name: str
    country: str | None = None
    role: str = ""
    standalone_only: bool = False


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    named: _Named
    from_table: bool = False


@dataclass(frozen=True, slots=True)
class _Countries:
    by_form: dict[str, _Named]
    adjective: dict[str, str]  # alpha3 -> the form used to name its organisations
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Things:
    by_form: dict[str, _Named]
    pattern: re.Pattern[str]


def find_entities(sentences: Sequence[str]) -> tuple[Entity, ...]:
    """All entities named in the sentences, merged by canonical name, each with its mentions
    (Mention(sentence=index, text=surface form)). Ordered by first mention."""
    text = "\n".join(sentence.replace("\n", " ") for sentence in sentences)
    countries = _scan_countries(text)
    found = _resolve_overlaps(_scan_things(text, countries))
    found = _with_full_names(text, found)
    found = _with_spellings_merged(found)
    found = _with_person_names_merged(found)
    found += _later_mentions(text, found)
    return _merge(text, countries + found)


# --- scans -------------------------------------------------------------------------------


def _scan_countries(text: str) -> list[_Found]:
    table = _countries()
    found = []
    for match in table.pattern.finditer(text):
        named = table.by_form[match.group()]
        if named.kind is None:
            continue
        if named.standalone_only and not _stands_alone(text, match.start(), match.end()):
            continue
        found.append(_Found(match.start(), match.end(), named))
    return found


def _scan_things(text: str, countries: list[_Found]) -> list[_Found]:
    table_hits = _table_hits(text)
    return [
        *table_hits,
        *_people(text, countries),
        *_country_organisations(text, countries),
        *_ministries(text, countries),
        *_agreements(text, table_hits, countries),
        *_free_and_open(text),
        *_classed_vessels(text),
        *_designated_weapons(text),
    ]


def _table_hits(text: str) -> list[_Found]:
    table = _things()
    return [
        _Found(match.start(), match.end(), table.by_form[match.group()], from_table=True)
        for match in table.pattern.finditer(text)
    ]


def _people(text: str, countries: list[_Found]) -> list[_Found]:
    found = []
    for match in _person_pattern().finditer(text):
        name = _trimmed_name(match.group("name"))
        if not name:
            continue
        start = match.start("name")
        end = start + len(name)
        country = _country_before(text, match.start(), countries) or _country_after(
            text, end, countries
        )
        found.append(_Found(start, end, _person(name, _role(match.group("role")), country)))
    return found


def _person(name: str, role: str, country: str | None) -> _Named:
    known = _things().by_form.get(name) or _things().by_form.get(name.replace(", ", " "))
    known = known if known and known.kind is EntityKind.PERSON else _known_surnames().get(name)
    if known:
        return replace(known, role=role or known.role, country=country or known.country)
    return _Named(EntityKind.PERSON, name.replace(", ", " "), country, role)


def _trimmed_name(name: str) -> str:
    """The name cut before the first word that cannot belong to one ("Biden Meets")."""
    words = name.split()
    for index, word in enumerate(words):
        if word.rstrip(",") in _name_stopwords() or word in _countries().by_form:
            words = words[:index]
            break
    while words and len(words[-1]) == 2 and words[-1].endswith("."):
        words.pop()  # a trailing initial is the sentence's full stop after an abbreviation
    if not words or words[0] in _NAME_SUFFIXES or words[0] in _role_words():
        return ""
    if words[0].lower() in _MODIFIER_WORDS:
        return ""
    return " ".join(words).rstrip(",")


def _role(surface: str) -> str:
    """The canonical title, keeping modifiers: "Vice Adm." -> "Vice Admiral"."""
    title = " ".join(surface.split())
    if title in _roles():
        return _roles()[title]
    words = title.split()
    modifiers = []
    while words and words[0].lower() in _MODIFIER_WORDS:
        modifiers.append(words.pop(0).capitalize())
    rest = " ".join(words)
    return " ".join([*modifiers, _roles().get(rest, rest)])


_MODIFIER_WORDS = frozenset(
    {"deputy", "vice", "acting", "former", "senior", "chief", "first", "under", "assistant"}
)


def _country_before(text: str, start: int, countries: list[_Found]) -> str | None:
    for hit in countries:
        if hit.end <= start and _POSSESSIVE_GAP.fullmatch(text, hit.end, start):
            return hit.named.country
    return None


def _country_after(text: str, end: int, countries: list[_Found]) -> str | None:
    gap = _OF_COUNTRY.match(text, end)
    if not gap:
        return None
    for hit in countries:
        if hit.start == gap.end():
            return hit.named.country
    return None


def _country_organisations(text: str, countries: list[_Found]) -> list[_Found]:
    found = []
    suffix = _organisation_suffix_pattern()
    for hit in countries:
        match = suffix.match(text, hit.end)
        if match and hit.named.country:
            organisation = match.group("organisation")
            named = _organisation(text[hit.start : hit.end], organisation, hit.named.country)
            found.append(_Found(hit.start, match.end(), named))
    return found


def _organisation(country_form: str, organisation: str, country: str) -> _Named:
    table = _things().by_form
    adjective = _countries().adjective.get(country, country_form)
    for form in (f"{country_form} {organisation}", f"{adjective} {organisation}"):
        if form in table:
            return table[form]
    if organisation.islower():
        organisation = organisation.title()
    return _Named(EntityKind.ORGANISATION, f"{adjective} {organisation}", country)


def _ministries(text: str, countries: list[_Found]) -> list[_Found]:
    found = []
    for match in _MINISTRY.finditer(text):
        name = _cut_at_role_word(match.group())
        end = match.start() + len(name)
        country = _country_before(text, match.start(), countries) or _country_after(
            text, end, countries
        )
        adjective = _countries().adjective.get(country or "", "")
        canonical = f"{adjective} {name}" if adjective else name
        named = _things().by_form.get(canonical) or _Named(
            EntityKind.ORGANISATION, canonical, country
        )
        found.append(_Found(match.start(), end, named))
    return found


def _cut_at_role_word(name: str) -> str:
    words = name.split()
    for index, word in enumerate(words[2:], start=2):
        if word in _role_words() or word in _name_stopwords():
            return " ".join(words[:index]).rstrip(",")
    return name.rstrip(",")


def _agreements(text: str, table_hits: list[_Found], countries: list[_Found]) -> list[_Found]:
    """Agreements and policies: capitalised phrases ending in one of their head words."""
    found = []
    table_ends = {hit.end: hit for hit in table_hits if hit.named.kind in _ARRANGEMENTS}
    for keyword in _agreement_word_pattern().finditer(text):
        if _FOLLOWED_BY_CAPITAL.match(text, keyword.end()):
            continue  # not the head of its phrase: "Treaty Organization", "Partnership Strategy"
        start = _agreement_start(text, _run_start(text, keyword.start()), keyword.start())
        end = keyword.end()
        if end in table_ends:
            found.append(replace(table_ends[end], start=min(start, table_ends[end].start)))
        elif start < keyword.start():
            found.append(_Found(start, end, _arrangement(text, start, end, countries)))
    return found


_ARRANGEMENTS = frozenset({EntityKind.AGREEMENT, EntityKind.POLICY})


def _arrangement(text: str, start: int, end: int, countries: list[_Found]) -> _Named:
    """An agreement, or a policy of the country named just before it ("Japan's ... Strategy")."""
    name = text[start:end]
    if arrangement_kind(name) is EntityKind.AGREEMENT:
        return _Named(EntityKind.AGREEMENT, name)
    first = name.split()[0]
    if first in _role_words() or first.lower() in _MODIFIER_WORDS:
        return _Named(None, name)  # a title ("Deputy Secretary for Strategy"), not a policy
    if first in _body_words() or _body_of_pattern().search(text, max(0, start - 40), start):
        return _Named(None, name)  # a body's: "Bureau of Cyberspace and Digital Policy"
    return _Named(EntityKind.POLICY, name, _country_before(text, start, countries))


def arrangement_kind(name: str) -> EntityKind:
    """POLICY when the name is one side's: its head word is a policy word ("Abe Doctrine",
    "One China policy") or it opens "Free and Open"; AGREEMENT when the head is an agreement
    word or the name says it is between parties ("Trilateral ... Framework", "U.S.-Japan ...")."""
    words = name.split()
    if any(word in _party_words() or _is_country_pair(word) for word in words):
        return EntityKind.AGREEMENT
    if words[-1].capitalize() in _policy_words() or name.startswith("Free and Open "):
        return EntityKind.POLICY
    return EntityKind.AGREEMENT


def _is_country_pair(word: str) -> bool:
    """ "U.S.-Japan", "U.S.-ASEAN": countries or listed bodies joined by hyphens."""
    parts = word.split("-")
    return len(parts) > 1 and all(part in _known_forms() for part in parts)


@cache
def _known_forms() -> frozenset[str]:
    return frozenset(_countries().by_form.keys() | _things().by_form.keys())


def _free_and_open(text: str) -> list[_Found]:
    """ "Free and Open <Region>": the strategy a country names so ("Free and Open Indo-Pacific")."""
    if "Free and Open" not in text:
        return []
    found = []
    for match in _FREE_AND_OPEN.finditer(text):
        named = _things().by_form.get(match.group()) or _Named(EntityKind.POLICY, match.group())
        found.append(_Found(match.start(), match.end(), named))
    return found


_FREE_AND_OPEN = re.compile(rf"(?<![\w-])Free and Open(?:{_SPACE}[A-Z][\w-]*[\w])+")


def _run_start(text: str, end: int) -> int:
    """Start of the capitalised words (with "of", "and" ... between) just before `end`."""
    window_start = max(text.rfind("\n", 0, end) + 1, end - 160)
    start = position = end
    for word in reversed(text[window_start:end].split(" ")[:-1]):
        position -= len(word) + 1
        if word[-1:] in ",;:)" or _ROMAN_OR_LETTER.fullmatch(word):
            break  # punctuation ends the name; "Article V of the ..." is not part of it
        bare = word.lstrip("'‘\"“(")
        if bare[:1].isupper():
            start = position + len(word) - len(bare)
            if bare != word:
                break  # an opening quote starts the name
        elif word not in _CONNECTORS:
            break
    return start


_ROMAN_OR_LETTER = re.compile(r"[IVX]+|[A-Z]")
_CONNECTORS = frozenset({"of", "and", "for", "on", "the", "to", "in", "between"})


def _agreement_start(text: str, start: int, keyword_start: int) -> int:
    """Skip leading sentence openers and connectors, and all up to a possessive ("Japan's")
    or to a "the" that follows a verb of a heading ("Launching the Pacific Vision")."""
    words = [(m.start(), m.group()) for m in _WORD.finditer(text, start, keyword_start)]
    first = keyword_start
    for index in range(len(words) - 1, -1, -1):
        position, word = words[index]
        if word in _name_stopwords() or word.endswith(("'s", "’s")):
            break
        if word == "the" and index and words[index - 1][1] not in _CONNECTORS:
            break
        if word not in _CONNECTORS:
            first = position
    return first


def _classed_vessels(text: str) -> list[_Found]:
    if "class" not in text:
        return []
    found = []
    for match in _classed_vessel_pattern().finditer(text):
        words = match.group("class").split()
        while words and (words[0] in _name_stopwords() or words[0] in _countries().by_form):
            words.pop(0)
        if not words:
            continue
        name = f"{' '.join(words)}-class {match.group('noun')}"
        start = match.end("class") - len(" ".join(words))
        named = _things().by_form.get(name) or _Named(EntityKind.WEAPON, name)
        found.append(_Found(start, match.end(), named))
    return found


def _designated_weapons(text: str) -> list[_Found]:
    found = []
    for match in _designator_pattern().finditer(text):
        code = match.group("code")
        named = _things().by_form.get(code) or _Named(EntityKind.WEAPON, code)
        found.append(_Found(match.start(), match.end(), named))
    return found


# --- merging -----------------------------------------------------------------------------


def _resolve_overlaps(found: list[_Found]) -> list[_Found]:
    """Keep the longest of overlapping finds (a table's on a tie), then order them by place."""
    kept: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(found, key=lambda f: (f.start - f.end, not f.from_table, f.start)):
        if hit.named.kind is not None and not _overlaps(hit, taken):
            kept.append(hit)
            taken.append((hit.start, hit.end))
    return sorted(kept, key=lambda f: f.start)


def _overlaps(hit: _Found, taken: Iterable[tuple[int, int]]) -> bool:
    return any(hit.start < end and start < hit.end for start, end in taken)


def _with_person_names_merged(found: list[_Found]) -> list[_Found]:
    """A one-word name ("Marcos") becomes the fuller name it belongs to in the same article."""
    people = {f.named.name: f.named for f in found if f.named.kind is EntityKind.PERSON}
    fuller = _fuller_names(people.values())
    merged = []
    for hit in found:
        target = fuller.get(hit.named.name) if hit.named.kind is EntityKind.PERSON else None
        if target is not None:
            role = hit.named.role or target.role
            hit = replace(hit, named=replace(target, role=role))
        merged.append(hit)
    return merged


def _fuller_names(people: Iterable[_Named]) -> dict[str, _Named]:
    by_part: dict[str, list[_Named]] = {}
    singles = []
    for person in people:
        parts = _name_parts(person.name)
        if len(person.name.split()) == 1:
            singles.append(person)
        for part in parts:
            by_part.setdefault(part, []).append(person)
    fuller = {}
    for single in singles:
        candidates = [p for p in by_part.get(single.name, []) if p.name != single.name]
        if len({c.name for c in candidates}) == 1:
            fuller[single.name] = candidates[0]
    return fuller


def _name_parts(name: str) -> set[str]:
    """The words a person may later be called by alone: first and last (Xi Jinping, Takaichi)."""
    words = [w.rstrip(",") for w in name.split()]
    words = [w for w in words if w not in _NAME_SUFFIXES and not w.endswith(".")]
    return {words[0], words[-1]} if words else set()


def _with_full_names(text: str, found: list[_Found]) -> list[_Found]:
    """A person found by surname alone ("Ambassador Sondland") takes the one full name the
    article gives that surname elsewhere ("Gordon Sondland"); each place it stands is a mention."""
    named_in_full = {
        part for f in found if f.named.kind is EntityKind.PERSON for part in _name_parts(f.named.name)
        if " " in f.named.name
    }  # fmt: skip
    surnames = {
        f.named.name: f.named
        for f in found
        if _is_surname_only(f.named) and f.named.name not in named_in_full
    }  # one the article already names in full is _with_person_names_merged's
    full = _full_names(text, surnames.keys(), [(f.start, f.end) for f in found])
    if not full:
        return found
    renamed = {
        surname: replace(surnames[surname], name=name) for surname, (name, _) in full.items()
    }
    merged = [replace(f, named=renamed.get(_person_name(f.named), f.named)) for f in found]
    for surname, (_, spans) in full.items():
        merged += [_Found(start, end, renamed[surname]) for start, end in spans]
    return sorted(merged, key=lambda f: f.start)


def _is_surname_only(named: _Named) -> bool:
    return named.kind is EntityKind.PERSON and " " not in named.name


def _person_name(named: _Named) -> str:
    return named.name if named.kind is EntityKind.PERSON else ""


def _full_names(
    text: str, surnames: Iterable[str], taken: list[tuple[int, int]]
) -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """surname -> (full name, its places) for each surname the text gives one full name."""
    spellings = _spellings_of(s for s in surnames if s not in _name_stopwords())
    places = list(_full_name_places(text, spellings))
    if not places:
        return {}
    words = frozenset(_LOWER_WORD.findall(text))
    names: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for given_end, end, written, spelling in places:
        given = _given_names(written, words)
        opens = _is_sentence_start(text, given_end - len(given))
        if opens and " " in given and not _named_twice(text, given):
            given = given.split(" ", 1)[1]  # "Shocked Terry Cooper": the first is anyone's
        start = given_end - len(given)
        if given and not _overlaps(_Found(start, end, _NOWHERE), taken):
            forms = names.setdefault(spellings[spelling], {})
            forms.setdefault(f"{given} {spelling}", []).append((start, end))
    return {s: _fullest(forms) for s, forms in names.items() if _fullest(forms)[0]}


def _full_name_places(text: str, spellings: Iterable[str]) -> Iterator[tuple[int, int, str, str]]:
    """(end of the given names, end, the capitalised words before, surname) of each place a
    surname follows capitalised words ("Gordon Sondland", "Ambassador Gordon Sondland")."""
    for spelling in spellings:
        for match in re.finditer(rf"(?<![\w.-]){re.escape(spelling)}(?![\w-])", text):
            before = _GIVEN_BEFORE.search(text, max(0, match.start() - 80), match.start())
            if before:
                yield before.end("given"), match.end(), before.group("given"), spelling


_GIVEN_BEFORE = re.compile(
    rf"(?<![\w.-])(?P<given>{_NAME_WORD}(?:{_SPACE}{_NAME_WORD}){{0,2}}){_SPACE}$"
)


def _named_twice(text: str, given: str) -> bool:
    """Whether the first of the given names also opens a name inside a sentence ("Marie
    Teresa Ratcliffe ... midwife Marie Ratcliffe"), so is a name, not "Shocked" or "Veterinarian"."""
    first = re.escape(given.split()[0])
    inside = re.compile(rf"[^\W\d_][,;:]?[^\S\n]{first}{_SPACE}[A-Z]")
    return inside.search(text) is not None


def _spellings_of(surnames: Iterable[str]) -> dict[str, str]:
    """Each surname and the listed spellings of it ("Gadhafi": "Qaddafi" ...) -> the surname."""
    spellings = {}
    for surname in surnames:
        group = _variant_groups().get(_spelling_key(surname), ())
        spellings.update(dict.fromkeys([*group, surname], surname))
    return spellings


_LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z'’-]*")


def _given_names(words: str, lower_words: frozenset[str]) -> str:
    """The words before a surname that can be given names, nearest first: "Ambassador
    Gordon" -> "Gordon"; "" when none can ("Yet", "President", "Japan"), nor a word the
    article also writes in lower case ("Climate John Kerry": "climate")."""
    kept: list[str] = []
    for word in reversed(words.split()):
        if not _can_be_given_name(word) or {word.lower(), word.lower() + "s"} & lower_words:
            break
        kept.insert(0, word)
    while kept and kept[0].endswith("."):
        kept.pop(0)  # "Mr." and "Gen." are titles; a middle initial stays ("George W.")
    return " ".join(kept)


def _can_be_given_name(word: str) -> bool:
    return not (
        word in _name_stopwords()
        or word in _role_words()
        or word in _countries().by_form
        or word in _things().by_form
        or word.lower() in _MODIFIER_WORDS
        or word.lower() in _english_words()
    )


def _fullest(forms: dict[str, list[tuple[int, int]]]) -> tuple[str, list[tuple[int, int]]]:
    """The full name when every form is part of the longest ("George Bush", "George W. Bush"),
    with all their places; ("", []) when the article gives two ("Joe Biden", "Hunter Biden")."""
    longest = max(forms, key=len)
    if any(not set(form.split()) <= set(longest.split()) for form in forms):
        return "", []
    return longest, sorted(span for spans in forms.values() for span in spans)


def _with_spellings_merged(found: list[_Found]) -> list[_Found]:
    """Spellings of one person in the article ("Zelenskiy", "Zelenskyy") become one name."""
    people = {f.named.name: f.named for f in found if f.named.kind is EntityKind.PERSON}
    same: dict[str, _Named] = {}
    for first, second in combinations(people.values(), 2):
        if _same_person(first.name, second.name):
            keep, drop = sorted((first, second), key=_name_preference)
            same[drop.name] = same.get(keep.name, keep)
    if not same:
        return found
    merged = []
    for hit in found:
        target = same.get(_person_name(hit.named))
        if target is not None:
            hit = replace(hit, named=replace(target, role=hit.named.role or target.role))
        merged.append(hit)
    return merged


def _name_preference(person: _Named) -> tuple[bool, int]:
    """A listed person's name first, then the longer name."""
    return (_things().by_form.get(person.name) != person, -len(person.name))


def _same_person(first: str, second: str) -> bool:
    """Two spellings of one surname, with given names that do not differ."""
    a, b = _name_words(first), _name_words(second)
    if not a or not b or a[-1] == b[-1] or not _same_spelling(a[-1], b[-1]):
        return False
    return len(a) == 1 or len(b) == 1 or _same_spelling(a[0], b[0])


def _name_words(name: str) -> list[str]:
    words = [w.rstrip(",") for w in name.split()]
    return [w for w in words if w not in _NAME_SUFFIXES and not w.endswith(".")]


def _same_spelling(first: str, second: str) -> bool:
    """The same name word: equal without case and accents, in one group of name_variants.txt,
    or (five letters or more) one i/y/j, h or doubled letter apart ("Zelensky", "Zelenskyy")."""
    a, b = _spelling_key(first), _spelling_key(second)
    return a == b or (min(len(a), len(b)) >= 5 and a[0] == b[0] and _one_soft_edit(a, b))


def _one_soft_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(diffs) == 1 and all(c in _SOFT_LETTERS for c in diffs[0])
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) != 1:
        return False
    index = next((i for i, char in enumerate(short) if char != long[i]), len(short))
    extra = long[index]
    doubled = long[index - 1 : index] == extra or long[index + 1 : index + 2] == extra
    return short == long[:index] + long[index + 1 :] and (extra in _SOFT_LETTERS or doubled)


_SOFT_LETTERS = frozenset("iyjh")  # what transliterations differ by: й as i, y or j; kh, dh


def _spelling_key(word: str) -> str:
    folded = _folded(word)
    return _name_variants().get(folded, folded)


def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _later_mentions(text: str, found: list[_Found]) -> list[_Found]:
    aliases = _article_aliases(text, found)
    if not aliases:
        return []
    taken = [(hit.start, hit.end) for hit in found]
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, aliases))})(?![\w-])")
    later = []
    for match in pattern.finditer(text):
        hit = _Found(match.start(), match.end(), aliases[match.group()])
        if not _overlaps(hit, taken):
            later.append(hit)
    return later


def _article_aliases(text: str, found: list[_Found]) -> dict[str, _Named]:
    """Surnames of the people found, and abbreviations defined in parentheses, for this text."""
    aliases: dict[str, _Named] = {}
    ambiguous: set[str] = set()
    for hit in found:
        for alias in _aliases_of(text, hit):
            if aliases.setdefault(alias, hit.named).name != hit.named.name:
                ambiguous.add(alias)
    known = _known_forms()
    return {a: n for a, n in aliases.items() if a not in ambiguous and a not in known}


def _aliases_of(text: str, hit: _Found) -> set[str]:
    if hit.named.kind is EntityKind.PERSON:
        parts = _name_parts(hit.named.name) | _name_parts(text[hit.start : hit.end])
        return {p for p in parts if len(p) > 2 and p not in _name_stopwords()}
    match = _ABBREVIATION_AFTER.match(text, hit.end)
    return {match.group("abbreviation")} if match else set()


def _merge(text: str, found: list[_Found]) -> tuple[Entity, ...]:
    starts = _sentence_starts(text)
    groups: dict[tuple[EntityKind, str], list[_Found]] = {}
    for hit in sorted(found, key=lambda f: f.start):
        if hit.named.kind is not None:
            groups.setdefault((hit.named.kind, hit.named.name), []).append(hit)
    return tuple(_entity(text, starts, hits) for hits in groups.values())


def _entity(text: str, starts: list[int], hits: list[_Found]) -> Entity:
    first = hits[0].named
    assert first.kind is not None
    mentions = tuple(
        Mention(bisect_right(starts, hit.start) - 1, text[hit.start : hit.end]) for hit in hits
    )
    country = next((h.named.country for h in hits if h.named.country), None)
    role = next((h.named.role for h in hits if h.named.role), "")
    return Entity(first.name, first.kind, country, mentions, role)


def _sentence_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Not part of a longer capitalised name: "Washington" but not "Washington Post"."""
    if _FOLLOWED_BY_CAPITAL.match(text, end):
        return False
    before = _PRECEDED_BY_CAPITAL.search(text, max(0, start - 40), start)
    if before is None:
        return True
    opener = before.group().split()[0]  # "In Beijing", but not "Michael Jordan"
    return _is_sentence_start(text, before.start()) and opener in _name_stopwords()


def _is_sentence_start(text: str, position: int) -> bool:
    return position == 0 or text[position - 1] == "\n"


# --- tables ------------------------------------------------------------------------------


@cache
def _countries() -> _Countries:
    by_form: dict[str, _Named] = {}
    adjective: dict[str, str] = {}
    for code, name, aliases, demonyms, capitals in _rows("countries.tsv", 5):
        adjective.setdefault(code, _adjective(name, aliases, demonyms))  # a later row adds forms
        forms = [name, *_split(aliases), *_with_plurals(_split(demonyms))]
        for form in forms:
            bare = form.lstrip("~")
            standalone = form.startswith("~") or by_form.get(bare, _NOWHERE).standalone_only
            by_form[bare] = _Named(EntityKind.COUNTRY, name, code, standalone_only=standalone)
        for capital in _split(capitals):
            by_form.setdefault(capital, _Named(EntityKind.COUNTRY, name, code, "", True))
    for phrase in _lines("non_entities.txt"):
        by_form[phrase] = _Named(None, phrase)
    return _Countries(by_form, adjective, _trie_regex(by_form, after_hyphen=True))


_NOWHERE = _Named(None, "")


def _adjective(name: str, aliases: str, demonyms: str) -> str:
    """How the country's organisations are named: a dotted abbreviation (U.S.), else the
    first demonym (Philippine), else the name."""
    dotted = [alias for alias in _split(aliases) if re.fullmatch(r"(?:[A-Z]\.){2,}", alias)]
    return (dotted or _split(demonyms) or [name])[0].lstrip("~")


@cache
def _things() -> _Things:
    by_form: dict[str, _Named] = {}
    for name, country, aliases in _rows("organisations.tsv", 3):
        _add_forms(by_form, name, aliases, _Named(EntityKind.ORGANISATION, name, country or None))
    for name, aliases in _rows("agreements.tsv", 2):
        _add_forms(by_form, name, aliases, _Named(EntityKind.AGREEMENT, name))
    for name, country, aliases in _rows("policies.tsv", 3):
        _add_forms(by_form, name, aliases, _Named(EntityKind.POLICY, name, country or None))
    for name, country, aliases in _rows("weapons.tsv", 3):
        _add_forms(by_form, name, aliases, _Named(EntityKind.WEAPON, name, country or None))
    for name, role, country, aliases in _rows("people.tsv", 4):
        named = _Named(EntityKind.PERSON, name, country or None, role)
        _add_forms(by_form, name, aliases, named)
    return _Things(by_form, _trie_regex(by_form, after_hyphen=False))


def _add_forms(by_form: dict[str, _Named], name: str, aliases: str, named: _Named) -> None:
    for form in [name, *_split(aliases)]:
        by_form.setdefault(form, named)


@cache
def _known_surnames() -> dict[str, _Named]:
    """Listed people by a name part no other listed person shares ("Harris", "Marcos")."""
    people = {n.name: n for n in _things().by_form.values() if n.kind is EntityKind.PERSON}
    by_part: dict[str, list[_Named]] = {}
    for person in people.values():
        for part in _name_parts(person.name):
            by_part.setdefault(part, []).append(person)
    return {part: found[0] for part, found in by_part.items() if len(found) == 1}


@cache
def _name_variants() -> dict[str, str]:
    """Each listed spelling of a name, folded, -> its group's key."""
    variants = {}
    for line in _lines("name_variants.txt"):
        spellings = [_folded(spelling) for spelling in _split(line)]
        variants.update(dict.fromkeys(spellings, spellings[0]))
    return variants


@cache
def _variant_groups() -> dict[str, tuple[str, ...]]:
    """Each group's key -> its spellings as written ("zelensky": "Zelensky", "Zelenskyy" ...)."""
    groups = (_split(line) for line in _lines("name_variants.txt"))
    return {_folded(group[0]): tuple(group) for group in groups}


@cache
def _english_words() -> frozenset[str]:
    """Lower-case function words and sentence openers: never a given name ("Yet Schiff")."""
    return frozenset(w.lower() for w in [*_lines("stopwords.txt"), *_lines("sentence_openers.txt")])


@cache
def _roles() -> dict[str, str]:
    roles: dict[str, str] = {}
    for role, variants in _rows("roles.tsv", 2):
        for form in [role, *_split(variants)]:
            if form:
                roles.setdefault(form, role)
    return roles


@cache
def _role_words() -> frozenset[str]:
    """One-word titles ("President", "Minister"): never the first word of a name."""
    return frozenset(form for form in _roles() if " " not in form and form[0].isupper())


@cache
def _person_pattern() -> re.Pattern[str]:
    titles = _trie_body(_roles())
    return re.compile(
        rf"(?<![\w.-])(?P<role>{_ROLE_MODIFIER}{titles}),?{_SPACE}(?P<name>{_NAME})(?![\w-])"
    )


@cache
def _organisation_suffix_pattern() -> re.Pattern[str]:
    suffixes = _trie_body(_lines("organisation_suffixes.txt"))
    return re.compile(rf"(?:['’]s)?{_SPACE}(?P<organisation>{suffixes})(?![\w-])")


@cache
def _agreement_word_pattern() -> re.Pattern[str]:
    heads = [*_lines("agreement_words.txt"), *_policy_words()]
    return re.compile(rf"(?<![\w-])(?:{_trie_body(heads)})(?![\w-])")


@cache
def _policy_words() -> frozenset[str]:
    return frozenset(_lines("policy_words.txt"))


@cache
def _body_words() -> frozenset[str]:
    return frozenset(_lines("body_words.txt"))


@cache
def _body_of_pattern() -> re.Pattern[str]:
    """ "Office of ", "Center for the " just before a phrase: the phrase ends a body's name."""
    bodies = _trie_body(_body_words())
    return re.compile(rf"(?<![\w-])(?:{bodies}){_SPACE}(?:of|for|on){_SPACE}(?:the{_SPACE})?$")


@cache
def _party_words() -> frozenset[str]:
    return frozenset(_lines("party_words.txt"))


@cache
def _weapon_nouns() -> dict[str, bool]:
    """Each weapon noun, and whether it names a vessel (for "X-class <vessel>")."""
    nouns = {}
    for line in _lines("weapon_nouns.txt"):
        noun, _, mark = line.partition("\t")
        nouns[noun] = mark == "vessel"
    return nouns


@cache
def _classed_vessel_pattern() -> re.Pattern[str]:
    vessels = _trie_body(noun for noun, is_vessel in _weapon_nouns().items() if is_vessel)
    return re.compile(
        rf"(?<![\w-])(?P<class>[A-Z][\w]*(?:{_SPACE}[A-Z][\w]*)?)['’]?[- ]class['’\"]?"
        rf"{_SPACE}(?P<noun>{vessels})(?:e?s)?(?![\w-])"
    )


@cache
def _designator_pattern() -> re.Pattern[str]:
    nouns = _trie_body(_weapon_nouns())
    return re.compile(
        rf"(?<![\w/-])(?P<code>[A-Z]{{1,4}}-\d{{1,3}}[A-Z]?)(?![\w-])"
        rf"(?:{_SPACE}[a-z][\w-]*){{0,2}}?{_SPACE}(?:{nouns})s?(?![\w-])"
    )


@cache
def _name_stopwords() -> frozenset[str]:
    return frozenset(_lines("name_stopwords.txt"))


def _trie_regex(forms: Iterable[str], *, after_hyphen: bool) -> re.Pattern[str]:
    """One regex matching any of the forms, longest first, as whole words.

    Countries may follow a hyphen ("U.S.-Japan"); other names must not ("Non-Proliferation").
    """
    before = r"(?<!\w)" if after_hyphen else r"(?<![\w-])"
    return re.compile(rf"{before}(?:{_trie_body(forms)})(?!\w)")


def _trie_body(forms: Iterable[str]) -> str:
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(trie)


def _trie_node(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _trie_node(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


def _with_plurals(demonyms: list[str]) -> list[str]:
    plurals = [d + "s" for d in demonyms if not d.endswith(("s", "sh", "ch", "ese", "x", "z"))]
    return demonyms + plurals


def _split(field: str) -> list[str]:
    return [item for item in field.split("|") if item]


def _rows(name: str, columns: int) -> list[list[str]]:
    """The rows of a TSV data file after its header, padded to `columns` fields."""
    rows = [line.split("\t") for line in _lines(name, strip=False)[1:]]
    return [(row + [""] * columns)[:columns] for row in rows]


def _lines(name: str, *, strip: bool = True) -> list[str]:
    text = resources.files("newsdesk").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line.rstrip("\r\n") for line in text.splitlines()]
    return [line.strip() if strip else line for line in lines if line.strip() and line[0] != "#"]
