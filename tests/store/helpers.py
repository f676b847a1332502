"""Helpers of the store tests: worker subprocesses and exact snapshots of a store's state."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from graph.stores.embedded import EmbeddedStore
from tests.store import store_worker



@dataclass
class Snapshot:
    """Everything a reader can see of a store."""

    generation: int
    nodes: pd.DataFrame
    edges: pd.DataFrame
    evidence: pd.DataFrame

    def same_as(self, other: Snapshot) -> bool:
        return self.generation == other.generation and all(
            getattr(self, n).equals(getattr(other, n)) for n in ("nodes", "edges", "evidence"))


def snapshot(path: Path) -> Snapshot:
    store = EmbeddedStore(path, create=False)
    return Snapshot(store.generation, store.node_frame().copy(), store.edge_frame().copy(),
                    store.evidence_frame().copy())


class Worker:
    """A worker process forked from a server that has imported the store already (fast to start)."""

    def __init__(self, *args: str) -> None:
        parent, child = _CONTEXT.Pipe(duplex=False)
        self.process = _CONTEXT.Process(target=store_worker.run, args=(list(args), child), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        self.wait_for("READY")

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def running(self) -> bool:
        return self.process.is_alive()

    def wait_for(self, wanted: str, timeout: float = 240.0) -> None:
        """Block until the worker reports ``wanted``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.conn.poll(0.05):
                continue
            try:
                if self.conn.recv() == wanted:
                    return
            except EOFError:
                break
        raise AssertionError(f"worker ended or timed out without reporting {wanted} (exit {self.process.exitcode})")

    def kill(self) -> None:
        """SIGKILL, then reap."""
        if self.process.is_alive():
            os.kill(self.pid, signal.SIGKILL)
        self.process.join()


_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["tests.store.store_worker"])
