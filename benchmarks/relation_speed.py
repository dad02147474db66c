"""Speed of extraction with the relation model vs without it (rules only), same corpus, same run.

    python benchmarks/relation_speed.py [--corpus FILE.jsonl|FILE.txt] [--rounds 3]

Default corpus: the CoNLL04 dev sentences (../shared) when present, else the example article
repeated. Each round times both pipelines over the whole corpus (order alternating); the best
round of each is reported, then the ratio (with / without; the goal is >= 0.7).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
from kg.nlp.pipeline import default_relation_model_path, load_pipeline  # noqa: E402

CONLL_DEV = ROOT.parent / "shared" / "data" / "conll04" / "conll04_dev.json"


def corpus(path: Path | None) -> list[str]:
    if path is not None:
        if path.suffix == ".jsonl":
            return [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
        return [path.read_text()]
    if CONLL_DEV.exists():
        return [" ".join(r["tokens"]) for r in json.loads(CONLL_DEV.read_text())]
    return [(ROOT / "examples" / "harbor-city-outage.txt").read_text()] * 20


def words_per_second(nlp, texts: list[str]) -> float:
    start = time.perf_counter()
    words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32))
    return words / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if default_relation_model_path() is None:
        print("models/relations is absent: train it first (kg train relations ...)")
        return 1
    texts = corpus(args.corpus)
    with_model, rules_only = load_pipeline(), load_pipeline(relation_model=None)
    words_per_second(with_model, texts[:20])  # warm-up
    words_per_second(rules_only, texts[:20])
    best = {"with": 0.0, "without": 0.0}
    for i in range(args.rounds):
        order = [("with", with_model), ("without", rules_only)]
        for name, nlp in order if i % 2 == 0 else order[::-1]:
            best[name] = max(best[name], words_per_second(nlp, texts))
    print(f"{len(texts)} documents; words/s without the model {best['without']:,.0f}, "
          f"with it {best['with']:,.0f}; ratio {best['with'] / best['without']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
