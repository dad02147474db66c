"""Relations from verbs: subject -> verb -> object between entity mentions, from the parse.

A few verbs carry a data-model relation when the argument kinds fit ("X killed Y" between
people is ``killed``; "X works for Y" is ``worksFor``); every other verb between two entities
becomes an open relation named by its lemma (and preposition: "meet_with").
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.nlp.entities import Entity, entity_at
from kg.nlp.relation_types import Relation, make_relation

KILL_VERBS = frozenset({"kill", "murder", "assassinate", "slay", "execute", "shoot", "stab", "strangle"})
#: (lemma or lemma_prep, subject kind, object kind) -> (relation, swap subject/object)
TYPED_VERBS: dict[tuple[str, str, str], tuple[str, bool]] = {
    **{(v, "person", "person"): ("killed", False) for v in KILL_VERBS},
    ("work_for", "person", "organization"): ("worksFor", False),
    ("work_at", "person", "organization"): ("worksFor", False),
    ("work_with", "person", "organization"): ("worksFor", False),
    ("join", "person", "organization"): ("worksFor", False),
    ("teach_at", "person", "organization"): ("worksFor", False),
    ("employ", "organization", "person"): ("worksFor", True),
    ("lead", "person", "organization"): ("worksFor", False),
    ("head", "person", "organization"): ("worksFor", False),
    ("chair", "person", "organization"): ("worksFor", False),
    ("found", "person", "organization"): ("worksFor", False),
    ("live_in", "person", "place"): ("homeLocation", False),
    ("reside_in", "person", "place"): ("homeLocation", False),
    ("base_in", "organization", "place"): ("location", False),
    ("headquarter_in", "organization", "place"): ("location", False),
    ("own", "organization", "organization"): ("parentOrganization", True),
    ("acquire", "organization", "organization"): ("parentOrganization", True),
}
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "dative", "attr", "oprd"})
WH_WORDS = frozenset({"who", "that", "which", "whom"})
TYPED_CONFIDENCE = 0.75
OPEN_CONFIDENCE = 0.6


def _expand(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Smith and Jones")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out += _expand(child)
    return out


def _entity_of(doc: Doc, token: Token) -> Entity | None:
    """The entity an argument names: itself, its apposition ("the company, Acme,"), or "@x's account"."""
    entity = entity_at(doc, doc[token.i:token.i + 1])
    if entity is not None:
        return entity
    for child in token.children:
        if child.dep_ == "appos":
            entity = entity_at(doc, doc[child.i:child.i + 1])
            if entity is not None:
                return entity
    if token.lemma_ in {"account", "handle", "profile"}:  # "@jane's account" is the account
        for child in token.children:
            if child.dep_ in {"poss", "compound"}:
                owner = entity_at(doc, doc[child.i:child.i + 1])
                if owner is not None and owner.kind == "account":
                    return owner
    return None


def _subjects(verb: Token) -> tuple[list[Token], bool]:
    """Grammatical agents of the verb, and whether it is passive."""
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    if passive:
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        return [t for a in agents for t in _expand(a)], True
    subjects = [t for c in verb.children if c.dep_ in SUBJECT_DEPS for t in _expand(c)]
    if subjects and all(s.lower_ in WH_WORDS for s in subjects) and verb.dep_ == "relcl":
        subjects = _expand(verb.head)
    if not subjects and verb.dep_ in {"conj", "xcomp", "advcl"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _subjects(verb.head)[0], passive
    return subjects, passive


def _objects(verb: Token, passive: bool) -> list[tuple[Token, str]]:
    """(argument, predicate suffix) pairs: direct objects, and prepositional ones as "lemma_prep"."""
    out: list[tuple[Token, str]] = []
    if passive:
        out += [(t, "") for c in verb.children if c.dep_ == "nsubjpass" for t in _expand(c)]
    out += [(t, "") for c in verb.children if c.dep_ in OBJECT_DEPS for t in _expand(c)]
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ != "by":
            out += [(t, prep.lower_) for p in prep.children if p.dep_ == "pobj" for t in _expand(p)]
    return out


def _clause_date(doc: Doc, verb: Token) -> str | None:
    """A date mention within the verb's own clause dates the event."""
    dates = doc._.dates or []
    if not dates:
        return None
    lo, hi = verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge)
    for mention in dates:
        if lo <= mention.start_char and mention.end_char <= hi:
            return mention.value
    return None


def verb_relations(doc: Doc, sent: Span, open_relations: bool = True) -> list[Relation]:
    out: list[Relation] = []
    for verb in sent:
        if verb.pos_ != "VERB":
            continue
        subjects, passive = _subjects(verb)
        subject_entities = [e for e in (_entity_of(doc, t) for t in subjects) if e is not None]
        if not subject_entities:
            continue
        negated = any(c.dep_ == "neg" for c in verb.children)
        date = _clause_date(doc, verb)
        for token, prep in _objects(verb, passive):
            obj = _entity_of(doc, token)
            if obj is None:
                continue
            lemma = verb.lemma_.lower() + (f"_{prep}" if prep else "")
            if passive and prep == "in" and verb.lemma_ in {"base", "headquarter"}:
                lemma = f"{verb.lemma_}_in"
            for subject in subject_entities:
                if subject.id == obj.id:
                    continue
                typed = TYPED_VERBS.get((lemma, subject.kind, obj.kind))
                if typed and not negated:
                    name, swap = typed
                    s, o = (obj, subject) if swap else (subject, obj)
                    out.append(make_relation(s, name, o, sent, TYPED_CONFIDENCE, f"verb:{lemma}", date))
                elif open_relations and not negated:
                    out.append(make_relation(subject, f"verb:{lemma}", obj, sent, OPEN_CONFIDENCE,
                                             "parse:svo", date))
    return out


LOCATED_VERBS = frozenset({"base", "headquarter", "locate"})


def _located_thing(doc: Doc, verb: Token) -> Entity | None:
    """What "based in X" describes: "Acme, based in X", "Acme is based in X", "Acme, which is based in X"."""
    if verb.dep_ == "acl":
        return entity_at(doc, doc[verb.head.i:verb.head.i + 1])
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            target = verb.head if child.lower_ in WH_WORDS and verb.dep_ == "relcl" else child
            return _entity_of(doc, target)
    return None


def passive_subject_relations(doc: Doc, sent: Span) -> list[Relation]:
    """"Acme (, which is) based in X": a location with no agent, so the verb rules do not see it."""
    out = []
    for verb in sent:
        if verb.lemma_ not in LOCATED_VERBS:
            continue
        thing = _located_thing(doc, verb)
        if thing is None:
            continue
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in {"in", "near", "outside"}:
                continue
            for pobj in _expand_first(prep):
                place = entity_at(doc, doc[pobj.i:pobj.i + 1])
                if place is None or place.kind != "place" or place.id == thing.id:
                    continue
                if thing.kind == "organization":
                    out.append(make_relation(thing, "location", place, sent, 0.85, "parse:based-in"))
                elif thing.kind == "place" and verb.lemma_ == "locate":
                    out.append(make_relation(thing, "containedInPlace", place, sent, 0.8, "parse:located-in"))
    return out


def _expand_first(prep: Token) -> list[Token]:
    return [t for p in prep.children if p.dep_ == "pobj" for t in _expand(p)][:1]
