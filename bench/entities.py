"""Country attribution benchmark: newsdesk's entities beside dictionary look-ups, on PLOVER.

    .venv/bin/python bench/entities.py [--repeat 5] [--json PATH]

Each of the 164 sentences of ../shared/eval/events-plover.jsonl names gold actors
(`source` list, `target` list) with an ISO 3166 alpha-3 `code`. A method reads the
sentence and returns (country, surface text) pairs: newsdesk returns every entity
with a country (countries, and people, organisations and ministries it attributes
to one) after `split_sentences`. Two scores:

- countries per sentence: the set a method finds against the set of gold actor
  countries, micro precision / recall / F1 over all sentences. Gold lists only
  the event's actors, so a country merely mentioned ("a state-owned Egyptian
  newspaper said") counts against precision for every method alike;
- actor recall: the share of gold actors for which a method finds the actor's
  country in a mention overlapping the actor's text ("Russian President Boris
  Yeltsin" is matched by "Russian" or by "Boris Yeltsin" attributed to RUS); where
  the gold text is not in the sentence (9 actors: "Ghanians", "Greek-Cypriot"),
  by the actor's country anywhere in it.

Gold codes that are not countries (IGO, NGO, IMG) are left out; two typos in the
gold records are mended (JAP -> JPN, ITL -> ITA). The baselines are what a user
would otherwise write: exact pycountry name look-up (name, official and common
names, case-insensitive) over capitalised n-grams, and the same n-gram look-up in
a names + aliases + demonyms dictionary (newsdesk's own countries.tsv forms,
capitals left out, without newsdesk's context rules). Speed is sentences per
second on one core over `--repeat` passes; load is the first call.

A second table counts, on development articles (the 250 CNN/DailyMail texts, the 91
Zyte gold bodies, the 395 White House texts; tune = even lines, check = odd lines), the
people newsdesk finds, those left by surname alone, and of those the ones whose article
writes a capitalised word other than a title or function word right before the surname
(an audit of the full-name resolution: what is left is mostly two people sharing a
surname, "Ed Miliband" and "Justine Miliband"), pairs of people in one article whose
surnames are one edit apart (a spelling-merge audit), and agreements and policies.

Measured 2026-12-03 on a loaded 2-core machine (six sessions; speeds are loaded), before
(main at 3a8294d) -> after (issue 7 point 8), tune / check halves:

- PLOVER country attribution unchanged: 81.91 / 96.51 / 88.61, actor recall 79.55.
- CNN/DM people by surname alone 52 -> 5 / 68 -> 16, of which a full name written
  39 -> 1 / 46 -> 6 (the 7 left are two people of one surname, e.g. Chris and Peter Lane);
  junk "people" such as "League" (Premier League) and "Election" (General Election) gone.
  White House: by surname alone 58 -> 52 / 53 -> 46, a full name written 13 -> 7 / 8 -> 3.
- Full names taken, judged by hand: tune 41 of 41 the right person; check 42, of which
  40 exactly right, 1 with a word too many ("Veterinarian Lucyna Kuziel-Zawalich") and 1
  a given name short ("John Docherty" for Stephen John Docherty). The check half was read
  once after tuning, and two rules came from it (a sentence's first word is a given name
  only if it opens a name elsewhere too; a surname already named in full is left to the
  existing merge).
- Near-spelling pairs: 0 before and after on every set (the sets hold no such pair: the
  Zelensky spellings in two Zyte pages were already one by people.tsv's aliases).
- White House agreements 373 -> 227 / 371 -> 249, policies 0 -> 170 / 0 -> 183: the
  doctrines, strategies, initiatives and Acts move to policy, and programmes (a new head
  word: "Fulbright Program", "Youth Ambassadors Program") are found for the first time.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from newsdesk.analyse.entities import find_entities
from newsdesk.analyse.sentences import split_sentences

EVAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval"
PLOVER = EVAL / "events-plover.jsonl"
NOT_COUNTRIES = frozenset({"IGO", "NGO", "IMG"})
GOLD_TYPOS = {"JAP": "JPN", "ITL": "ITA"}
TOKEN = re.compile(r"[A-Za-z][\w'’.-]*[\w.]|[A-Za-z]")
MAX_NGRAM = 8

# A method gets one sentence and returns what it found: (alpha-3 country, surface text).
Method = Callable[[str], list[tuple[str, str]]]


@dataclass(frozen=True)
class GoldActor:
    text: str
    country: str


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    actors: tuple[GoldActor, ...]

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(actor.country for actor in self.actors)


@dataclass(frozen=True)
class Result:
    method: str
    precision: float
    recall: float
    f1: float
    actor_recall: float
    sentences_per_second: float
    load_seconds: float


def load(path: Path = PLOVER) -> list[Sentence]:
    with path.open(encoding="utf-8") as lines:
        return [_sentence(json.loads(line)) for line in lines if line.strip()]


def _sentence(record: dict) -> Sentence:
    actors = [*_actors(record.get("source")), *_actors(record.get("target"))]
    return Sentence(record["id"], record["text"], tuple(actors))


def _actors(field: object) -> Iterable[GoldActor]:
    if not isinstance(field, list):
        return  # "" or null: no actor on this side
    for actor in field:
        code = GOLD_TYPOS.get(actor.get("code", ""), actor.get("code", ""))
        if code and code not in NOT_COUNTRIES:
            yield GoldActor(actor["actorText"], code)


# --- methods -----------------------------------------------------------------------------


def newsdesk(text: str) -> list[tuple[str, str]]:
    entities = find_entities(split_sentences(text))
    return [(e.country, m.text) for e in entities if e.country for m in e.mentions]


def pycountry_names(text: str) -> list[tuple[str, str]]:
    return _ngram_lookup(text, _pycountry_forms(), _lower)


def names_and_demonyms(text: str) -> list[tuple[str, str]]:
    return _ngram_lookup(text, _dictionary_forms(), str)


def _lower(form: str) -> str:
    return form.lower()


def _ngram_lookup(
    text: str, forms: dict[str, str], key: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Every n-gram of tokens that starts and ends with a capital, looked up exactly."""
    tokens = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    found = []
    for first, (start, _) in enumerate(tokens):
        if not text[start].isupper():
            continue
        for last in range(first, min(first + MAX_NGRAM, len(tokens))):
            end = tokens[last][1]
            surface = text[start:end]
            for candidate in (surface, surface.rstrip(".")):
                if text[tokens[last][0]].isupper() and key(candidate) in forms:
                    found.append((forms[key(candidate)], candidate))
                    break
    return found


@cache
def _pycountry_forms() -> dict[str, str]:
    import pycountry

    forms = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                forms[name.lower()] = country.alpha_3
    return forms


@cache
def _dictionary_forms() -> dict[str, str]:
    """Names, aliases and demonyms (and demonym + s) of newsdesk's countries.tsv, no capitals."""
    data = resources.files("newsdesk").joinpath("data", "countries.tsv").read_text("utf-8")
    forms = {}
    rows = [line.split("\t") for line in data.splitlines() if line and not line.startswith("#")]
    for alpha3, name, aliases, demonyms, *_ in rows[1:]:
        words = [name, *aliases.split("|"), *demonyms.split("|")]
        words += [d + "s" for d in demonyms.split("|") if d]
        for word in words:
            if word.lstrip("~"):
                forms[word.lstrip("~")] = alpha3
    return forms


METHODS: dict[str, Method] = {
    "newsdesk": newsdesk,
    "pycountry exact names": pycountry_names,
    "names + demonyms dictionary": names_and_demonyms,
}


# --- scoring -----------------------------------------------------------------------------


def score(
    sentences: Sequence[Sentence], found: Sequence[list[tuple[str, str]]]
) -> tuple[float, float, float, float]:
    """Micro precision, recall, F1 of countries per sentence, and actor recall, all x100."""
    hits = predicted = gold = actors = actors_found = 0
    for sentence, pairs in zip(sentences, found, strict=True):
        countries = {country for country, _ in pairs}
        hits += len(countries & sentence.countries)
        predicted += len(countries)
        gold += len(sentence.countries)
        for actor in sentence.actors:
            actors += 1
            actors_found += _actor_found(sentence.text, actor, pairs)
    precision, recall = _ratio(hits, predicted), _ratio(hits, gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (
        round(100 * precision, 2),
        round(100 * recall, 2),
        round(100 * f1, 2),
        round(100 * _ratio(actors_found, actors), 2),
    )


def _actor_found(text: str, actor: GoldActor, pairs: list[tuple[str, str]]) -> bool:
    actor_spans = _actor_spans(text, actor.text)
    if not actor_spans:  # the gold text is not in the sentence ("Ghanians" for "Ghanaians")
        return any(country == actor.country for country, _ in pairs)
    for country, surface in pairs:
        if country != actor.country:
            continue
        for start, end in _spans(text, surface):
            if any(start < a_end and a_start < end for a_start, a_end in actor_spans):
                return True
    return False


def _actor_spans(text: str, actor_text: str) -> list[tuple[int, int]]:
    """Where the gold text is, its pieces found apart where it elides ("U.S. ... negotiators")."""
    pieces = re.split(r"\.{2,}", " ".join(actor_text.split()))
    return [span for piece in pieces for span in _spans(text, piece.strip())]


def _spans(text: str, part: str) -> Iterable[tuple[int, int]]:
    start = text.find(part) if part else -1
    while start >= 0:
        yield start, start + len(part)
        start = text.find(part, start + 1)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def bench(method: str, sentences: Sequence[Sentence], repeat: int) -> Result:
    run = METHODS[method]
    start = time.perf_counter()
    run("Warm up: Japan and the Philippines signed the Reciprocal Access Agreement.")
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(repeat):
        found = [run(sentence.text) for sentence in sentences]
    seconds = time.perf_counter() - start
    precision, recall, f1, actor_recall = score(sentences, found)
    speed = repeat * len(sentences) / seconds
    return Result(method, precision, recall, f1, actor_recall, speed, load_seconds)


def markdown(results: Sequence[Result], sentences: int, actors: int) -> str:
    lines = [
        f"Country attribution on PLOVER ({sentences} sentences, {actors} gold actors "
        "with a country); scores x100.",
        "",
        "| method | precision | recall | F1 | actor recall | sentences/s | load s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.method} | {r.precision:.2f} | {r.recall:.2f} | {r.f1:.2f} "
            f"| {r.actor_recall:.2f} | {r.sentences_per_second:,.0f} | {r.load_seconds:.2f} |"
        )
    return "\n".join(lines)


def misses(sentences: Sequence[Sentence]) -> list[str]:
    """newsdesk's wrong and missing countries, one line per sentence, for `--misses`."""
    lines = []
    for sentence in sentences:
        countries = {country for country, _ in newsdesk(sentence.text)}
        missing = sorted(sentence.countries - countries)
        extra = sorted(countries - sentence.countries)
        if missing or extra:
            lines.append(f"{sentence.id}: missing {missing} extra {extra}: {sentence.text}")
    return lines


# --- people and policies on development articles -----------------------------------------

ARTICLE_SETS = {
    "CNN/DM": EVAL / "takeaways-cnndm.jsonl",
    "Zyte (gold bodies)": EVAL / "extraction-zyte.jsonl",
    "White House": Path(__file__).resolve().parents[1]
    / "data"
    / "demo"
    / "whitehouse-indopacific.jsonl",
}
_CAPITALISED = re.compile(r"[A-Z][a-z]+")


@dataclass(frozen=True)
class PeopleCounts:
    set: str
    half: str
    articles: int
    people: int
    surname_only: int
    full_name_written: int
    near_spellings: int
    agreements: int
    policies: int


def article_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [r.get("articleBody") or r.get("text") or "" for r in records]


def halves(texts: Sequence[str]) -> dict[str, list[str]]:
    """Tune on the even-numbered lines, check on the odd-numbered ones."""
    return {"tune": list(texts[0::2]), "check": list(texts[1::2])}


def people_counts(name: str, half: str, texts: Sequence[str]) -> PeopleCounts:
    """Audit counts: people left by surname alone although the article writes a capitalised
    word other than a title or function word before that surname ("Gordon Sondland"), and
    pairs of people in one article whose surnames are one edit apart (plain Levenshtein)."""
    counts = {"people": 0, "surname_only": 0, "full": 0, "near": 0, "agreement": 0, "policy": 0}
    for text in texts:
        entities = find_entities(split_sentences(text))
        people = [e.name for e in entities if e.kind == "person"]
        singles = [p for p in people if " " not in p]
        counts["people"] += len(people)
        counts["surname_only"] += len(singles)
        counts["full"] += sum(_full_name_written(text, single) for single in singles)
        surnames = sorted({p.split()[-1].lower() for p in people})
        counts["near"] += sum(
            _one_edit(a, b) for i, a in enumerate(surnames) for b in surnames[i + 1 :]
        )
        for kind in ("agreement", "policy"):
            counts[kind] += sum(e.kind == kind for e in entities)
    return PeopleCounts(name, half, len(texts), counts["people"], counts["surname_only"],
                        counts["full"], counts["near"], counts["agreement"], counts["policy"])  # fmt: skip


def _full_name_written(text: str, surname: str) -> bool:
    for match in re.finditer(rf"(\S+) {re.escape(surname)}\b", text):
        word = match.group(1)
        if _CAPITALISED.fullmatch(word) and word.lower() not in _common_words():
            return True
    return False


@cache
def _common_words() -> frozenset[str]:
    data = resources.files("newsdesk").joinpath("data")
    words = set()
    for name in ("stopwords.txt", "sentence_openers.txt", "name_stopwords.txt", "roles.tsv"):
        for line in data.joinpath(name).read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                words.update(w.lower() for w in re.split(r"[\t|]", line) if " " not in w)
    return frozenset(words)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b or min(len(a), len(b)) < 4:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def people_table(rows: Sequence[PeopleCounts]) -> str:
    lines = [
        "People and arrangements on development articles (tune = even lines, check = odd).",
        "",
        "| set | half | articles | people | by surname alone | of those, full name written "
        "| near-spelling pairs | agreements | policies |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.set} | {r.half} | {r.articles} | {r.people} | {r.surname_only} "
                     f"| {r.full_name_written} | {r.near_spellings} | {r.agreements} | {r.policies} |")  # fmt: skip
    return "\n".join(lines)


def people_rows() -> list[PeopleCounts]:
    return [
        people_counts(name, half, texts)
        for name, path in ARTICLE_SETS.items()
        if path.is_file()
        for half, texts in halves(article_texts(path)).items()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the sentences")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--misses", action="store_true", help="list newsdesk's errors too")
    args = parser.parse_args(argv)
    if not PLOVER.is_file():
        parser.error(f"no evaluation data at {PLOVER}")
    sentences = load()
    results = [bench(method, sentences, args.repeat) for method in METHODS]
    print(markdown(results, len(sentences), sum(len(s.actors) for s in sentences)))
    print("\n" + people_table(people_rows()))
    if args.misses:
        print("\n" + "\n".join(misses(sentences)))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
