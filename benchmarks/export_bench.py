"""B3 of benchmarks/corpus_bench.py: 1M quads exported by kg vs rdflib ``serialize`` (run it from there).

The 1M-quad store is filled through the real ingest API (``GraphStore.add_documents``) with
copies of the documents of B1's store; see :func:`b3_export`.
"""
from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path


def _copy_document(graph, old: str, new: str, suffix: str, base: str):
    """A document's property graph under a new id, its entity IRIs suffixed (a copy shares nothing)."""
    import networkx as nx

    from kg.graph import document_iri, document_token

    old_iri, new_iri = document_iri(base, old), document_iri(base, new)

    def iri(node: str) -> str:
        return new_iri if node == old_iri else node + suffix

    copy = nx.MultiDiGraph(literal_relations=[{**r, "subject": iri(r["subject"]), "document": new}
                                              for r in graph.graph.get("literal_relations", [])])
    for node, attrs in graph.nodes(data=True):
        attrs = {**attrs, "documents": document_token(new)}
        if attrs.get("kind") == "document":
            attrs.update(identifier=new, label=new)
        copy.add_node(iri(node), **attrs)
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        copy.add_edge(iri(source), iri(target), key=f"{key}{suffix}", **{**attrs, "document": new})
    return copy


def b3_fill(source_dir: Path, stores: list, target: int):
    """Copies of the source store's documents, written through ``GraphStore.add_documents`` (as kg
    ingest writes them: each document's N-Quads and node-link JSON, 64 documents a call) under new
    ids (``<id>-c<copy>``) and entity IRIs until the stores hold ``target`` quads.

    Returns (documents written, source documents, source quads).
    """
    import networkx as nx
    import pyoxigraph as ox

    from kg.export.rdf import graph_quads
    from kg.store import GraphStore

    with GraphStore(source_dir, create=False) as source:
        ids = [d["id"] for d in source.documents(limit=10**9)]
        graphs = [(doc_id, source.document_graph(doc_id)) for doc_id in ids]
        source_quads = source.count_triples()
    batch: list[tuple[str, bytes, str]] = []
    written = quads = copy = 0
    while quads < target:
        for doc_id, graph in graphs:
            if quads >= target:
                break
            new = f"{doc_id}-c{copy}"
            doc = _copy_document(graph, doc_id, new, f"-c{copy}", stores[0].base)
            nquads = ox.serialize(set(graph_quads(doc, stores[0].base)), format=ox.RdfFormat.N_QUADS) or b""
            data = json.dumps({**nx.node_link_data(doc, edges="edges"), "kg_document": new}, ensure_ascii=False)
            batch.append((new, nquads, data))
            quads += nquads.count(b"\n")
            written += 1
            if len(batch) == 64:
                for store in stores:
                    store.add_documents(batch)
                batch = []
        copy += 1
    for store in stores:
        if batch:
            store.add_documents(batch)
        store.flush()
    return written, len(ids), source_quads


def _drop_caches() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def b3_export(source_dir: Path, work_dir: Path, target: int = 1_000_000, cold: bool = False) -> dict:
    """~1M quads written by kg's two RDF exporters vs rdflib ``serialize`` of the same quads.

    The 1M-quad stores (on disk and in memory) are filled through ``GraphStore.add_documents``
    with copies of the documents of ``source_dir`` (B1's store) (:func:`b3_fill`). ``kg export
    --store`` is ``GraphStore.export`` of the on-disk store (its documents' N-Quads rows) and, for
    comparison, of the in-memory store (read from Oxigraph); ``kg extract`` is ``write_rdf`` of the
    store's merged property graph (``GraphStore.graph()``; quads generated inside the timing). rdflib
    serializes a Dataset / Graph already built from the store's quads (building it is not timed).
    kg's timings are the median of 3 runs (write_rdf: 1), rdflib's one run, each after a garbage
    collection; kg's are taken before rdflib's Dataset is built (its millions of objects would
    make kg's garbage collections, not its exports, slower; ``kg export`` runs in its own process).
    With ``cold`` (root: writes /proc/sys/vm/drop_caches), also the on-disk store's exports and
    Oxigraph's own N-Quads dump of it (kg's former path) each run once with an empty page cache.
    """
    import gc
    import statistics

    import pyoxigraph as ox
    import rdflib

    from kg.export.rdf import write_rdf
    from kg.store import GraphStore
    from kg.vocab import PREFIXES

    memory, disk = GraphStore(None), GraphStore(work_dir / "b3-store")
    started = time.perf_counter()
    documents, source_documents, source_quads = b3_fill(source_dir, [disk, memory], target)
    os.sync()  # the fill's ~1 GB of writes go to disk now, not during the timings
    result: dict = {"documents": documents, "source_documents": source_documents, "source_quads": source_quads,
                    "fill_s": round(time.perf_counter() - started, 1), "quads": len(memory._store)}
    exports = {fmt: io.BytesIO() for fmt in ("nquads", "turtle")}
    for fmt, output in exports.items():
        disk.export(fmt, output)
    quads = set(memory._store)
    if set(ox.parse(exports["nquads"].getvalue(), format=ox.RdfFormat.N_QUADS)) != quads:
        raise RuntimeError("B3: the on-disk store's N-Quads export differs from the store's quads")
    union_triples = {ox.Quad(q.subject, q.predicate, q.object) for q in quads}
    if set(ox.parse(exports["turtle"].getvalue(), format=ox.RdfFormat.TURTLE)) != union_triples:
        raise RuntimeError("B3: the on-disk store's Turtle export differs from the store's triples")
    del quads, union_triples

    every_run: dict[str, list[float]] = {}

    def timed(write, *args, runs: int = 1, name: str = "", **kwargs) -> float:
        seconds = []
        for _ in range(runs):
            gc.collect()
            started = time.perf_counter()
            write(*args, **kwargs)
            seconds.append(time.perf_counter() - started)
        if name:
            every_run[name] = [round(s, 2) for s in seconds]
        return statistics.median(seconds)

    # kg's side first, before rdflib's objects exist (they would slow kg's garbage collections)
    for fmt in ("nquads", "turtle"):
        result[fmt] = {"kg_export_store_s": timed(disk.export, fmt, io.BytesIO(), runs=3, name=fmt),
                       "kg_export_memory_store_s": timed(memory.export, fmt, io.BytesIO(), runs=3)}
        result[fmt]["kg_export_store_runs_s"] = every_run[fmt]
    if cold:
        for fmt in ("nquads", "turtle"):
            _drop_caches()
            result[fmt]["kg_export_store_cold_s"] = timed(disk.export, fmt, io.BytesIO())
        _drop_caches()
        result["nquads"]["oxigraph_dump_cold_s"] = timed(disk._store.dump, io.BytesIO(), ox.RdfFormat.N_QUADS)
    graph = disk.graph()  # the merged property graph (what kg export --format graphml reads)
    for fmt in ("nquads", "turtle"):
        result[fmt]["kg_extract_write_rdf_s"] = timed(write_rdf, graph, fmt, io.BytesIO())
    nquads = exports["nquads"].getvalue().decode("utf-8")
    del graph, exports
    memory.close()
    disk.close()
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    del nquads
    union = rdflib.Graph()
    for prefix, iri in PREFIXES.items():
        union.bind(prefix, iri)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    result["union_triples"] = len(union)
    for fmt, obj in (("nquads", dataset), ("turtle", union)):
        x = result[fmt]
        x["rdflib_s"] = timed(obj.serialize, format=fmt)
        for key, name in (("store", "kg_export_store_s"), ("memory_store", "kg_export_memory_store_s"),
                          ("write_rdf", "kg_extract_write_rdf_s")):
            x[f"speedup_{key}"] = round(x["rdflib_s"] / x[name], 1)
        if "kg_export_store_cold_s" in x:
            x["speedup_store_cold"] = round(x["rdflib_s"] / x["kg_export_store_cold_s"], 1)
        result[fmt] = {k: round(v, 2) if k.endswith("_s") and isinstance(v, float) else v for k, v in x.items()}
    return result
