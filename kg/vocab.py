"""THE table: every entity kind and relation of kg, mapped once to RDF, GraphML/GEXF and Cypher.

Exporters read these tables and nothing else; to add a kind or relation, add a row here.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
SIOC = "http://rdfs.org/sioc/ns#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: kg's own vocabulary, for what no standard vocabulary covers (evidence, confidence, verbs).
KG = "https://kg.example/ns#"
#: Open relations from verbs: ``KG_VERB + lemma`` ("X deactivated Y" -> kgv:deactivate).
KG_VERB = "https://kg.example/verb/"
#: Default base of entity, post, statement and document IRIs (``--base`` changes it).
DEFAULT_BASE = "https://kg.example/id/"

PREFIXES = {
    "schema": SCHEMA, "foaf": FOAF, "sioc": SIOC, "prov": PROV, "dcterms": DCTERMS,
    "xsd": XSD, "rdf": RDF, "rdfs": RDFS, "kg": KG, "kgv": KG_VERB,
}


@dataclass(frozen=True)
class EntityKind:
    name: str  # the `kind` attribute of graph nodes
    rdf_types: tuple[str, ...]  # first one is the main class
    iri_segment: str  # <base>/<segment>/<slug>
    cypher_label: str
    spacy_labels: tuple[str, ...] = ()  # NER labels that map to this kind


ENTITY_KINDS: dict[str, EntityKind] = {k.name: k for k in [
    EntityKind("person", (SCHEMA + "Person",), "person", "Person", ("PERSON",)),
    EntityKind("organization", (SCHEMA + "Organization",), "org", "Organization", ("ORG",)),
    EntityKind("place", (SCHEMA + "Place",), "place", "Place", ("GPE", "LOC", "FAC")),
    EntityKind("account", (FOAF + "OnlineAccount", SIOC + "UserAccount"), "account", "Account",
               ("ACCOUNT",)),
    EntityKind("post", (SCHEMA + "SocialMediaPosting", SIOC + "Post"), "post", "Post"),
    EntityKind("document", (SCHEMA + "CreativeWork",), "doc", "Document"),
]}

KIND_OF_LABEL = {label: kind.name for kind in ENTITY_KINDS.values() for label in kind.spacy_labels}


@dataclass(frozen=True)
class RelationKind:
    name: str  # the `predicate` attribute of graph edges
    iri: str
    label: str  # human-readable, the edge `label`
    cypher_type: str
    literal: bool = False  # the object is a literal (an edge attribute, not a node)


RELATIONS: dict[str, RelationKind] = {r.name: r for r in [
    RelationKind("account", FOAF + "account", "has account", "HAS_ACCOUNT"),
    RelationKind("worksFor", SCHEMA + "worksFor", "works for", "WORKS_FOR"),
    RelationKind("parentOrganization", SCHEMA + "parentOrganization", "part of", "PART_OF"),
    RelationKind("homeLocation", SCHEMA + "homeLocation", "lives in", "LIVES_IN"),
    RelationKind("location", SCHEMA + "location", "based in", "BASED_IN"),
    RelationKind("containedInPlace", SCHEMA + "containedInPlace", "located in", "LOCATED_IN"),
    RelationKind("killed", KG + "killed", "killed", "KILLED"),
    RelationKind("jobTitle", SCHEMA + "jobTitle", "job title", "JOB_TITLE", literal=True),
    RelationKind("hasCreator", SIOC + "has_creator", "posted by", "POSTED_BY"),
    RelationKind("author", SCHEMA + "author", "written by", "WRITTEN_BY"),
    RelationKind("mentions", SCHEMA + "mentions", "mentions", "MENTIONS"),
]}

#: Properties of nodes and documents (literals), by graph attribute name.
PROPERTIES = {
    "name": SCHEMA + "name",
    "alternateName": SCHEMA + "alternateName",
    "accountName": FOAF + "accountName",
    "accountServiceHomepage": FOAF + "accountServiceHomepage",
    "text": SCHEMA + "text",
    "datePublished": SCHEMA + "datePublished",
    "identifier": DCTERMS + "identifier",
    "date": DCTERMS + "date",
    "temporal": DCTERMS + "temporal",
    "source": DCTERMS + "source",
    # Statement (evidence) nodes: RDF reification plus kg: terms.
    "evidence": KG + "evidence",
    "startOffset": KG + "startOffset",
    "endOffset": KG + "endOffset",
    "confidence": KG + "confidence",
    "extractor": KG + "extractor",
    "eventDate": KG + "eventDate",
    "verb": KG + "verb",
}

#: Social-media services (name -> homepage). Their names are organizations, whatever the NER says,
#: and a handle's service defaults to Twitter (the byline convention).
SERVICES = {
    "twitter": "https://twitter.com/", "x": "https://x.com/", "facebook": "https://www.facebook.com/",
    "instagram": "https://www.instagram.com/", "tiktok": "https://www.tiktok.com/",
    "youtube": "https://www.youtube.com/", "reddit": "https://www.reddit.com/",
    "linkedin": "https://www.linkedin.com/", "snapchat": "https://www.snapchat.com/",
    "threads": "https://www.threads.net/", "bluesky": "https://bsky.app/", "mastodon": "https://joinmastodon.org/",
    "telegram": "https://telegram.org/", "whatsapp": "https://www.whatsapp.com/", "twitch": "https://www.twitch.tv/",
}
DEFAULT_SERVICE = "twitter"


def verb_relation(lemma: str) -> RelationKind:
    """An open relation named after a verb lemma ("deactivate" -> kgv:deactivate)."""
    slug = re.sub(r"[^a-z0-9_]+", "_", lemma.lower()).strip("_") or "relate"
    return RelationKind(f"verb:{slug}", KG_VERB + slug, slug.replace("_", " "),
                        slug.upper())


def relation_kind(name: str) -> RelationKind:
    return verb_relation(name[5:]) if name.startswith("verb:") else RELATIONS[name]


def slugify(text: str) -> str:
    """A stable IRI segment from a name: accents folded, lower case, runs of other chars to '-'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not slug or len(slug) > 80:
        # Names with no ASCII letters (or huge ones) still need a stable, IRI-safe key.
        digest = hashlib.sha1(text.casefold().encode("utf-8")).hexdigest()[:16]
        slug = (slug[:60].strip("-") + "-" if slug else "") + digest
    return slug


def entity_iri(base: str, kind: str, key: str) -> str:
    return f"{base}{ENTITY_KINDS[kind].iri_segment}/{key}"


def xsd_datatype(value: str) -> str:
    """The XSD datatype of a normalized date value, read from its lexical shape."""
    if "T" in value:
        return XSD + "dateTime"
    return XSD + {1: "gYear", 2: "gYearMonth"}.get(value.count("-") + 1, "date")
