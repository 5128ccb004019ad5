"""Find the countries, people, organisations, agreements and weapons systems an article names.

The sentences are joined into one text and scanned a handful of times, each scan one
precompiled regex: a trie of every country form (names, aliases, demonyms, capitals), a
trie of every listed organisation, agreement, weapon and well-known person, and patterns
for what no table lists: people after a title ("Philippine President Ferdinand Marcos Jr."),
"<country> Coast Guard", capitalised phrases ending in "Agreement", "X-class frigates",
designators such as "TC-90 training aircraft". A last scan of capitalised words picks up
later mentions by surname ("Takaichi") or by an abbreviation defined in parentheses
("Reciprocal Access Agreement (RAA)"). The tables are TSV files in ``newsdesk/data``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from newsdesk.models import Entity, EntityKind, Mention

_SPACE = r"[^\S\n]+"  # whitespace that stays inside one sentence of the joined text
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = r"[^\W\dA-Z_]"  # any letter but an ASCII capital: ñ, é, ü ... count
_NAME_WORD = (
    rf"(?!(?:Jr|Sr)\.)(?:[{_UPPER}]{_LOWER}+(?:-[A-Za-z]{_LOWER}+|['’][{_UPPER}]{_LOWER}+)*"
    rf"|Mc[A-Z]{_LOWER}+|[A-Z]['’][A-Z]{_LOWER}+|[A-Z]\.)"
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
        *_agreements(text, table_hits),
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


def _agreements(text: str, table_hits: list[_Found]) -> list[_Found]:
    found = []
    table_ends = {hit.end: hit for hit in table_hits if hit.named.kind is EntityKind.AGREEMENT}
    for keyword in _agreement_word_pattern().finditer(text):
        if _FOLLOWED_BY_CAPITAL.match(text, keyword.end()):
            continue  # not the head of its phrase: "Treaty Organization", "Partnership Strategy"
        start = _agreement_start(text, _run_start(text, keyword.start()), keyword.start())
        end = keyword.end()
        if end in table_ends:
            found.append(replace(table_ends[end], start=min(start, table_ends[end].start)))
        elif start < keyword.start():
            found.append(_Found(start, end, _Named(EntityKind.AGREEMENT, text[start:end])))
    return found


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
    """Skip leading sentence openers and connectors, and all up to a possessive ("Japan's")."""
    words = [(m.start(), m.group()) for m in _WORD.finditer(text, start, keyword_start)]
    first = keyword_start
    for position, word in reversed(words):
        if word in _name_stopwords() or word.endswith(("'s", "’s")):
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
    known = _countries().by_form.keys() | _things().by_form.keys()
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
        adjective[code] = _adjective(name, aliases, demonyms)
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
    return re.compile(rf"(?<![\w-])(?:{_trie_body(_lines('agreement_words.txt'))})(?![\w-])")


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
