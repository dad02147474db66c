"""One entity per real-world thing in a document: mentions merged by name.

"Trump" joins "Donald Trump", "U.S." joins "US", "the United States" is "United States"; the
canonical name is the fullest form seen, and the entity's key (hence its IRI) comes from it, so
every document that names the entity the same way agrees on its IRI.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.lexicon import ORG_NAME_WORDS, PERSON_NOUNS, PERSON_TITLES
from kg.vocab import DEFAULT_SERVICE, KIND_OF_LABEL, slugify

_SPACES = re.compile(r"\s+")
_HANDLE_CHARS = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class Entity:
    """A merged entity; ``mentions`` are (start_char, end_char) offsets in ``doc.text``."""

    kind: str
    name: str
    key: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    service: str | None = None  # accounts only

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def clean_name(text: str) -> str:
    """A surface form as a name: no possessive, quotes, underscores or stray brackets."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("_", " ")
    text = re.sub(r"'s?$", "", text.strip())
    text = text.strip(" \t\n\"“”()[]{}<>,;:!?*@#")
    return _SPACES.sub(" ", text)


def canonical_form(name: str, kind: str) -> str:
    if kind != "person" and name.lower().startswith("the "):
        name = name[4:]
    if kind == "person":  # "Prof. Alan Brooks" and "Ohio Gov. Alan Brooks" are Alan Brooks
        words = name.split()
        titles = [k for k, w in enumerate(words[:-2]) if w.lower() in PERSON_TITLES]
        if titles and all(w[:1].isupper() for w in words[titles[-1] + 1:]):
            words = words[titles[-1] + 1:]
        name = " ".join(words)
    if re.fullmatch(r"(?:[A-Z]\.){2,}", name):  # U.S. -> US
        name = name.replace(".", "")
    return name


ACRONYM_SKIP = frozenset({"of", "and", "the", "for", "&", "de", "on", "in"})


def _alias(text: str, kind: str) -> str:
    """A surface form as an alternate name: cleaned, without a leading article ("the Guardian")."""
    if kind == "account":
        return _HANDLE_CHARS.sub("", text)
    name = clean_name(text)
    return name[4:] if kind != "person" and name.lower().startswith("the ") else name


def _acronym(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in ACRONYM_SKIP]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def cluster_mentions(doc: Doc) -> tuple[list[Entity], dict[tuple[int, int], Entity]]:
    """Group ``doc.ents`` into entities; returns them and the mention -> entity map."""
    groups: dict[tuple[str, str], list[Span]] = {}
    for ent in doc.ents:
        kind = KIND_OF_LABEL.get(ent.label_)
        if kind is None:
            continue
        if kind == "account":
            handle = _HANDLE_CHARS.sub("", ent.text)
            if handle:
                groups.setdefault((kind, handle.lower()), []).append(ent)
            continue
        name = canonical_form(clean_name(ent.text), kind)
        if name and any(ch.isalpha() for ch in name):
            groups.setdefault((kind, name.lower()), []).append(ent)

    # Short forms join the one longer name they abbreviate ("Trump" -> "Donald Trump", "US").
    parent: dict[tuple[str, str], tuple[str, str]] = {}
    names = sorted(groups, key=lambda k: (-len(k[1]), k[1]))
    for short in names:
        kind, text = short
        if kind == "account":
            continue
        matches = [
            long for long in names
            if long[0] == kind and long != short and long not in parent and _abbreviates(text, long[1], kind)
        ]
        if len(matches) == 1:
            parent[short] = matches[0]

    entities: dict[tuple[str, str], Entity] = {}
    mention_map: dict[tuple[int, int], Entity] = {}
    for group_key in names:
        root = group_key
        while root in parent:
            root = parent[root]
        spans = groups[group_key]
        entity = entities.get(root)
        if entity is None:
            entity = entities[root] = _new_entity(root, groups[root])
        for span in spans:
            entity.aliases.add(_alias(span.text, root[0]))
            entity.mentions.append((span.start_char, span.end_char))
            mention_map[(span.start_char, span.end_char)] = entity
    _town_state_aliases(doc, mention_map)
    _title_aliases(doc, mention_map)
    for entity in entities.values():
        entity.aliases.discard(entity.name)
        entity.mentions.sort()
    ordered = sorted(entities.values(), key=lambda e: e.mentions[0])
    return ordered, mention_map


def _town_state_aliases(doc: Doc, mention_map: dict[tuple[int, int], Entity]) -> None:
    """"Millbrook, Ill." is also a name of Millbrook (the two stay separate places, related by
    containedInPlace); not inside lists of places ("Paris, Lyon, Nice and Lille")."""
    places = [e for e in doc.ents if KIND_OF_LABEL.get(e.label_) == "place"]
    starts, ends = {e.start for e in places}, {e.end for e in places}
    for town, state in zip(places, places[1:], strict=False):
        follows = [t.lower_ for t in doc[state.end:state.end + 2]]
        in_list = (follows[:1] in (["and"], ["or"]) or follows[:1] == [","] and state.end + 1 in starts
                   or town.start > 0 and doc[town.start - 1].text == "," and town.start - 1 in ends)
        if doc[town.end:state.start].text != "," or in_list:
            continue
        entity = mention_map.get((town.start_char, town.end_char))
        if entity is not None and town.sent == state.sent:
            entity.aliases.add(doc.text[town.start_char:state.end_char])


def _title_aliases(doc: Doc, mention_map: dict[tuple[int, int], Entity]) -> None:
    """"Ms. Okonkwo" is also a name of the person the model tagged as "Okonkwo" (writers name
    people both ways, with and without the title); so is "Actress Ana Ruiz"."""
    for ent in doc.ents:
        before = doc[ent.start - 1] if ent.start > 0 else None
        if (KIND_OF_LABEL.get(ent.label_) == "person" and before is not None
                and (before.lower_ in PERSON_TITLES or before.lower_ in PERSON_NOUNS) and before.text[:1].isupper()):
            entity = mention_map.get((ent.start_char, ent.end_char))
            if entity is not None:
                entity.aliases.add(clean_name(doc.text[before.idx:ent.end_char]))


def _abbreviates(short: str, long: str, kind: str) -> bool:
    short_words, long_words = short.split(), long.split()
    if kind == "person":
        # A surname or a given name alone, or "Jane Doe" for "Jane Q. Doe".
        if len(short_words) >= len(long_words):
            return False
        if short_words == long_words[-len(short_words):] or short_words == long_words[:len(short_words)]:
            return True
        return len(short_words) > 1 and short_words == [w for w in long_words if len(w.strip(".")) > 1]
    if len(short_words) < len(long_words) and short_words == long_words[-len(short_words):] and kind == "place":
        return False
    # "US" for "United States"; "Acme" for "Acme Software" (but not for "Acme Safety", a unit of Acme).
    return short.replace(".", "").upper() == _acronym(long).upper() or (
        kind == "organization" and len(short_words) < len(long_words)
        and long_words[:len(short_words)] == short_words
        and all(w in ORG_NAME_WORDS for w in long_words[len(short_words):])
    )


def _new_entity(key: tuple[str, str], spans: list[Span]) -> Entity:
    kind = key[0]
    if kind == "account":
        forms = Counter(_HANDLE_CHARS.sub("", span.text) for span in spans)
        handle = forms.most_common(1)[0][0]
        return Entity(kind, handle, key[1], service=DEFAULT_SERVICE)
    forms = Counter(canonical_form(clean_name(span.text), kind) for span in spans)
    # The most frequent spelling, preferring capitalised ones ("Twitter" over "twitter").
    name = max(forms, key=lambda f: (f[:1].isupper(), forms[f], f))
    return Entity(kind, name, slugify(name))


@Language.factory("kg_entities")
class EntityResolver:
    """Sets ``doc._.entities`` (and the private mention map the relation rules use)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        if not Doc.has_extension("entity_of_mention"):
            Doc.set_extension("entity_of_mention", default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.entities, doc._.entity_of_mention = cluster_mentions(doc)
        return doc


def entity_at(doc: Doc, span: Span) -> Entity | None:
    """The entity a span is a mention of (an exact or enclosing mention)."""
    mentions = doc._.entity_of_mention or {}
    found = mentions.get((span.start_char, span.end_char))
    if found is not None:
        return found
    # The enclosing entity from the tokens' IOB tags: no scan of doc.ents (this runs per argument token).
    if not len(span) or not span[0].ent_type_:
        return None
    start = span.start
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = start + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    if span.end > end:
        return None
    last = doc[end - 1]
    return mentions.get((doc[start].idx, last.idx + len(last.text)))
