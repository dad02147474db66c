"""The Relation record every relation extractor (rules, the parse, a model) produces."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span

from kg.nlp.entities import Entity


@dataclass(frozen=True)
class Relation:
    """``subject`` and ``object`` are entity ids (``kind:key``) or, for literals, the value.

    ``start_char``/``end_char`` bound the evidence sentence in ``doc.text``.
    """

    subject: str
    predicate: str  # a name in kg.vocab.RELATIONS, or "verb:<lemma>"
    object: str
    evidence: str
    start_char: int
    end_char: int
    confidence: float
    extractor: str
    literal: bool = False
    date: str | None = None


def make_relation(
    subject: Entity, predicate: str, obj: Entity | str, sentence: Span, confidence: float, extractor: str,
    date: str | None = None,
) -> Relation:
    literal = isinstance(obj, str)
    return Relation(
        subject=subject.id, predicate=predicate, object=obj if literal else obj.id,
        evidence=sentence.text.strip(), start_char=sentence.start_char, end_char=sentence.end_char,
        confidence=confidence, extractor=extractor, literal=literal, date=date,
    )
