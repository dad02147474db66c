"""The custom attributes kg's components read and write on a spaCy ``Doc``.

Registered once here so every component (and every test) sees the same names.
"""
from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS = {
    "document_date": None,  # datetime.date | None: anchors relative dates ("Friday", "yesterday")
    "dates": None,  # list[DateMention]: normalized date expressions (kg_dates)
    "posts": None,  # list[Post]: embedded social-media posts (kg_posts)
    "entities": None,  # list[Entity]: one per real-world entity after alias merging (kg_entities)
    "relations": None,  # list[Relation]: rule and model relations (kg_relations)
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
