"""``@handles`` are accounts: never a PERSON or ORG entity, always an ACCOUNT span."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg.nlp.posts import HANDLE


@Language.factory("kg_accounts")
class AccountFinder:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match in HANDLE.finditer(doc.text):
            span = doc.char_span(match.start(), match.end(), label="ACCOUNT", alignment_mode="contract")
            if span is not None and span.text == match.group():
                spans.append(span)
        if not spans:
            return doc
        covered = {i for span in spans for i in range(span.start, span.end)}
        kept = [ent for ent in doc.ents if ent.label_ == "ACCOUNT" or not covered.intersection(
            range(ent.start, ent.end))]
        doc.ents = filter_spans(spans + kept)
        return doc
