"""N-Quads shards: ``kg ingest -o DIR`` writes the corpus as ``part-*.nq`` (or ``.nq.gz``) files.

Shards are written under a ``.part`` name and renamed when complete (every ``docs_per_shard``
documents and at the end), so a crash leaves only whole shards behind, and every document's
quads are in exactly one shard. Resuming reads the ids of the documents in complete shards
back from their ``dcterms:identifier`` quads; there is no other index to keep in sync.
"""
from __future__ import annotations

import gzip
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.vocab import DCTERMS

_IDENTIFIER = f"<{DCTERMS}identifier>".encode()
SHARD_GLOBS = ("*.nq", "*.nq.gz")


def shard_files(folder: Path) -> list[Path]:
    """The complete shards in ``folder`` (any ``*.nq`` / ``*.nq.gz``), in name order."""
    return sorted(p for pattern in SHARD_GLOBS for p in folder.glob(pattern))


def _open_read(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")  # type: ignore[return-value]


def stored_ids(folder: Path) -> set[str]:
    """Ids of the documents already written to complete shards (what ``--resume`` skips)."""
    ids: set[str] = set()
    for path in shard_files(folder):
        with _open_read(path) as stream:
            for line in stream:
                if _IDENTIFIER in line:
                    quad = next(iter(ox.parse(line, format=ox.RdfFormat.N_QUADS)))
                    if quad.graph_name == quad.subject:  # the document describing itself
                        ids.add(quad.object.value)
    return ids


def read_quads(folder: Path) -> Iterator[ox.Quad]:
    """Every quad of every complete shard in ``folder``."""
    for path in shard_files(folder):
        with _open_read(path) as stream:
            yield from ox.parse(stream, format=ox.RdfFormat.N_QUADS)


class ShardWriter:
    """Appends documents' N-Quads to rotating shard files in ``folder``."""

    def __init__(self, folder: str | Path, compress: bool = False, docs_per_shard: int = 10_000):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob("*.part"):  # an interrupted earlier run: incomplete, not counted
            stale.unlink()
        self.compress, self.docs_per_shard = compress, docs_per_shard
        self.run = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
        self.number, self.in_shard = 0, 0
        self.written: list[Path] = []
        self._stream: BinaryIO | None = None
        self._path: Path | None = None

    def write(self, batch: list[tuple[str, bytes, str]]) -> int:
        """Writes ``(doc_id, nquads, graph_json)`` items; returns 0 (shards never replace documents)."""
        for _, nquads, _ in batch:
            if self._stream is None:
                self._open()
            self._stream.write(nquads)  # type: ignore[union-attr]
            self.in_shard += 1
            if self.in_shard >= self.docs_per_shard:
                self._finish()
        return 0

    def _open(self) -> None:
        suffix = ".nq.gz" if self.compress else ".nq"
        self._path = self.folder / f"part-{self.run}-{self.number:05d}{suffix}"
        part = self._path.with_name(self._path.name + ".part")
        raw = part.open("wb")
        self._stream = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3) if self.compress else raw  # type: ignore[assignment]
        self._raw = raw

    def _finish(self) -> None:
        if self._stream is None or self._path is None:
            return
        self._stream.close()
        if self.compress:
            self._raw.close()
        self._path.with_name(self._path.name + ".part").replace(self._path)
        self.written.append(self._path)
        self._stream, self._path = None, None
        self.number, self.in_shard = self.number + 1, 0

    def close(self) -> None:
        """Completes the current shard (call it also after an error: what was written is kept)."""
        self._finish()
