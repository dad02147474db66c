// kg graph as Cypher (Neo4j 5, Memgraph, FalkorDB; LadybugDB via `kg load ladybug`).
// Nodes are MERGEd on `iri`; create an index on it first for speed (statements differ):
//   Neo4j:    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Person) REQUIRE n.iri IS UNIQUE;
//   Memgraph: CREATE INDEX ON :Person(iri);
//   FalkorDB: CREATE INDEX FOR (n:Person) ON (n.iri);
//   Neo4j:    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Organization) REQUIRE n.iri IS UNIQUE;
//   Memgraph: CREATE INDEX ON :Organization(iri);
//   FalkorDB: CREATE INDEX FOR (n:Organization) ON (n.iri);
//   Neo4j:    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Place) REQUIRE n.iri IS UNIQUE;
//   Memgraph: CREATE INDEX ON :Place(iri);
//   FalkorDB: CREATE INDEX FOR (n:Place) ON (n.iri);
//   Neo4j:    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Account) REQUIRE n.iri IS UNIQUE;
//   Memgraph: CREATE INDEX ON :Account(iri);
//   FalkorDB: CREATE INDEX FOR (n:Account) ON (n.iri);
//   Neo4j:    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Post) REQUIRE n.iri IS UNIQUE;
//   Memgraph: CREATE INDEX ON :Post(iri);
//   FalkorDB: CREATE INDEX FOR (n:Post) ON (n.iri);
//   Neo4j:    CREATE CONSTRAINT IF NOT EXISTS FOR (n:Document) REQUIRE n.iri IS UNIQUE;
//   Memgraph: CREATE INDEX ON :Document(iri);
//   FalkorDB: CREATE INDEX FOR (n:Document) ON (n.iri);

UNWIND [
  {iri: "https://kg.example/id/person/dev-patel", kind: "person", label: "Dev Patel", alternateName: null, documents: "harbor-city-outage", jobTitle: null, name: "Dev Patel"},
  {iri: "https://kg.example/id/person/jonathan-park", kind: "person", label: "Jonathan Park", alternateName: "CEO Jonathan Park | Park", documents: "harbor-city-outage", jobTitle: "CEO", name: "Jonathan Park"},
  {iri: "https://kg.example/id/person/lena-fischer", kind: "person", label: "Lena Fischer", alternateName: null, documents: "harbor-city-outage", jobTitle: null, name: "Lena Fischer"},
  {iri: "https://kg.example/id/person/maria-delgado", kind: "person", label: "Maria Delgado", alternateName: "Delgado", documents: "harbor-city-outage", jobTitle: "spokeswoman", name: "Maria Delgado"},
  {iri: "https://kg.example/id/person/priya-raman", kind: "person", label: "Priya Raman", alternateName: "Raman", documents: "harbor-city-outage", jobTitle: null, name: "Priya Raman"},
  {iri: "https://kg.example/id/person/sam-okafor", kind: "person", label: "Sam Okafor", alternateName: null, documents: "harbor-city-outage", jobTitle: null, name: "Sam Okafor"}
] AS row
MERGE (n:Person {iri: row.iri})
SET n.kind = row.kind, n.label = row.label, n.alternateName = row.alternateName, n.documents = row.documents, n.jobTitle = row.jobTitle, n.name = row.name;

UNWIND [
  {iri: "https://kg.example/id/org/harbor-city-transit-authority", kind: "organization", label: "Harbor City Transit Authority", alternateName: null, documents: "harbor-city-outage", name: "Harbor City Transit Authority"},
  {iri: "https://kg.example/id/org/northwind-software", kind: "organization", label: "Northwind Software", alternateName: "Northwind", documents: "harbor-city-outage", name: "Northwind Software"}
] AS row
MERGE (n:Organization {iri: row.iri})
SET n.kind = row.kind, n.label = row.label, n.alternateName = row.alternateName, n.documents = row.documents, n.name = row.name;

UNWIND [
  {iri: "https://kg.example/id/place/harbor-city", kind: "place", label: "Harbor City", alternateName: null, documents: "harbor-city-outage", name: "Harbor City"},
  {iri: "https://kg.example/id/place/oregon", kind: "place", label: "Oregon", alternateName: null, documents: "harbor-city-outage", name: "Oregon"},
  {iri: "https://kg.example/id/place/portland", kind: "place", label: "Portland", alternateName: "Portland, Oregon", documents: "harbor-city-outage", name: "Portland"},
  {iri: "https://kg.example/id/place/seattle", kind: "place", label: "Seattle", alternateName: null, documents: "harbor-city-outage", name: "Seattle"}
] AS row
MERGE (n:Place {iri: row.iri})
SET n.kind = row.kind, n.label = row.label, n.alternateName = row.alternateName, n.documents = row.documents, n.name = row.name;

UNWIND [
  {iri: "https://kg.example/id/account/twitter/devpatel88", kind: "account", label: "@devpatel88", accountName: "devpatel88", accountServiceHomepage: "https://twitter.com/", documents: "harbor-city-outage", name: "devpatel88"},
  {iri: "https://kg.example/id/account/twitter/harbortransit", kind: "account", label: "@HarborTransit", accountName: "HarborTransit", accountServiceHomepage: "https://twitter.com/", documents: "harbor-city-outage", name: "HarborTransit"},
  {iri: "https://kg.example/id/account/twitter/lenafischer_pdx", kind: "account", label: "@lenafischer_pdx", accountName: "lenafischer_pdx", accountServiceHomepage: "https://twitter.com/", documents: "harbor-city-outage", name: "lenafischer_pdx"},
  {iri: "https://kg.example/id/account/twitter/samokafor", kind: "account", label: "@samokafor", accountName: "samokafor", accountServiceHomepage: "https://twitter.com/", documents: "harbor-city-outage", name: "samokafor"}
] AS row
MERGE (n:Account {iri: row.iri})
SET n.kind = row.kind, n.label = row.label, n.accountName = row.accountName, n.accountServiceHomepage = row.accountServiceHomepage, n.documents = row.documents, n.name = row.name;

UNWIND [
  {iri: "https://kg.example/id/post/twitter/devpatel88/099e9d0243702365", kind: "post", label: "The app is back! Thank you to whoever fixed it", datePublished: "2024-03-13", documents: "harbor-city-outage", text: "The app is back! Thank you to whoever fixed it"},
  {iri: "https://kg.example/id/post/twitter/lenafischer_pdx/8d893f13a7b392fc", kind: "post", label: "Does anyone at @HarborTransit test these updates before ship", datePublished: "2024-03-13", documents: "harbor-city-outage", text: "Does anyone at @HarborTransit test these updates before shipping them?"},
  {iri: "https://kg.example/id/post/twitter/samokafor/f32a8f7718ace900", kind: "post", label: "Stood at the bus stop for 40 minutes with no idea when the 1", datePublished: "2024-03-13", documents: "harbor-city-outage", text: "Stood at the bus stop for 40 minutes with no idea when the 12 was coming. Great start to the week"}
] AS row
MERGE (n:Post {iri: row.iri})
SET n.kind = row.kind, n.label = row.label, n.datePublished = row.datePublished, n.documents = row.documents, n.text = row.text;

UNWIND [
  {iri: "https://kg.example/id/doc/harbor-city-outage", kind: "document", label: "harbor-city-outage", date: "2024-03-15", documents: "harbor-city-outage", identifier: "harbor-city-outage", source: "examples/harbor-city-outage.txt", temporal: "2019 2023-03 2024-03-13 2024-03-14"}
] AS row
MERGE (n:Document {iri: row.iri})
SET n.kind = row.kind, n.label = row.label, n.date = row.date, n.documents = row.documents, n.identifier = row.identifier, n.source = row.source, n.temporal = row.temporal;

UNWIND [
  {from: "https://kg.example/id/org/northwind-software", to: "https://kg.example/id/place/seattle", key: "location@harbor-city-outage@488", predicate: "location", label: "based in", iri: "https://schema.org/location", evidence: "The update was written by engineers at Northwind Software, a Seattle-based company that has maintained the app since 2019.", startOffset: 488, endOffset: 610, confidence: 0.85, extractor: "rule:org-a-place-based", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Organization {iri: row.from}), (b:Place {iri: row.to})
MERGE (a)-[r:BASED_IN {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

UNWIND [
  {from: "https://kg.example/id/person/dev-patel", to: "https://kg.example/id/account/twitter/devpatel88", key: "account@harbor-city-outage@1252", predicate: "account", label: "has account", iri: "http://xmlns.com/foaf/0.1/account", evidence: "The app is back! Thank you to whoever fixed it -- Dev Patel 🚇 (@devpatel88) March 13, 2024", startOffset: 1252, endOffset: 1342, confidence: 0.95, extractor: "rule:byline", document: "harbor-city-outage", date: null},
  {from: "https://kg.example/id/person/lena-fischer", to: "https://kg.example/id/account/twitter/lenafischer_pdx", key: "account@harbor-city-outage@1132", predicate: "account", label: "has account", iri: "http://xmlns.com/foaf/0.1/account", evidence: "Does anyone at @HarborTransit test these updates before shipping them?— Lena Fischer (@lenafischer_pdx) March 13, 2024", startOffset: 1132, endOffset: 1250, confidence: 0.95, extractor: "rule:byline", document: "harbor-city-outage", date: null},
  {from: "https://kg.example/id/person/sam-okafor", to: "https://kg.example/id/account/twitter/samokafor", key: "account@harbor-city-outage@992", predicate: "account", label: "has account", iri: "http://xmlns.com/foaf/0.1/account", evidence: "Stood at the bus stop for 40 minutes with no idea when the 12 was coming. Great start to the week — Sam Okafor (@samokafor) March 13, 2024", startOffset: 992, endOffset: 1130, confidence: 0.95, extractor: "rule:byline", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Person {iri: row.from}), (b:Account {iri: row.to})
MERGE (a)-[r:HAS_ACCOUNT {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

UNWIND [
  {from: "https://kg.example/id/person/priya-raman", to: "https://kg.example/id/place/portland", key: "homeLocation@harbor-city-outage@871", predicate: "homeLocation", label: "lives in", iri: "https://schema.org/homeLocation", evidence: "Raman, who lives in Portland, has pushed for stricter software audits since March 2023.", startOffset: 871, endOffset: 960, confidence: 0.9029, extractor: "model:relations", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Person {iri: row.from}), (b:Place {iri: row.to})
MERGE (a)-[r:LIVES_IN {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

UNWIND [
  {from: "https://kg.example/id/place/portland", to: "https://kg.example/id/place/oregon", key: "containedInPlace@harbor-city-outage@16", predicate: "containedInPlace", label: "located in", iri: "https://schema.org/containedInPlace", evidence: "Harbor City's transit app went dark for six hours on Wednesday after a contractor pushed a faulty update, leaving thousands of commuters in Portland, Oregon without live schedules.", startOffset: 16, endOffset: 198, confidence: 0.9944, extractor: "model:relations", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Place {iri: row.from}), (b:Place {iri: row.to})
MERGE (a)-[r:LOCATED_IN {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

UNWIND [
  {from: "https://kg.example/id/post/twitter/lenafischer_pdx/8d893f13a7b392fc", to: "https://kg.example/id/account/twitter/harbortransit", key: "mentions@harbor-city-outage@1132", predicate: "mentions", label: "mentions", iri: "https://schema.org/mentions", evidence: "Does anyone at @HarborTransit test these updates before shipping them?— Lena Fischer (@lenafischer_pdx) March 13, 2024", startOffset: 1132, endOffset: 1250, confidence: 0.9, extractor: "rule:post-text", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Post {iri: row.from}), (b:Account {iri: row.to})
MERGE (a)-[r:MENTIONS {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

UNWIND [
  {from: "https://kg.example/id/post/twitter/devpatel88/099e9d0243702365", to: "https://kg.example/id/account/twitter/devpatel88", key: "hasCreator@harbor-city-outage@1252", predicate: "hasCreator", label: "posted by", iri: "http://rdfs.org/sioc/ns#has_creator", evidence: "The app is back! Thank you to whoever fixed it -- Dev Patel 🚇 (@devpatel88) March 13, 2024", startOffset: 1252, endOffset: 1342, confidence: 0.95, extractor: "rule:byline", document: "harbor-city-outage", date: null},
  {from: "https://kg.example/id/post/twitter/lenafischer_pdx/8d893f13a7b392fc", to: "https://kg.example/id/account/twitter/lenafischer_pdx", key: "hasCreator@harbor-city-outage@1132", predicate: "hasCreator", label: "posted by", iri: "http://rdfs.org/sioc/ns#has_creator", evidence: "Does anyone at @HarborTransit test these updates before shipping them?— Lena Fischer (@lenafischer_pdx) March 13, 2024", startOffset: 1132, endOffset: 1250, confidence: 0.95, extractor: "rule:byline", document: "harbor-city-outage", date: null},
  {from: "https://kg.example/id/post/twitter/samokafor/f32a8f7718ace900", to: "https://kg.example/id/account/twitter/samokafor", key: "hasCreator@harbor-city-outage@992", predicate: "hasCreator", label: "posted by", iri: "http://rdfs.org/sioc/ns#has_creator", evidence: "Stood at the bus stop for 40 minutes with no idea when the 12 was coming. Great start to the week — Sam Okafor (@samokafor) March 13, 2024", startOffset: 992, endOffset: 1130, confidence: 0.95, extractor: "rule:byline", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Post {iri: row.from}), (b:Account {iri: row.to})
MERGE (a)-[r:POSTED_BY {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

UNWIND [
  {from: "https://kg.example/id/person/jonathan-park", to: "https://kg.example/id/org/northwind-software", key: "worksFor@harbor-city-outage@611", predicate: "worksFor", label: "works for", iri: "https://schema.org/worksFor", evidence: "Northwind CEO Jonathan Park said yesterday that his team had rolled back the change and would publish a full report next week.", startOffset: 611, endOffset: 739, confidence: 0.9827, extractor: "model:relations", document: "harbor-city-outage", date: null},
  {from: "https://kg.example/id/person/maria-delgado", to: "https://kg.example/id/org/harbor-city-transit-authority", key: "worksFor@harbor-city-outage@198", predicate: "worksFor", label: "works for", iri: "https://schema.org/worksFor", evidence: "Maria Delgado, a spokeswoman for the Harbor City Transit Authority, said the outage began shortly after 6 a.m. and that service was restored by noon.", startOffset: 198, endOffset: 347, confidence: 0.9988, extractor: "model:relations", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Person {iri: row.from}), (b:Organization {iri: row.to})
MERGE (a)-[r:WORKS_FOR {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

UNWIND [
  {from: "https://kg.example/id/post/twitter/devpatel88/099e9d0243702365", to: "https://kg.example/id/person/dev-patel", key: "author@harbor-city-outage@1252", predicate: "author", label: "written by", iri: "https://schema.org/author", evidence: "The app is back! Thank you to whoever fixed it -- Dev Patel 🚇 (@devpatel88) March 13, 2024", startOffset: 1252, endOffset: 1342, confidence: 0.9, extractor: "rule:byline", document: "harbor-city-outage", date: null},
  {from: "https://kg.example/id/post/twitter/lenafischer_pdx/8d893f13a7b392fc", to: "https://kg.example/id/person/lena-fischer", key: "author@harbor-city-outage@1132", predicate: "author", label: "written by", iri: "https://schema.org/author", evidence: "Does anyone at @HarborTransit test these updates before shipping them?— Lena Fischer (@lenafischer_pdx) March 13, 2024", startOffset: 1132, endOffset: 1250, confidence: 0.9, extractor: "rule:byline", document: "harbor-city-outage", date: null},
  {from: "https://kg.example/id/post/twitter/samokafor/f32a8f7718ace900", to: "https://kg.example/id/person/sam-okafor", key: "author@harbor-city-outage@992", predicate: "author", label: "written by", iri: "https://schema.org/author", evidence: "Stood at the bus stop for 40 minutes with no idea when the 12 was coming. Great start to the week — Sam Okafor (@samokafor) March 13, 2024", startOffset: 992, endOffset: 1130, confidence: 0.9, extractor: "rule:byline", document: "harbor-city-outage", date: null}
] AS row
MATCH (a:Post {iri: row.from}), (b:Person {iri: row.to})
MERGE (a)-[r:WRITTEN_BY {key: row.key}]->(b)
SET r.predicate = row.predicate, r.label = row.label, r.iri = row.iri, r.evidence = row.evidence, r.startOffset = row.startOffset, r.endOffset = row.endOffset, r.confidence = row.confidence, r.extractor = row.extractor, r.document = row.document, r.date = row.date;

