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
    if args.misses:
        print("\n" + "\n".join(misses(sentences)))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
