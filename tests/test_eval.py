"""The figures the issues ask for, measured with the shared scorer on the real CLI's output."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import require_shared, run_kg


def score(mode: str, gold, pred) -> dict:
    scorer = require_shared("eval", "score.py")
    out = subprocess.run([sys.executable, str(scorer), mode, str(gold), str(pred), "--json"],
                         capture_output=True, text=True, check=True, timeout=300)
    return json.loads(out.stdout)


def test_sample_article_scores_at_least_095_everywhere(tmp_path):
    sample = require_shared("samples", "twitter-rogue-employee.txt")
    gold = require_shared("eval", "gold", "twitter-rogue-employee.json")
    result = run_kg("extract", str(sample), "-o", str(tmp_path), "--format", "nquads")
    assert result.returncode == 0, result.stderr.decode()
    figures = score("gold", gold, tmp_path / "twitter-rogue-employee.nq")
    lines = ["Person", "Organization", "Account", "relations", "dates", "posts", "post_dates", "post_mentions"]
    low = {k: figures[k]["f1"] for k in lines if figures[k]["f1"] < 0.95}
    assert not low, f"F1 below 0.95: {low}"


def test_conll04_dev_entities(tmp_path):
    split = require_shared("data", "conll04", "conll04_dev.json")
    scorer = require_shared("eval", "score.py")
    corpus = tmp_path / "dev.jsonl"
    corpus.write_bytes(subprocess.run([sys.executable, str(scorer), "conll04-input", str(split)],
                                      capture_output=True, check=True).stdout)
    result = run_kg("extract", str(corpus), "-o", str(tmp_path), "--format", "nquads")
    assert result.returncode == 0, result.stderr.decode()
    figures = score("conll04", split, tmp_path / "dev.nq")
    assert figures["entities"]["f1"] >= 0.80, figures["entities"]
