"""The learned relation model: a quick training run, the shipped artifact, data validation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, require_shared, run_kg

from kg.nlp.relation_model import EXTRACTOR, MODEL_FILE, LinearModel, candidate_pairs, pair_features
from kg.train.ner import TrainingDataError
from kg.train.relations import load_relation_data, train_relations

SHIPPED = ROOT / "models" / "relations"


@pytest.fixture(scope="module")
def rules_nlp():
    from kg.nlp.pipeline import load_pipeline

    return load_pipeline(relation_model=None)


def test_small_training_run_produces_loadable_model(tmp_path, rules_nlp):
    conll = require_shared("data", "conll04")
    out = tmp_path / "relations"
    metrics = train_relations(conll / "conll04_train.json", conll / "conll04_dev.json", out, limit=40,
                              nlp=rules_nlp)
    assert metrics["train_sentences"] == 40
    assert 0.0 <= metrics["dev"]["micro"]["f1"] <= 1.0
    assert json.loads((out / "metrics.json").read_text())["threshold"] == metrics["threshold"]
    model = LinearModel.load(out)
    assert set(model.weights) == {"worksFor", "homeLocation", "location", "containedInPlace", "killed"}
    from kg.nlp.pipeline import load_pipeline

    nlp = load_pipeline(relation_model=out)
    assert nlp.pipe_names.index("kg_relation_model") == nlp.pipe_names.index("kg_relations") + 1
    doc = nlp("Maria Lopez, a lawyer at Siemens, lives in Denver.")
    assert all(r.extractor for r in doc._.relations)


@pytest.mark.skipif(not (SHIPPED / MODEL_FILE).exists(), reason="models/relations has not been trained")
def test_shipped_model_scores_known_pairs(rules_nlp):
    model = LinearModel.load(SHIPPED)
    doc = rules_nlp("Police said Jonas Berg shot and killed Peter Lind near the harbour on Friday.")
    (sent,) = doc.sents
    scores = {(rel, s.name, o.name): model.probability(rel, pair_features(doc, ss, os))
              for rel, ss, s, os, o in candidate_pairs(doc, sent)}
    assert scores[("killed", "Jonas Berg", "Peter Lind")] >= model.threshold
    assert scores[("killed", "Peter Lind", "Jonas Berg")] < model.threshold


@pytest.mark.skipif(not (SHIPPED / MODEL_FILE).exists(), reason="models/relations has not been trained")
def test_pipeline_emits_model_relations_with_probabilities():
    from kg.nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    text = "Tom Hale, who works for the Bergen Shipping Company, lives in Oslo."
    found = {(r.predicate, r.subject, r.object): r for r in nlp(text)._.relations}
    rel = found[("worksFor", "person:tom-hale", "organization:bergen-shipping-company")]
    assert 0.0 < rel.confidence <= 1.0
    strict = load_pipeline(relation_threshold=1.0)
    assert not [r for r in strict(text)._.relations if r.extractor == EXTRACTOR]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "cannot read JSON"),
        ('[{"tokens": ["A", "b"], "entities": [{"type": "Peop", "start": 0, "end": 1}],'
         ' "relations": [{"type": "Kill", "head": 0, "tail": 3}]}]', "not among 1 entities"),
        ('[{"tokens": ["A"], "entities": [{"type": "Peop", "start": 0, "end": 1}],'
         ' "relations": [{"type": "Likes", "head": 0, "tail": 0}]}]', "unknown type"),
        ('[{"tokens": ["A"], "entities": [], "relations": {}}]', "must be a list"),
    ],
)
def test_malformed_data_is_refused(tmp_path, content, fragment):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(TrainingDataError, match=fragment):
        load_relation_data(bad)


def test_train_command_refuses_malformed_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('[{"tokens": ["A"], "entities": [], "relations": [{"type": "Kill", "head": 0, "tail": 1}]}]')
    result = run_kg("train", "relations", "--train", str(bad), "--dev", str(bad), "-o", str(tmp_path / "out"))
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "broken.json, record 0" in message and "relation 0" in message
    assert not (tmp_path / "out").exists()


def test_model_file_must_be_a_relation_model(tmp_path):
    (tmp_path / MODEL_FILE).write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="cannot read the relation model"):
        LinearModel.load(tmp_path)
    assert isinstance(Path(tmp_path), Path)
