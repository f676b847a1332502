"""Score a trace of the demo world against its ground truth (truth.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.stores import GraphStore
from graph.stores.frames import isin, load_props
from graph.trace import TraceResult


@dataclass(frozen=True)
class TruthScore:
    """How a trace did on the planted chains and decoys of one scenario."""

    scenario: str
    expected: int                 # planted chains of the scenario
    found: int                    # of them, returned as paths
    missing: tuple[str, ...]      # chain ids not returned
    paths: int                    # paths scored
    decoy_paths: int              # paths that use a record only decoys use

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def summary(self) -> str:
        """One line for people."""
        return (f"{self.scenario}: found {self.found} of {self.expected} planted chains (recall {self.recall:.2f}); "
                f"{self.decoy_paths} of {self.paths} paths use a decoy record")


def load_truth(path: str | Path) -> dict[str, Any]:
    """The ground truth written beside a demo world."""
    truth: dict[str, Any] = json.loads(Path(path).read_text("utf-8"))
    return truth


def planted_chains(truth: dict[str, Any], scenario: str = "default") -> dict[tuple[str, ...], str]:
    """Record-id sequence -> chain id, for the chains of one scenario."""
    chains = list(truth["chains"]) + [c for s in truth.get("scenarios", {}).values() for c in s["chains"]]
    return {tuple(h["record_id"] for h in c["hops"]): c["id"] for c in chains if c["scenario"] == scenario}


def score_against_truth(store: GraphStore, result: TraceResult, truth: dict[str, Any],
                        scenario: str = "default") -> TruthScore:
    """Recall of the planted chains and the number of paths through decoy-only records.

    Paths are matched by their customs record ids (``record_id`` of each SHIPPED edge), so the
    score does not depend on node ids or names.
    """
    edges = store.edge_frame()
    used = edges[isin(edges["id"], result.edge_ids())]
    record_of = {eid: load_props(props).get("record_id", eid)
                 for eid, props in zip(used["id"], used["props"], strict=True)}
    returned = [tuple(record_of.get(e, e) for e in path.edge_ids) for path in result.paths]
    expected = planted_chains(truth, scenario)
    seen = set(returned)
    decoy_only = set(truth.get("decoy_only_record_ids", ()))
    return TruthScore(
        scenario=scenario, expected=len(expected), found=sum(1 for key in expected if key in seen),
        missing=tuple(sorted(cid for key, cid in expected.items() if key not in seen)), paths=len(returned),
        decoy_paths=sum(1 for path in returned if decoy_only.intersection(path)),
    )
