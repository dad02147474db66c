"""Rule relations: precise patterns over entity mentions, the parse and the posts' bylines.

Each rule has a fixed confidence that reflects how often its pattern is right in news text; the
learned model (when configured) adds relations the rules cannot see.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.entities import Entity, entity_at
from kg.nlp.lexicon import JOB_NOUNS, ORG_APPOSITIONS
from kg.nlp.relation_types import Relation, make_relation
from kg.nlp.svo import passive_subject_relations, verb_relations

_AGENT_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|ent)s?$")
OF_PREPS = frozenset({"of", "for", "at", "with"})
DETERMINERS = frozenset({"a", "an", "the", "its", "their"})
SUB_UNITS = frozenset({"unit", "division", "subsidiary", "arm", "branch", "part", "department", "team"})
BYLINE_CONFIDENCE = 0.95


def _words(span: Span) -> list[str]:
    return [t.lower_ for t in span if not t.is_space]


def _is_title(tokens: list) -> bool:
    """A short run of lower-case nouns/adjectives ending in a job noun: "customer support employee"."""
    if not tokens or len(tokens) > 4:
        return False
    last = tokens[-1]
    if last.lower_ not in JOB_NOUNS and not (last.pos_ == "NOUN" and _AGENT_SUFFIX.search(last.lower_)):
        return False
    return all(t.pos_ in {"NOUN", "ADJ", "PROPN"} and not t.is_punct for t in tokens)


def _title_text(tokens: list) -> str:
    return " ".join(t.text for t in tokens)


class SentenceRules:
    """The pattern rules of one sentence, over its ordered entity mentions."""

    def __init__(self, doc: Doc, sent: Span):
        self.doc, self.sent = doc, sent
        self.mentions: list[tuple[Span, Entity]] = []
        for ent in sent.ents:
            entity = entity_at(doc, ent)
            if entity is not None:
                self.mentions.append((ent, entity))
        self.out: list[Relation] = []

    def add(self, subject: Entity, predicate: str, obj: Entity | str, confidence: float, rule: str) -> None:
        if isinstance(obj, Entity) and obj.id == subject.id:
            return
        self.out.append(make_relation(subject, predicate, obj, self.sent, confidence, f"rule:{rule}"))

    def run(self) -> list[Relation]:
        for i, (span, entity) in enumerate(self.mentions):
            nxt = self.mentions[i + 1] if i + 1 < len(self.mentions) else None
            if nxt is not None:
                self._pair(span, entity, *nxt, i)
            self._person_apposition(span, entity, i)
            self._handle_in_brackets(span, entity)
        return self.out

    def _between(self, left: Span, right: Span) -> list:
        return [t for t in self.doc[left.end:right.start] if not t.is_space]

    def _pair(self, a: Span, ea: Entity, b: Span, eb: Entity, i: int) -> None:
        between = self._between(a, b)
        words = [t.lower_ for t in between]
        kinds = (ea.kind, eb.kind)
        after_b = self.doc[b.end] if b.end < len(self.doc) else None
        if kinds == ("place", "place") and words == [","]:
            in_list = after_b is not None and after_b.lower_ in {",", "and", "or"} and (
                i + 2 < len(self.mentions) and self.mentions[i + 2][1].kind == "place")
            if not in_list:
                self.add(ea, "containedInPlace", eb, 0.85, "place-comma-place")
        if kinds == ("organization", "person"):
            title = between[1:] if words[:1] in (["'s"], ["’s"]) else between
            if _is_title(title):  # "Acme's chief executive Jane Roe", "Acme spokesman John Doe"
                self.add(eb, "worksFor", ea, 0.85, "org-title-person")
                self.add(eb, "jobTitle", _title_text(title), 0.85, "org-title-person")
        if kinds == ("organization", "person") and words == [","]:
            self._title_for_org_comma_person(a, ea, eb)
        if kinds == ("organization", "person") and words in (["'s"], ["’s"]):  # "Acme's Jane Roe"
            self.add(eb, "worksFor", ea, 0.7, "org-possessive-person")
        if kinds == ("organization", "organization") and words in (["'s"], ["’s"]):
            self.add(eb, "parentOrganization", ea, 0.7, "org-possessive-org")
        if kinds == ("person", "organization") and words[:1] == [","]:
            self._person_comma_org(a, ea, between[1:], eb)
        if kinds == ("organization", "organization") and words[:1] == [","] and any(
                w in SUB_UNITS for w in words) and words[-1:] == ["of"]:
            self.add(ea, "parentOrganization", eb, 0.8, "org-unit-of-org")
        if kinds == ("organization", "place"):
            if words in ([",", "based", "in"], [",", "headquartered", "in"], ["based", "in"],
                         ["headquartered", "in"], [",", "based", "in", "the"]):
                self.add(ea, "location", eb, 0.85, "org-based-in-place")
            elif words == ["in"] and b.root.ent_type_ == "GPE":
                self.add(ea, "location", eb, 0.6, "org-in-place")
        if kinds == ("place", "organization") and words in (["-", "based"], ["based"]):
            self.add(eb, "location", ea, 0.85, "place-based-org")
        if kinds == ("organization", "place") and words in ([",", "a"], [",", "an"], [",", "the"]):
            following = [t.lower_ for t in self.doc[b.end:b.end + 2]]
            if following[:2] == ["-", "based"] or following[:1] == ["based"]:
                self.add(ea, "location", eb, 0.85, "org-a-place-based")
            elif self._describes_organization(b):  # "Tagus Holdings, a Lisbon property firm"
                self.add(ea, "location", eb, 0.8, "org-a-place-firm")
        if kinds == ("place", "organization") and words in (["'s"], ["’s"]):  # "Norway's Statkraft"
            self.add(eb, "location", ea, 0.7, "place-possessive-org")
        if kinds == ("person", "place") and (
                words in (["of"], [",", "of"]) or words[-2:] in (["resident", "of"], ["native", "of"])):
            self.add(ea, "homeLocation", eb, 0.7, "person-of-place")
        if kinds == ("place", "person") and words and words[-1] in {"resident", "native"} and len(words) <= 2:
            self.add(eb, "homeLocation", ea, 0.75, "place-resident-person")

    def _person_comma_org(self, a: Span, ea: Entity, rest: list, eb: Entity) -> None:
        """"Jane Roe, a spokeswoman for Acme" / "Jane Roe, Acme's CEO" / "Jane Roe, an Acme engineer"."""
        words = [t.lower_ for t in rest]
        core = rest[1:] if words[:1] and words[0] in DETERMINERS else rest
        if core and core[-1].lower_ in DETERMINERS:  # "... for the Acme Authority"
            core = core[:-1]
        if core and core[-1].lower_ in OF_PREPS and _is_title(core[:-1]):
            self.add(ea, "worksFor", eb, 0.85, "person-title-of-org")
            self.add(ea, "jobTitle", _title_text(core[:-1]), 0.85, "person-title-of-org")

    def _describes_organization(self, place: Span) -> bool:
        """The place modifies a noun saying what kind of organization: "a Lisbon (property) firm"."""
        for token in self.doc[place.end:place.end + 3]:
            if token.lower_ in ORG_APPOSITIONS or token.lemma_.lower() in ORG_APPOSITIONS:
                return token.is_lower
            if not (token.is_lower and token.pos_ in {"NOUN", "ADJ"}):
                return False
        return False

    def _title_for_org_comma_person(self, org_span: Span, org: Entity, person: Entity) -> None:
        """"A spokesperson for Acme, Jane Roe, said": the title and the organization come first."""
        start = org_span.start - 1
        if start >= self.sent.start and self.doc[start].lower_ in {"the", "a", "an"}:
            start -= 1
        if start < self.sent.start or self.doc[start].lower_ not in OF_PREPS:
            return
        for length in range(4, 0, -1):
            title = list(self.doc[max(start - length, self.sent.start):start])
            if len(title) == length and _is_title(title):
                self.add(person, "worksFor", org, 0.8, "title-for-org-person")
                self.add(person, "jobTitle", _title_text(title), 0.8, "title-for-org-person")
                return

    def _person_apposition(self, span: Span, entity: Entity, i: int) -> None:
        """"Jane Roe, Acme's CEO" and "Jane Roe, an Acme engineer": the org comes first in the title."""
        if entity.kind != "person" or i + 1 >= len(self.mentions):
            return
        org_span, org = self.mentions[i + 1]
        if org.kind != "organization":
            return
        lead = [t.lower_ for t in self._between(span, org_span)]
        if lead not in ([","], [",", "a"], [",", "an"], [",", "the"]):
            return
        tail = []
        for token in self.doc[org_span.end:min(org_span.end + 6, self.sent.end)]:
            if token.lower_ in {"'s", "’s"} and not tail:
                continue
            if token.is_punct or token.ent_type_:
                break
            tail.append(token)
        while tail and not _is_title(tail):
            tail.pop()
        if tail:
            self.add(entity, "worksFor", org, 0.8, "person-org-title")
            self.add(entity, "jobTitle", _title_text(tail), 0.8, "person-org-title")

    def _handle_in_brackets(self, span: Span, entity: Entity) -> None:
        """"Jane Roe (@janeroe)" and "Acme's Twitter account @acme" in prose (bylines have their own rule)."""
        if entity.kind not in {"person", "organization"} or self._in_byline(span):
            return
        window = self.doc[span.end:span.end + 3]
        if len(window) == 3 and window[0].text == "(" and window[2].text == ")":
            account = entity_at(self.doc, window[1:2])
            if account is not None and account.kind == "account":
                self.add(entity, "account", account, 0.9, "name-bracket-handle")
        window = [t for t in self.doc[span.end:span.end + 5] if t.text not in {",", ":"}]
        words = [t.lower_ for t in window]
        if words[:1] in (["'s"], ["’s"]) and "account" in words[1:3]:
            after = window[words.index("account", 1) + 1] if words.index("account", 1) + 1 < len(window) else None
            account = entity_at(self.doc, self.doc[after.i:after.i + 1]) if after is not None else None
            if account is not None and account.kind == "account":
                self.add(entity, "account", account, 0.85, "possessive-account-handle")

    def _in_byline(self, span: Span) -> bool:
        return any(p.start_char <= span.start_char and span.end_char <= p.date_end for p in self.doc._.posts or [])


def post_relations(doc: Doc) -> list[Relation]:
    """A byline's display name owns its handle."""
    out = []
    for post in doc._.posts or []:
        handle = doc.char_span(post.handle_start, post.handle_start + len(post.handle) + 1,
                               alignment_mode="expand")
        name = doc.char_span(post.name_start, post.name_end, alignment_mode="expand") if post.display_name else None
        account = entity_at(doc, handle) if handle is not None else None
        owner = entity_at(doc, name) if name is not None else None
        if account is None or owner is None or account.kind != "account":
            continue
        line = doc.char_span(post.start_char, post.date_end, alignment_mode="expand")
        if line is not None:
            out.append(make_relation(owner, "account", account, line, BYLINE_CONFIDENCE, "rule:byline"))
    return out


def handle_spells_name(handle: str, entity: Entity) -> float:
    """How surely a handle spells an entity's name: ``realjanedoe`` -> Jane Doe (0.9)."""
    letters = re.sub(r"[^a-z]", "", handle.lower())
    names = [entity.name, *entity.aliases]
    best = 0.0
    for name in names:
        words = [re.sub(r"[^a-z]", "", w) for w in name.lower().split()]
        words = [w for w in words if w]
        if len(words) >= 3:  # "Jane Q. Doe" spells as "janedoe" too
            words = [w for w in words if len(w) > 1] or words
        if len(words) >= 2:
            full = "".join(words)
            if len(full) >= 6 and full in letters:
                best = max(best, 0.9 if len(full) >= len(letters) - 6 else 0.75)
            elif len(words[-1]) >= 4 and (words[0][0] + words[-1]) in letters:
                best = max(best, 0.75)
        elif len(words) == 1 and entity.kind == "organization" and len(words[0]) >= 4 and words[0] == letters:
            best = max(best, 0.85)
    return best


def ownership_by_spelling(doc: Doc, owned: set[str]) -> list[Relation]:
    out = []
    agents = [e for e in doc._.entities if e.kind in {"person", "organization"}]
    for account in doc._.entities:
        if account.kind != "account" or account.id in owned:
            continue
        scored = sorted(((handle_spells_name(account.name, a), a) for a in agents), key=lambda x: -x[0])
        if not scored or scored[0][0] < 0.7 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            continue
        confidence, owner = scored[0]
        start, end = account.mentions[0]
        sentence = doc.char_span(start, end, alignment_mode="expand").sent
        out.append(make_relation(owner, "account", account, sentence, confidence, "rule:handle-spells-name"))
    return out


def units_by_name(doc: Doc) -> list[Relation]:
    """An organization named after another ("Acme Safety" beside "Acme") is a unit of it."""
    orgs = {e.name.lower(): e for e in doc._.entities if e.kind == "organization"}
    out = []
    for name, unit in orgs.items():
        words = name.split()
        for cut in range(len(words) - 1, 0, -1):
            parent = orgs.get(" ".join(words[:cut]))
            if parent is not None:
                start, end = unit.mentions[0]
                sentence = doc.char_span(start, end, alignment_mode="expand").sent
                out.append(make_relation(unit, "parentOrganization", parent, sentence, 0.6, "rule:unit-name"))
                break
    return out


@Language.factory("kg_relations", default_config={"open_relations": True})
class RelationExtractor:
    """Sets ``doc._.relations``: byline ownership, patterns, handle spelling, verbs."""

    def __init__(self, nlp: Language, name: str, open_relations: bool):
        self.name = name
        self.open_relations = open_relations

    def __call__(self, doc: Doc) -> Doc:
        relations = post_relations(doc)
        for sent in doc.sents:
            relations += SentenceRules(doc, sent).run()
            relations += verb_relations(doc, sent, open_relations=self.open_relations)
            relations += passive_subject_relations(doc, sent)
        owned = {r.object for r in relations if r.predicate == "account"}
        relations += ownership_by_spelling(doc, owned)
        relations += units_by_name(doc)
        doc._.relations = dedupe(relations)
        return doc


def dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, sentence): the most confident."""
    best: dict[tuple, Relation] = {}
    for rel in relations:
        key = (rel.subject, rel.predicate, rel.object, rel.start_char)
        if key not in best or rel.confidence > best[key].confidence:
            best[key] = rel
    return list(best.values())
