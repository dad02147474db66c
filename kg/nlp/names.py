"""Cleaner entity spans and kinds than the small model gives.

Three fixes, each general: trim what is not part of a name (possessive 's, brackets, underscores,
text after a line break); decide one kind per surface form by context cues ("a Twitter employee",
"Acme's spokesman") outvoting the model's per-mention guesses; and find the mentions the model
missed of a name it did recognise elsewhere in the same document.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.nlp.lexicon import (
    CHAT_WORDS,
    NOBLE_TITLES,
    ORG_APPOSITIONS,
    ORG_CUE_NOUNS,
    ORG_NAME_WORDS,
    PERSON_NOUNS,
    PERSON_TITLES,
    PLACE_NAME_WORDS,
    PLACE_NOUNS,
    STATE_ABBREVIATIONS,
    TIME_ZONES,
    UNIT_NOUNS,
    WEAK_ORG_CUE_NOUNS,
)
from kg.vocab import KIND_OF_LABEL, SERVICES

LABEL_OF_KIND = {"person": "PERSON", "organization": "ORG", "place": "GPE"}
NAME_LABELS = frozenset(KIND_OF_LABEL) - {"ACCOUNT"}
#: Labels the model gives names it half-recognised; context may turn them into one of ours.
RELABELABLE = NAME_LABELS | {"PRODUCT", "WORK_OF_ART", "NORP"}
CUE_WEIGHT = 3
POSSESSIVE = frozenset({"'s", "’s"})
PLACE_LABELS = frozenset({"GPE", "LOC"})


def split_possessive(span: Span, standalone: set[str]) -> list[Span]:
    """"Acme's Research team" is two names, the owner and its unit; so is "Acme's Widget" when
    "Acme" is also named on its own. Otherwise the possessive is part of one name ("Ford's Theater")."""
    cut = next((t.i for t in span[1:-1] if t.text in POSSESSIVE), None)
    if cut is None or span.label_ not in {"ORG", "PERSON", "PRODUCT", "WORK_OF_ART"}:
        return [span]
    doc = span.doc
    owner = Span(doc, span.start, cut, label=span.label_)
    unit = extend_to_unit(Span(doc, cut + 1, span.end, label="ORG"))
    if unit.root.lower_ in UNIT_NOUNS:
        return [owner, unit]
    if surface_key(owner.text) in standalone:
        return [owner, unit] if unit.root.pos_ == "PROPN" else [owner]
    return [span]


def state_spans(doc: Doc, names: list[Span], taken: set[int]) -> list[Span]:
    """Untagged state abbreviations right after "Town,": "Millbrook, Ill." (also "Ill ." when
    the period is a token of its own)."""
    place_ends = {s.end for s in names if s.label_ in PLACE_LABELS}
    found = []
    for token in doc[2:]:
        text = token.lower_ if token.lower_.endswith(".") else token.lower_ + "."
        dotted = token.lower_.endswith(".") or token.i + 1 < len(doc) and doc[token.i + 1].text == "."
        if (text in STATE_ABBREVIATIONS and dotted and token.text[:1].isupper() and token.i not in taken
                and doc[token.i - 1].text == "," and token.i - 1 in place_ends):
            found.append(Span(doc, token.i, token.i + 1, label="GPE"))
    return found


def extend_to_unit(span: Span) -> Span:
    """Extends an ORG span over "and Elections team" up to a following unit noun it modifies."""
    head = span.root.head
    if head.lower_ not in UNIT_NOUNS or not span.end <= head.i <= span.end + 3:
        return span
    between = span.doc[span.end:head.i]
    if all(t.pos_ in {"PROPN", "CCONJ"} or t.is_title for t in between):
        return Span(span.doc, span.start, head.i + 1, label=span.label_)
    return span


def _is_edge_junk(token: Token) -> bool:
    text = token.text
    return (
        token.is_space or token.is_punct and text not in {"&"} or text in {"'s", "’s", "'", "’"}
        or text.startswith(("@", "#")) or set(text) <= set("_-")
    )


def trim_span(span: Span) -> Span | None:
    """The span without edge junk and without anything from a line break on."""
    start, end = span.start, span.end
    for token in span:
        if "\n" in token.text or "\n" in token.whitespace_ and token.i < end - 1:
            end = token.i + (0 if "\n" in token.text else 1)
            break
    doc = span.doc
    while start < end and _is_edge_junk(doc[start]) and doc[start].text.lower() != "the":
        start += 1
    while end > start and (_is_edge_junk(doc[end - 1]) and not doc[end - 1].text.endswith(".")
                           or doc[end - 1].text in {"'s", "’s", "'", "’", ".", "-"}):
        end -= 1
    if start >= end or not any(ch.isalpha() for t in doc[start:end] for ch in t.text):
        return None
    return Span(doc, start, end, label=span.label_)


def without_occupation(span: Span) -> Span:
    """"Composer Ana Ruiz" is Ana Ruiz: an occupation capitalised before a person's name is not part
    of the name, only of an alternate name (kg.nlp.entities adds it), like a title."""
    first = span[0]
    if (span.label_ == "PERSON" and len(span) > 1 and first.lower_ in PERSON_NOUNS
            and first.lower_ not in PERSON_TITLES and span[1].is_title):
        return Span(span.doc, span.start + 1, span.end, label=span.label_)
    return span


def surface_key(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower().removeprefix("the ")


def kind_of_noun(token: Token) -> str | None:
    """The kind a common noun says its name is: "company" -> organization, "pianist" -> person."""
    lowercase = token.is_lower or token.is_title and token.i == token.sent.start
    if token.pos_ not in {"NOUN", "PROPN"} or not lowercase or token.ent_type_:
        return None
    for word in (token.lower_, token.lemma_.lower()):
        if word in ORG_APPOSITIONS:
            return "organization"
        if word in PERSON_NOUNS:
            return "person"
        if word in PLACE_NOUNS:
            return "place"
    return None


#: Words that introduce examples of a class: "airlines such as ...", "companies including ...".
EXAMPLE_MARKERS = frozenset({"including", "like", "as"})


def described_by(span: Span) -> Token | None:
    """The common noun a name is described as, through apposition, a copula, a noun it follows as a
    compound, or a list of examples: "Ruiz, a pianist", "the copper company Codex", "airlines
    flying it are A, B and C", "cities such as A and B", "the capital, A"."""
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= span.end:
            return child
    before = span.doc[span.start - 1] if span.start > 0 else None
    if (before is not None and before.dep_ == "compound" and before.head.i in range(span.start, span.end)
            and not (before.i > 0 and span.doc[before.i - 1].text == "-")):  # not "a 28-member Opera"
        return before
    first = root
    while first.dep_ == "conj" and first.head.i < first.i:
        first = first.head
    head = first.head
    if first.dep_ == "appos" and head.i < first.i:
        return head
    if first.dep_ == "attr" and head.lemma_ == "be":
        return next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if first.dep_ == "pobj" and head.lower_ in EXAMPLE_MARKERS:
        noun = head.head.head if head.lower_ == "as" and head.head.lower_ == "such" else head.head
        return noun if noun.pos_ == "NOUN" else None
    return None


def _is_age(span: Span) -> bool:
    """"Ruiz, 47, of Springfield": a number set off by commas right after a name is an age."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "," or doc[span.end + 2].text != ",":
        return False
    age = doc[span.end + 1]
    return age.text.isdigit() and 1 <= int(age.text) <= 120


def context_cues(span: Span) -> list[tuple[str, int]]:
    """(kind, weight) votes from the words around a mention and the name's own last word."""
    cues = []
    noun = described_by(span)
    kind = kind_of_noun(noun) if noun is not None else None
    if kind == "place" and noun.i < span.start:  # "the state Supreme Court", "city Council"
        kind = None
    if kind is not None:
        cues.append((kind, CUE_WEIGHT))
    if _is_age(span) or len(span) > 2 and span[0].lower_ in NOBLE_TITLES and span[1].lower_ == "of":
        cues.append(("person", CUE_WEIGHT))
    root = span.root
    if root.dep_ in {"compound", "poss", "nmod", "amod"}:
        head = root.head.lower_
        if head in ORG_CUE_NOUNS:
            cues.append(("organization", CUE_WEIGHT))
        elif head in WEAK_ORG_CUE_NOUNS and not (root.dep_ == "poss" and head in {"account", "accounts"}):
            cues.append(("organization", 1))
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in PERSON_TITLES and (before.is_title or before.is_upper):
        cues.append(("person", CUE_WEIGHT))
    if surface_key(span.text) in SERVICES and surface_key(span.text) != "x":
        cues.append(("organization", CUE_WEIGHT))
    if len(span) > 1 and span[-1].lower_ in ORG_NAME_WORDS:
        cues.append(("organization", CUE_WEIGHT))
    elif len(span) > 1 and span[-1].lower_ in PLACE_NAME_WORDS:
        cues.append(("place", CUE_WEIGHT))
    return cues


def choose_kinds(spans: list[Span]) -> dict[str, str]:
    """One kind per surface form: context cues outweigh the model's per-mention labels."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for span in spans:
        key = surface_key(span.text)
        kind = KIND_OF_LABEL.get(span.label_)
        cast = [(kind, 1)] if kind in LABEL_OF_KIND else []
        words = key.split()
        for vote, weight in cast + context_cues(span):
            votes[key][vote] += weight
            if vote == "person" and len(words) > 1:  # "Helen Whitfield" makes "Whitfield" a person
                votes[words[-1]][vote] += weight
    kinds = {key: counter.most_common(1)[0][0] for key, counter in votes.items() if counter}
    # "Acme Safety" next to "Acme" (an organization) is a unit of it, not a person.
    for key, kind in kinds.items():
        words = key.split()
        if kind == "person" and len(words) > 1 and kinds.get(words[0]) == "organization":
            kinds[key] = "organization"
    return kinds


def _is_noise(span: Span) -> bool:
    """Hashtags and chat words are not names ("#ClimateCrisis", "LOL")."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    return (before is not None and before.text == "#" and not before.whitespace_) or (
        span.text.lower() in CHAT_WORDS or span.text.lower() in TIME_ZONES)


def cue_spans(doc: Doc, taken: set[int]) -> list[Span]:
    """Untagged proper nouns modifying a strong organization cue: "Fabrikam spokesperson ..."."""
    found = []
    for token in doc:
        if token.lower_ not in ORG_CUE_NOUNS:
            continue
        # A capitalised common noun counts too when a person's name follows: "Fabrikam spokesperson Jo Li".
        before_person = token.i + 1 < len(doc) and doc[token.i + 1].ent_type_ == "PERSON"
        chain = [c for c in token.lefts if c.dep_ == "compound" and (
            c.pos_ == "PROPN" or before_person and c.is_title and c.pos_ == "NOUN")]
        if not chain or any(c.i in taken for c in chain):
            continue
        start, end = min(c.left_edge.i for c in chain), max(c.i for c in chain) + 1
        if all(t.is_title or t.is_upper for t in doc[start:end]) and not taken.intersection(
                range(start, end)):
            found.append(Span(doc, start, end, label="ORG"))
    return found


def _missed_mentions(doc: Doc, kinds: dict[str, str], taken: set[int]) -> list[Span]:
    """Token-exact repeats of recognised capitalised names that the model did not tag."""
    by_first: dict[str, list[tuple[list[str], str]]] = defaultdict(list)
    for key, kind in kinds.items():
        words = key.split()
        if kind in LABEL_OF_KIND and len(key) >= 3:
            by_first[words[0]].append((words, kind))
    found = []
    for token in doc:
        if token.i in taken or not token.is_title and not token.is_upper:
            continue
        for words, kind in by_first.get(token.lower_, ()):
            end = token.i + len(words)
            if end <= len(doc) and [t.lower_ for t in doc[token.i:end]] == words and not taken.intersection(
                    range(token.i, end)):
                found.append(Span(doc, token.i, end, label=LABEL_OF_KIND[kind]))
                break
    return found


@Language.factory("kg_names")
class NameCleaner:
    def __init__(self, nlp: Language, name: str, add_missed: bool = True):
        self.name = name
        self.add_missed = add_missed

    def __call__(self, doc: Doc) -> Doc:
        other, names = [], []
        # Names mentioned on their own somewhere ("Acme" in "Acme said"): an owner in "Acme's X".
        standalone = {surface_key(ent.text) for ent in doc.ents
                      if not any(t.text in POSSESSIVE for t in ent[1:-1])}
        standalone |= {surface_key(trimmed.text) for ent in doc.ents if (trimmed := trim_span(ent)) is not None}
        for ent in doc.ents:
            if ent.label_ not in RELABELABLE:
                other.append(ent)
                continue
            if _is_noise(ent):
                continue
            for part in split_possessive(ent, standalone):
                span = trim_span(part)
                if span is not None:
                    names.append(extend_to_unit(span) if span.label_ == "ORG" else without_occupation(span))
        taken = {i for span in names + other for i in range(span.start, span.end)}
        names += cue_spans(doc, taken)
        names += state_spans(doc, names, taken)
        kinds = choose_kinds(names)
        relabelled = []
        for span in names:
            kind = kinds.get(surface_key(span.text))
            if kind is not None:
                relabelled.append(Span(doc, span.start, span.end, label=LABEL_OF_KIND[kind])
                                  if KIND_OF_LABEL.get(span.label_) != kind else span)
            elif span.label_ in NAME_LABELS:
                relabelled.append(span)
        spans = relabelled + other
        if self.add_missed:
            taken = {i for span in spans for i in range(span.start, span.end)}
            spans += _missed_mentions(doc, kinds, taken)
        doc.ents = filter_spans(spans)
        return doc
