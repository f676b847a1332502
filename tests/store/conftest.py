"""Fixtures of the store tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.store.helpers import Worker


@pytest.fixture()
def worker_factory() -> Iterator[Callable[..., Worker]]:
    """Start worker processes; the ones still running at the end are killed (only these)."""
    workers: list[Worker] = []

    def start(*args: str) -> Worker:
        worker = Worker(*args)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()
