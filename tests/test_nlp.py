"""The NLP components on sentences written for these tests (none from the evaluation data)."""
from __future__ import annotations

import datetime as dt

import pytest

import kg
from kg.nlp.entities import Entity
from kg.nlp.names import CUE_WEIGHT, context_cues
from kg.nlp.posts import clean_display_name, find_posts
from kg.nlp.relations import handle_spells_name


@pytest.fixture(scope="module")
def rules_nlp():
    """The pipeline without the relation model: what the rules find on their own."""
    from kg.nlp.pipeline import load_pipeline

    return load_pipeline(relation_model=None)


def analyse(nlp, text: str, date: str | None = None):
    (_, doc), = kg.analyze(nlp, [kg.documents.make_document(text, "t", date)])
    return doc


def entities(doc) -> dict[str, str]:
    return {e.name: e.kind for e in doc._.entities}


def relations(doc) -> set[tuple[str, str, str]]:
    names = {e.id: e.name for e in doc._.entities}
    return {(names[r.subject], r.predicate, names.get(r.object, r.object)) for r in doc._.relations}


@pytest.mark.parametrize("dash", ["\u2014", "\u2013", "--"])
@pytest.mark.parametrize("space", [" ", ""])
def test_byline_forms(dash, space):
    text = f"Best concert of my life!{space}{dash} Ana Ruiz___ (@anaruiz) July 4, 2021"
    post, = find_posts(text)
    assert post.text == "Best concert of my life!"
    assert (post.display_name, post.handle, post.date) == ("Ana Ruiz", "anaruiz", "2021-07-04")


def test_post_text_on_its_own_line_and_dashes_inside_it():
    text = "Intro paragraph.\n\nThe vote — finally — is over — Tom Berg (@tberg) Sept 30, 2020\n"
    post, = find_posts(text)
    assert post.text == "The vote — finally — is over"
    assert post.date == "2020-09-30"


def test_display_name_cleaning():
    assert clean_display_name("Kim Lee #VOTE__ 🚀")[0] == "Kim Lee"
    assert clean_display_name("Dr. Omar Haddad, PhD")[0] == "Dr. Omar Haddad, PhD"


def test_handles_are_accounts_never_people(nlp):
    doc = analyse(nlp, "Yesterday @gretaw said that @CityHallNews had deleted its post.")
    kinds = entities(doc)
    assert kinds.get("gretaw") == "account" and kinds.get("CityHallNews") == "account"
    assert not any(k in {"person", "organization"} for n, k in kinds.items() if "greta" in n.lower())


def test_alias_merging_and_possessives(nlp):
    doc = analyse(nlp, "Senator Helen Whitfield's office issued a statement. Whitfield later said "
                       "that Whitfield's staff had not been told.")
    people = [e for e in doc._.entities if e.kind == "person"]
    assert [p.name for p in people] == ["Helen Whitfield"]
    assert "Whitfield" in people[0].aliases


def test_context_makes_an_organization(nlp):
    doc = analyse(nlp, "A Fabrikam employee leaked the plans. Fabrikam's spokesman declined to comment, "
                       "and Fabrikam later fired the worker.")
    assert entities(doc).get("Fabrikam") == "organization"


def test_works_for_and_job_title(nlp):
    doc = analyse(nlp, "Laura Chen, a spokeswoman for Contoso Bank, denied the report. "
                       "Contoso Bank chief executive Martin Vogel resigned on Monday.")
    rels = relations(doc)
    assert ("Laura Chen", "worksFor", "Contoso Bank") in rels
    assert ("Laura Chen", "jobTitle", "spokeswoman") in rels
    assert ("Martin Vogel", "worksFor", "Contoso Bank") in rels


def test_places_and_locations(nlp):
    doc = analyse(nlp, "The festival moved from Austin, Texas to Denver. Brightline Robotics, a Boston-based "
                       "startup, sponsored it.")
    rels = relations(doc)
    assert ("Austin", "containedInPlace", "Texas") in rels
    assert ("Brightline Robotics", "location", "Boston") in rels


def test_killed_from_the_parse(nlp):
    doc = analyse(nlp, "Police said Victor Hale killed Daniel Moss in 1994.")
    assert ("Victor Hale", "killed", "Daniel Moss") in relations(doc)


def test_handle_spelling_links_account_to_person():
    person = Entity("person", "Rosa Alvarez", "rosa-alvarez")
    assert handle_spells_name("realrosaalvarez", person) >= 0.75
    assert handle_spells_name("ralvarez", person) >= 0.7
    assert handle_spells_name("weatherbot", person) == 0.0


def test_relative_dates_against_the_document_date(nlp):
    doc = analyse(nlp, "The mayor resigned on Tuesday. The council met yesterday and will vote in 2026.",
                  date="2025-06-13")
    values = {m.value for m in doc._.dates}
    assert {"2025-06-10", "2025-06-12", "2026"} <= values
    assert doc._.document_date == dt.date(2025, 6, 13)


def test_durations_are_not_dates(nlp):
    doc = analyse(nlp, "The site was down for 45 minutes and the fix took three hours.", date="2025-01-02")
    assert doc._.dates == []


def test_every_relation_has_evidence(nlp):
    doc = analyse(nlp, "Laura Chen, a spokeswoman for Contoso Bank, spoke in Austin, Texas.")
    assert doc._.relations
    for rel in doc._.relations:
        assert rel.evidence and doc.text[rel.start_char:rel.end_char].strip() == rel.evidence
        assert 0 < rel.confidence <= 1 and rel.extractor


def test_middle_initials_and_units(nlp):
    doc = analyse(nlp, "Senator Mary K. Lowell met Fabrikam executives. Lowell said Mary Lowell's office "
                       "would respond.\n\nWe are looking into it. — Fabrikam Support (@FabrikamHelp) May 2, 2022")
    people = [e.name for e in doc._.entities if e.kind == "person"]
    assert people == ["Mary K. Lowell"]
    assert ("Fabrikam Support", "parentOrganization", "Fabrikam") in relations(doc)


def test_organization_possessive_person(nlp):
    doc = analyse(nlp, "Contoso News's Priya Natarajan broke the story on Tuesday.", date="2022-05-06")
    assert ("Priya Natarajan", "worksFor", "Contoso News") in relations(doc)


def test_byline_glued_to_the_text_and_pronouns_in_the_name(nlp):
    doc = analyse(nlp, "Honestly? Good riddance.—Mark (he/him) (@markdoes) Oct. 28, 2022")
    post, = doc._.posts
    assert (post.text, post.display_name, post.date) == ("Honestly? Good riddance.", "Mark", "2022-10-28")
    assert ("Mark", "account", "markdoes") in relations(doc)


def test_title_for_the_organization(nlp):
    doc = analyse(nlp, "Omar Reyes, a spokesman for the Contoso Transit Authority, said service resumed.")
    rels = relations(doc)
    assert ("Omar Reyes", "jobTitle", "spokesman") in rels
    assert ("Omar Reyes", "worksFor", "Contoso Transit Authority") in rels


def _with_ents(nlp, text: str, ents: list[tuple[str, str]]):
    """Runs the pipeline with the NER's output replaced by ``ents`` ((surface, label), in order),
    to test what kg's own components make of a given tagging."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "ner":
            spans, pos = [], 0
            for surface, label in ents:
                start = text.index(surface, pos)
                pos = start + len(surface)
                spans.append(doc.char_span(start, pos, label=label))
            doc.ents = spans
    return doc


def test_untagged_state_after_a_town(nlp):
    doc = _with_ents(nlp, "The mill near Dunmore, Tenn. closed, and Ms. Okonkwo said so.",
                     [("Dunmore", "GPE"), ("Okonkwo", "PERSON")])
    assert entities(doc) == {"Dunmore": "place", "Tenn.": "place", "Okonkwo": "person"}
    assert ("Dunmore", "containedInPlace", "Tenn.") in relations(doc)
    names = {e.name: e.aliases for e in doc._.entities}
    assert "Dunmore, Tenn." in names["Dunmore"]
    assert "Ms. Okonkwo" in names["Okonkwo"]  # the titled form is a name too


def test_place_words_outvote_the_model(nlp):
    doc = _with_ents(nlp, "Rescuers searched Harlan Parish after the storm.", [("Harlan Parish", "PERSON")])
    assert entities(doc) == {"Harlan Parish": "place"}


def test_no_town_state_alias_inside_a_list(nlp):
    doc = _with_ents(nlp, "Flights to Ashvale, Tulsa, Brennick and Reno resumed.",
                     [("Ashvale", "GPE"), ("Tulsa", "GPE"), ("Brennick", "GPE"), ("Reno", "GPE")])
    assert all(not e.aliases for e in doc._.entities)


def test_possessive_inside_a_name_versus_an_owner(nlp):
    venue = analyse(nlp, "The concert at Maxwell's Music Hall in Dayton was cancelled.")
    assert "Maxwell's Music Hall" in entities(venue)
    unit = analyse(nlp, "Contoso's Cloud Security team found the flaw. Contoso said it was fixed.")
    assert {"Contoso", "Cloud Security team"} <= set(entities(unit))
    assert ("Cloud Security team", "parentOrganization", "Contoso") in relations(unit)


@pytest.mark.parametrize(("text", "name", "kind"), [
    # A list after a copula takes the kind of the subject noun.
    ("The airlines that fly the jet are Zorvik, Maltane and Quessa.", "Maltane", "organization"),
    # Examples of a class.
    ("Regional carriers such as Velora and Brightwing cut fares.", "Brightwing", "organization"),
    # An age in commas follows a person's name.
    ("Brenna Tolvaj, 52, of the Harwick Institute, was named director on Monday.", "Brenna Tolvaj", "person"),
    # Apposition and a describing noun before the name.
    ("The report came from Karvosk, the capital of Delmaria.", "Karvosk", "place"),
    ("Rumors said the mining company Dravenko would close its smelter.", "Dravenko", "organization"),
])
def test_describing_nouns_decide_the_kind(nlp, text, name, kind):
    doc = analyse(nlp, text)
    span, = [e for e in doc.ents if e.text == name]
    assert (kind, CUE_WEIGHT) in context_cues(span)
    assert entities(doc).get(name) == kind


def test_occupation_before_a_name_is_an_alternate_name(nlp):
    doc = analyse(nlp, "Composer Lito Varga was born in Oakdale.")
    varga, = [e for e in doc._.entities if e.kind == "person"]
    assert varga.name == "Lito Varga" and "Composer Lito Varga" in varga.aliases


def test_a_platform_named_before_account_is_not_an_employer(nlp):
    doc = analyse(nlp, "Someone shut off Senator Ella Moss's YouTube channel last week.")
    assert not any(r.predicate == "worksFor" for r in doc._.relations)


@pytest.mark.parametrize(("text", "expected", "rule"), [
    ("Brightwater Holdings, a Lisbon property firm, bought the tower last year.",
     ("Brightwater Holdings", "location", "Lisbon"), "rule:org-a-place-firm"),
    ("Kenya's Safaricom raised prices.", ("Safaricom", "location", "Kenya"), "rule:place-possessive-org"),
])
def test_organization_located_by_apposition_and_possessive(rules_nlp, text, expected, rule):
    doc = analyse(rules_nlp, text)
    names = {e.id: e.name for e in doc._.entities}
    found = {(names[r.subject], r.predicate, names.get(r.object)): r.extractor for r in doc._.relations}
    assert found.get(expected) == rule
