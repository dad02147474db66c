"""kg: offline knowledge-graph extraction from news text.

>>> import kg
>>> graph = kg.extract("date 2024-05-02\\nJane Roe, a spokeswoman for Acme Corp, said ...")
"""
from kg.documents import Document, InputError, read_documents
from kg.extract import analyze, extract, extract_many
from kg.graph import build_graph, merge_graphs
from kg.nlp.pipeline import load_pipeline

__all__ = [
    "Document", "InputError", "analyze", "build_graph", "extract", "extract_many", "load_pipeline",
    "merge_graphs", "read_documents",
]
__version__ = "0.1.0"
