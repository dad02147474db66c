"""The learned relation classifier: one logistic model per data-model relation over entity pairs.

Why: the rules in ``relations.py`` are precise but see only fixed patterns; most relations a news
sentence states ("X, who works at Y", "the Y-based X", "X shot Y on Tuesday") are found by
weighing many weak cues at once. Each ordered pair of entity mentions in a sentence whose kinds
fit a relation (person -> organization: worksFor, ...) is described by sparse string features
(words between and around the mentions, the dependency path, the governing verb and
preposition); the model's probability becomes the relation's confidence.

The artifact is a gzipped JSON file of feature weights, so loading needs neither pickle nor
scikit-learn (which only ``kg.train.relations`` uses), and scoring a pair is a dict lookup per
feature.
"""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.nlp.entities import Entity, entity_at
from kg.nlp.lexicon import PLATFORM_NOUNS
from kg.nlp.relation_types import Relation, make_relation
from kg.nlp.relations import dedupe

MODEL_FILE = "model.json.gz"
EXTRACTOR = "model:relations"
DEFAULT_THRESHOLD = 0.5
#: relation -> (subject kind, object kind); one model each. Same-kind pairs are tried both ways.
SIGNATURES: dict[str, tuple[str, str]] = {
    "worksFor": ("person", "organization"),
    "homeLocation": ("person", "place"),
    "location": ("organization", "place"),
    "containedInPlace": ("place", "place"),
    "killed": ("person", "person"),
}
RELATION_OF_KINDS = {kinds: rel for rel, kinds in SIGNATURES.items()}
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
MAX_BETWEEN = 12  # words between two mentions beyond which only a coarse distance is kept


def _word(token: Token) -> str:
    if token.like_num:
        return "<num>"
    return token.lemma_.lower() if token.pos_ in {"VERB", "AUX", "NOUN"} else token.lower_


def _distance(n: int) -> str:
    for bound, name in ((0, "0"), (1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (8, "6-8"), (12, "9-12")):
        if n <= bound:
            return name
    return "13+"


def _path(s: Token, o: Token) -> tuple[list[str], list[str], Token | None]:
    """The dependency path s -> lowest common ancestor -> o: (labels, lemmas of inner nodes, LCA)."""
    up = [s, *s.ancestors]
    index = {t.i: k for k, t in enumerate(up)}
    down: list[Token] = []
    node: Token | None = o
    while node is not None and node.i not in index:
        down.append(node)
        node = node.head if node.head.i != node.i else None
    if node is None:
        return [], [], None
    rise = up[:index[node.i]]
    labels = [f"{t.dep_}^" for t in rise] + [f"{t.dep_}v" for t in reversed(down)]
    inner = [_word(t) for t in rise[1:]] + [_word(node)] * (node.i not in (s.i, o.i)) + [
        _word(t) for t in reversed(down[1:])]
    return labels, inner, node


def pair_features(doc: Doc, subj: Span, obj: Span, sent: Span | None = None,
                  ents: list[Span] | None = None) -> list[str]:
    """Sparse features of an ordered mention pair in one sentence (subject first); ``sent`` and
    its name ``ents`` may be passed in when scoring many pairs of one sentence."""
    forward = subj.start < obj.start
    left, right = (subj, obj) if forward else (obj, subj)
    d = "F" if forward else "R"
    between = [t for t in doc[left.end:right.start] if not t.is_space]
    words = [_word(t) for t in between]
    feats = [f"dir={d}", f"dist={d}{_distance(len(words))}",
             f"sl={subj.label_}", f"ol={obj.label_}", f"sl-ol={subj.label_}-{obj.label_}",
             f"sh={subj.root.lower_}", f"oh={obj.root.lower_}"]
    sent = subj.sent if sent is None else sent
    ents = sentence_names(sent) if ents is None else ents
    inside = [e.label_ for e in ents if left.end <= e.start and e.end <= right.start]
    feats += [f"ents_between={d}{min(len(inside), 3)}", f"ents_seq={d}{'_'.join(inside[:4])}"]
    for role, span in (("s", subj), ("o", obj)):
        same = [e for e in ents if e.label_ == span.label_ and e.start != span.start]
        feats.append(f"n{role}={min(len(same), 3)}")
        other = obj if role == "s" else subj
        gap = abs(span.start - other.start)
        feats.append(f"{role}closest={all(abs(e.start - other.start) > gap for e in same)}")
        feats += [f"{role}w={t.lower_}" for t in span if not t.is_punct]
    feats.append(f"root={sent.root.lemma_.lower()}")
    if len(words) <= MAX_BETWEEN:
        feats += [f"b={d}{w}" for w in set(words)] + [f"bu={w}" for w in set(words)]
        feats += [f"bb={d}{a}_{b}" for a, b in zip(words, words[1:], strict=False)]
        if words:
            feats += [f"bf={d}{words[0]}", f"bl={d}{words[-1]}"]
        if len(words) <= 4:
            feats.append(f"bs={d}{'_'.join(words)}")
    before = [_word(t) for t in doc[max(sent.start, left.start - 2):left.start]]
    after = [_word(t) for t in doc[right.end:min(sent.end, right.end + 2)]]
    feats += [f"L-{len(before) - k}={d}{w}" for k, w in enumerate(before)]
    feats += [f"R+{k + 1}={d}{w}" for k, w in enumerate(after)]
    labels, inner, lca = _path(subj.root, obj.root)
    if lca is not None:
        feats.append(f"plen={min(len(labels), 8)}")
        if len(labels) <= 6:
            feats.append("path=" + "_".join(labels))
            feats.append("pathw=" + "_".join(f"{a}:{b}" for a, b in zip(labels, [*inner, ""], strict=False)))
        feats += [f"pin={w}" for w in set(inner)]
        feats += [f"lca={_word(lca)}", f"lcapos={lca.pos_}"]
    for role, span in (("s", subj), ("o", obj)):
        root = span.root
        feats.append(f"{role}dep={root.dep_}")
        head = root.head
        if root.dep_ == "pobj":
            feats.append(f"{role}prep={head.lower_}_{_word(head.head)}")
        feats.append(f"{role}head={root.dep_}:{_word(head)}")
    return feats


@dataclass
class LinearModel:
    """Per relation: bias and feature weights of a logistic model."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: float = DEFAULT_THRESHOLD

    def probability(self, relation: str, features: list[str]) -> float:
        w = self.weights[relation]
        z = self.bias[relation] + sum(w.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def save(self, directory: Path, meta: dict | None = None) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILE
        data = {"format": "kg-relations/1", "threshold": self.threshold, "signatures": SIGNATURES,
                "bias": self.bias, "weights": self.weights, "meta": meta or {}}
        with gzip.open(path, "wt", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"), sort_keys=True)
        return path

    @classmethod
    def load(cls, directory: str | Path) -> LinearModel:
        path = Path(directory) / MODEL_FILE
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, EOFError, json.JSONDecodeError) as err:
            raise ValueError(f"cannot read the relation model {path}: {err}") from err
        if data.get("format") != "kg-relations/1" or set(data.get("weights", {})) - set(SIGNATURES):
            raise ValueError(f"{path} is not a kg relation model (format kg-relations/1)")
        return cls(data["weights"], data["bias"], float(data.get("threshold", DEFAULT_THRESHOLD)))


def sentence_names(sent: Span) -> list[Span]:
    return [e for e in sent.ents if e.label_ in NAME_LABELS]


def _names_a_platform(span: Span) -> bool:
    """"Twitter" in "Trump's Twitter account" names where the account is, not a party to a relation."""
    return span.root.dep_ == "compound" and span.root.head.lower_ in PLATFORM_NOUNS


def candidate_pairs(doc: Doc, sent: Span) -> list[tuple[str, Span, Entity, Span, Entity]]:
    """(relation, subject span, subject entity, object span, object entity) for every ordered
    pair of mentions in the sentence whose kinds fit a relation."""
    mentions = [(e, ent) for e in sent.ents for ent in [entity_at(doc, e)]
                if ent is not None and not _names_a_platform(e)]
    out = []
    for s_span, s_ent in mentions:
        for o_span, o_ent in mentions:
            if s_ent.id == o_ent.id or s_span.start == o_span.start:
                continue
            relation = RELATION_OF_KINDS.get((s_ent.kind, o_ent.kind))
            if relation is not None:
                out.append((relation, s_span, s_ent, o_span, o_ent))
    return out


@Language.factory("kg_relation_model", default_config={"path": "", "threshold": None})
class RelationModel:
    """Appends the model's relations (confidence = probability) to ``doc._.relations``."""

    def __init__(self, nlp: Language, name: str, path: str, threshold: float | None):
        self.name = name
        self.model = LinearModel.load(path)
        self.threshold = self.model.threshold if threshold is None else float(threshold)

    def __call__(self, doc: Doc) -> Doc:
        found: list[Relation] = []
        for sent in doc.sents:
            best: dict[tuple[str, str, str], tuple[float, Entity, Entity]] = {}
            names = sentence_names(sent)
            for relation, s_span, s_ent, o_span, o_ent in candidate_pairs(doc, sent):
                p = self.model.probability(relation, pair_features(doc, s_span, o_span, sent, names))
                key = (relation, s_ent.id, o_ent.id)
                if p >= self.threshold and p > best.get(key, (0.0,))[0]:
                    best[key] = (p, s_ent, o_ent)
            for (relation, _, _), (p, s_ent, o_ent) in best.items():
                found.append(make_relation(s_ent, relation, o_ent, sent, round(p, 4), EXTRACTOR))
        doc._.relations = dedupe(list(doc._.relations or []) + found)
        return doc
