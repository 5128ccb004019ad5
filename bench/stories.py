"""Stories and related articles on ECB+: newsdesk beside two clustering baselines.

    .venv/bin/python bench/stories.py [--fit] [--json PATH] [--limit N] [--orders N]

../shared/eval/stories-ecbplus.jsonl holds 496 articles in 21 topics; each topic
holds two different real events of one kind (two earthquakes), so "same
story" (`cluster_id`) and "same topic" must be told apart. The topics are split
in two halves (every other topic in order): thresholds and weights are chosen
on the tuning half, and the figures reported are those of the held-out half.

Methods, none told the number of stories:
- TF-IDF + agglomerative: scikit-learn's TfidfVectorizer (English stop words,
  sublinear tf) on the whole text, average-linkage agglomerative clustering on
  cosine distance at the best threshold of the tuning half;
- embeddings + agglomerative: the same on newsdesk's own MiniLM vectors;
- newsdesk: online assignment in seeded random orders of arrival (three by
  default, `--orders`; single-pass online clustering is order-sensitive, so
  the mean and the spread, max - min, over the orders are reported)
  (`store.decide.assign`, each article seeing only the articles before it,
  its candidates the 50 nearest by vector, as in the store; after each join
  the store's repair, `store.decide.split_off`, on the story's latest
  members), related lists from `store.decide.related`.

Metrics: adjusted Rand index and BCubed F1 of the stories; related
precision@5 (a related article is relevant when it is of the same story),
for the baselines the five nearest by their similarity, for newsdesk its
related list (only what passes the relevance floor; `shown` is how many).
`--fit` refits the logistic weights of analyse/likeness.py on the tuning half
and prints them (pairs alike by vector weigh more: see HARD_PAIR_WEIGHT).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsdesk.analyse import embed as embedding
from newsdesk.analyse.likeness import Profile, local_idf, profile, signals
from newsdesk.analyse.neardup import Signature, signature
from newsdesk.errors import ExtractionError
from newsdesk.models import Article, EntityKind
from newsdesk.pipeline import analyse
from newsdesk.store import decide

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "eval" / "stories-ecbplus.jsonl"
CANDIDATES = 50
SEED = 0
# In the fit, a candidate pair at least this alike by vector counts this many times: most
# candidates are of another kind of event and easy to reject; the pairs of one kind, where
# one story must be told from another, are the ones the weights need to get right.
HARD_PAIR_COSINE = 0.5
HARD_PAIR_WEIGHT = 10.0


@dataclass(frozen=True, slots=True, eq=False)
class Item:
    id: str
    topic: int
    story: str
    text: str
    vector: np.ndarray
    profile: Profile
    signature: Signature


def load(limit: int | None = None, cache: Path | None = None) -> list[Item]:
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")][:limit]
    known = dict(np.load(cache)) if cache and cache.exists() else {}
    items = []
    for row in rows:
        sentences, entities, people = _analysed(row["id"], row["text"])
        text = embedding.embedding_text("", sentences)
        items.append(
            Item(
                id=row["id"], topic=row["topic"], story=row["cluster_id"], text=row["text"],
                vector=known[row["id"]] if row["id"] in known else embedding.embed_one(text),
                profile=profile(sentences, entities, people),
                signature=signature(row["text"]),
            )
        )  # fmt: skip
    if cache:
        np.savez(cache, **{item.id: item.vector for item in items})
    return items


def _analysed(item: str, text: str) -> tuple[tuple[str, ...], list[str], list[str]]:
    """The sentences, entity and people names newsdesk finds; a text too short to brief keeps its words."""
    try:
        brief = analyse(Article(id=item, title="", text=text))
    except ExtractionError:
        return (text,), [], []
    people = [e.name for e in brief.entities if e.kind is EntityKind.PERSON]
    return brief.sentences, [e.name for e in brief.entities], people


def halves(items: list[Item]) -> tuple[list[Item], list[Item]]:
    topics = sorted({item.topic for item in items})
    tuning = set(topics[0::2])
    return [i for i in items if i.topic in tuning], [i for i in items if i.topic not in tuning]


# -- metrics ---------------------------------------------------------------


def adjusted_rand_score(gold: Sequence[object], found: Sequence[object]) -> float:
    """The adjusted Rand index (Hubert and Arabie), as scikit-learn computes it."""
    pairs = Counter(zip(gold, found, strict=True))

    def pairs_of(counts: Iterable[int]) -> float:
        return float(sum(n * (n - 1) / 2 for n in counts))

    both = pairs_of(pairs.values())
    rows, columns = pairs_of(Counter(gold).values()), pairs_of(Counter(found).values())
    expected = rows * columns / pairs_of([len(gold)]) if len(gold) > 1 else 0.0
    top = (rows + columns) / 2
    return 1.0 if top == expected else (both - expected) / (top - expected)


def bcubed_f1(gold: Sequence[str], found: Sequence[object]) -> float:
    precision = recall = 0.0
    for i in range(len(gold)):
        same_found = [j for j in range(len(gold)) if found[j] == found[i]]
        same_gold = [j for j in range(len(gold)) if gold[j] == gold[i]]
        both = sum(1 for j in same_found if gold[j] == gold[i])
        precision += both / len(same_found)
        recall += both / len(same_gold)
    p, r = precision / len(gold), recall / len(gold)
    return 2 * p * r / (p + r)


def precision_at_5(items: list[Item], ranked: Sequence[Sequence[int]]) -> tuple[float, float]:
    """Mean precision of the (at most five) shown, and how many are shown on average."""
    scores, shown = [], []
    for i, found in enumerate(ranked):
        top = list(found)[:5]
        shown.append(len(top))
        if top:
            scores.append(sum(items[j].story == items[i].story for j in top) / len(top))
    return float(np.mean(scores)) if scores else 0.0, float(np.mean(shown))


# -- baselines -------------------------------------------------------------


def tfidf_similarity(items: list[Item]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [i.text for i in items]
    )
    return np.asarray((matrix @ matrix.T).todense())


def vector_similarity(items: list[Item]) -> np.ndarray:
    vectors = np.stack([i.vector for i in items])
    return vectors @ vectors.T


def agglomerative(similarity: np.ndarray, threshold: float) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    )
    return list(model.fit_predict(np.clip(1.0 - similarity, 0.0, 2.0)))


def nearest(similarity: np.ndarray) -> list[list[int]]:
    ranked = []
    for i, row in enumerate(similarity):
        order = [j for j in np.argsort(-row) if j != i]
        ranked.append(order[:5])
    return ranked


# -- newsdesk ----------------------------------------------------------------


def member(item: Item, story: str) -> decide.Member:
    return decide.Member(item.id, story, None, "", item.profile, item.signature)


def online(items: list[Item], seed: int = SEED) -> tuple[list[str], list[list[int]]]:
    """Stories assigned in a random order of arrival, then each article's related list."""
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    similarity = vector_similarity(items)
    stories: dict[int, str] = {}
    for position, i in enumerate(order):
        seen = order[:position]
        nearest_seen = sorted(seen, key=lambda j: -similarity[i, j])[:CANDIDATES]
        candidates = [decide.Candidate(member(items[j], stories[j]), similarity[i, j])
                      for j in nearest_seen]  # fmt: skip
        new = decide.Newcomer(items[i].profile, items[i].signature, None, article_id=items[i].id)
        found = decide.assign(new, candidates).story_id
        stories[i] = found or f"story-{i}"
        if found:
            repair(items, order[: position + 1], stories, found, similarity)
    index = {item.id: k for k, item in enumerate(items)}
    ranked = []
    for i, item in enumerate(items):
        others = [j for j in np.argsort(-similarity[i]) if j != i][:CANDIDATES]
        candidates = [decide.Candidate(member(items[j], stories[j]), similarity[i, j])
                      for j in others]  # fmt: skip
        new = decide.Newcomer(item.profile, item.signature, None, article_id=item.id,
                              story_id=stories[i])  # fmt: skip
        ranked.append([index[r.article_id] for r in decide.related(new, candidates)])
    return [stories[i] for i in range(len(items))], ranked


def repair(
    items: list[Item],
    arrived: list[int],
    stories: dict[int, str],
    story: str,
    similarity: np.ndarray,
) -> None:
    """The store's repair after a join: the group `decide.split_off` finds leaves the story."""
    checked = [j for j in arrived if stories[j] == story][-decide.SPLIT_MEMBERS :]
    members = [member(items[j], story) for j in checked]
    leaving = {
        m.article_id for m in decide.split_off(members, similarity[np.ix_(checked, checked)])
    }
    moved = [j for j in checked if items[j].id in leaving]
    for j in moved:
        stories[j] = f"story-{moved[0]}"


def fit(items: list[Item]) -> None:
    """Logistic weights from the pairs the decisions see: each article and its candidates."""
    from sklearn.linear_model import LogisticRegression

    similarity = vector_similarity(items)
    features, labels, weights, seen = [], [], [], set()
    for i in range(len(items)):
        near = [j for j in np.argsort(-similarity[i]) if j != i][:CANDIDATES]
        idf = local_idf([items[j].profile for j in near])
        for j in near:
            if (j, i) in seen:
                continue
            seen.add((i, j))
            found = signals(items[i].profile, items[j].profile, float(similarity[i, j]), idf)
            features.append(found.features())
            labels.append(items[i].story == items[j].story)
            weights.append(HARD_PAIR_WEIGHT if similarity[i, j] >= HARD_PAIR_COSINE else 1.0)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(
        np.array(features), np.array(labels), sample_weight=np.array(weights)
    )
    weights = ", ".join(f"{w:.2f}" for w in model.coef_[0])
    print(f"WEIGHTS = ({weights})\nBIAS = {model.intercept_[0]:.2f}")


# -- running -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    method: str
    threshold: float | None
    ari: float
    bcubed: float
    p5: float
    shown: float
    spread: tuple[float, float, float] = (0.0, 0.0, 0.0)  # max - min of ARI, BCubed, P@5


def best_threshold(items: list[Item], similarity: Callable[[list[Item]], np.ndarray]) -> float:
    matrix = similarity(items)
    gold = [i.story for i in items]
    grid = np.arange(0.30, 1.00, 0.02)
    return float(max(grid, key=lambda t: adjusted_rand_score(gold, agglomerative(matrix, t))))


def baseline(
    name: str, tuning: list[Item], held: list[Item], similarity: Callable[[list[Item]], np.ndarray]
) -> Score:
    threshold = best_threshold(tuning, similarity)
    matrix = similarity(held)
    labels = agglomerative(matrix, threshold)
    gold = [i.story for i in held]
    p5, shown = precision_at_5(held, nearest(matrix))
    return Score(name, round(threshold, 2), adjusted_rand_score(gold, labels),
                 bcubed_f1(gold, labels), p5, shown)  # fmt: skip


def newsdesk(items: list[Item], orders: int = 1) -> Score:
    """The mean over `orders` seeded orders of arrival, with the spread of each figure."""
    gold = [i.story for i in items]
    runs = []
    for seed in range(SEED, SEED + orders):
        stories, ranked = online(items, seed)
        p5, shown = precision_at_5(items, ranked)
        runs.append((adjusted_rand_score(gold, stories), bcubed_f1(gold, stories), p5, shown))
    table = np.array(runs)
    ari, bcubed, p5, shown = (float(v) for v in table.mean(axis=0))
    low, high = table.min(axis=0), table.max(axis=0)
    spread = (float(high[0] - low[0]), float(high[1] - low[1]), float(high[2] - low[2]))
    return Score(f"newsdesk (online, {orders} orders)", decide.STORY_FLOOR, ari, bcubed, p5,
                 shown, spread)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fit", action="store_true", help="refit the likeness weights")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--orders", type=int, default=3, help="seeded orders of arrival")
    parser.add_argument("--cache", type=Path, help="keep the vectors in this .npz between runs")
    parser.add_argument(
        "--tokens", type=int, help="embed at most this many tokens (default: newsdesk's)"
    )
    args = parser.parse_args(argv)
    if args.tokens:
        embedding._model().tokenizer.enable_truncation(max_length=args.tokens)
    started = time.perf_counter()
    items = load(args.limit, args.cache)
    print(
        f"{len(items)} articles prepared in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )
    tuning, held = halves(items)
    if args.fit:
        fit(tuning)
        return
    rows = []
    for half, part in (("tuning", tuning), ("held-out", held)):
        scores = [
            baseline("TF-IDF + agglomerative", tuning, part, tfidf_similarity),
            baseline("embeddings + agglomerative", tuning, part, vector_similarity),
            newsdesk(part, args.orders),
        ]
        for s in scores:
            rows.append({"half": half, **{k: getattr(s, k) for k in Score.__slots__}})
    print("| half | method | threshold | ARI | BCubed F1 | P@5 | shown | spread (ARI / B3 / P@5) |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        spread = " / ".join(f"{v:.3f}" for v in r["spread"])
        print(f"| {r['half']} | {r['method']} | {r['threshold']} | {r['ari']:.3f} | "
              f"{r['bcubed']:.3f} | {r['p5']:.3f} | {r['shown']:.1f} | {spread} |")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
