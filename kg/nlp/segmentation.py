"""Line breaks end sentences: headlines, bylines and quoted posts are not run-on prose."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_paragraphs")
def mark_line_breaks(doc: Doc) -> Doc:
    """Runs before the parser, which keeps the boundaries it is given."""
    for token in doc[:-1]:
        if "\n" in token.text or ("\n" in token.whitespace_ and token.i + 1 < len(doc)):
            doc[token.i + 1].is_sent_start = True
    return doc
