"""Where ``kg ingest`` runs its chunks: in this process, in a pool of processes, or on Dask.

All three offer the same small interface (``workers``, ``submit(chunk)`` returning a future,
``wait(pending)``, ``close()``), so :func:`kg.ingest.run_ingest` bounds the chunks in flight and
writes results the same way whichever runs them. Kept apart from the ingest loop because each
backend has its own start-up and shutdown rules (spawned processes, a Dask client and cluster).
"""
from __future__ import annotations

from concurrent import futures

from spacy.language import Language

from kg.batch import PipelineConfig, process_chunk
from kg.documents import Document


class Inline:
    """Runs chunks in this process (``--processes 1``): no pickling, the lowest overhead."""

    workers = 1

    def __init__(self, config: PipelineConfig, nlp: Language | None):
        self.config, self.nlp = config, nlp

    def submit(self, chunk: list[Document]) -> futures.Future:
        future: futures.Future = futures.Future()
        future.set_result(process_chunk(chunk, self.config, self.nlp))
        return future

    def wait(self, pending: set) -> tuple[set, set]:
        return set(pending), set()

    def close(self) -> None:
        pass


class Processes:
    """A pool of N spawned worker processes, each loading the model once (its initializer)."""

    def __init__(self, config: PipelineConfig, processes: int):
        import multiprocessing

        from kg.batch import warm

        self.config, self.workers = config, processes
        self.pool = futures.ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                                initializer=warm, initargs=(config,))

    def submit(self, chunk: list[Document]) -> futures.Future:
        return self.pool.submit(process_chunk, chunk, self.config)

    def wait(self, pending: set) -> tuple[set, set]:
        done, rest = futures.wait(pending, return_when=futures.FIRST_COMPLETED)
        return done, rest

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Dask:
    """An existing Dask cluster (``tcp://host:8786``) or ``local``: a LocalCluster of N processes."""

    def __init__(self, config: PipelineConfig, address: str, processes: int, timeout: float = 60):
        import logging

        from distributed import Client, LocalCluster

        from kg.batch import warm

        self.config, self.cluster = config, None
        if address == "local":
            self.cluster = LocalCluster(n_workers=processes, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster, timeout=timeout)
        else:
            self.client = Client(address, timeout=timeout)
        self.client.wait_for_workers(1, timeout=timeout)
        self.client.run(warm, config)  # every worker loads the model once, before the first chunk
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))

    def submit(self, chunk: list[Document]):
        return self.client.submit(process_chunk, chunk, self.config, pure=False)

    def wait(self, pending: set) -> tuple[set, set]:
        from distributed import wait

        done, rest = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done), set(rest)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
