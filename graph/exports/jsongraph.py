"""JSON graphs for web tools: networkx node-link and Cytoscape.js elements.

Values stay native (lists are lists, evidence is a list of objects), so nothing is
flattened; JSON escapes control characters, everything else is written as UTF-8.
"""

from __future__ import annotations

from typing import IO, Any

import orjson

from graph.exports.records import edge_record, node_record
from graph.stores import GraphStore
from graph.subgraph import Materialized, Subgraph, materialize


def node_link_data(mat: Materialized) -> dict[str, Any]:
    """The networkx node-link structure (``edges`` key, edge ``key`` = edge id) of a subgraph."""
    nodes = [{"id": nid, **node_record(nid, node)} for nid, node in mat.nodes.items()]
    edges = [{"source": e.source, "target": e.target, "key": eid, "id": eid, **edge_record(eid, e)}
             for eid, e in mat.edges.items()]
    graph: dict[str, Any] = {"name": mat.title, "generator": "transship"}
    if mat.paths:
        graph["paths"] = [{"edges": list(p.edge_ids), "nodes": list(p.node_ids), "score": p.score}
                          for p in mat.paths]
    return {"directed": True, "multigraph": True, "graph": graph, "nodes": nodes, "edges": edges}


def cytoscape_data(mat: Materialized) -> dict[str, Any]:
    """Cytoscape.js JSON: ``{"elements": {"nodes": [{"data": ...}], "edges": [...]}}`` (networkx-readable)."""
    nodes = [{"data": {"id": nid, "value": nid, **node_record(nid, node)}, "classes": node.type.value}
             for nid, node in mat.nodes.items()]
    edges = [{"data": {"id": eid, "source": e.source, "target": e.target, "key": eid, **edge_record(eid, e)},
              "classes": e.type.value}
             for eid, e in mat.edges.items()]
    return {"data": {"name": mat.title, "generator": "transship"}, "directed": True, "multigraph": True,
            "elements": {"nodes": nodes, "edges": edges}}


def _write(fh: IO[str], data: dict[str, Any]) -> None:
    fh.write(orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode("utf-8"))
    fh.write("\n")


def export_node_link(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write networkx node-link JSON (``nx.node_link_graph(data, edges="edges")`` reads it)."""
    _write(fh, node_link_data(materialize(store, sub)))


def export_cytoscape(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write Cytoscape.js elements JSON (``cytoscape({elements: data.elements})``)."""
    _write(fh, cytoscape_data(materialize(store, sub)))
