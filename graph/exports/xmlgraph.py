"""GraphML (yEd, Gephi, Cytoscape) and GEXF (Gephi): typed attributes, evidence flattened plus as JSON.

Both are written as streams (no DOM), so a large subgraph costs little memory.
Characters XML 1.0 cannot carry (most C0 controls) appear as Unicode control
pictures in the text attributes; ``evidence_json`` keeps the exact text as JSON escapes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from graph.exports.records import (
    Scalar, attribute_kinds, coerce, edge_record, flat_attributes, node_record, visible_controls,
)
from graph.stores import GraphStore
from graph.subgraph import Materialized, Subgraph, materialize

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;", "\n": "&#10;",
                       "\t": "&#9;"})
GEXF_TYPES = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}


def xml_text(value: str) -> str:
    """Escape text for element content."""
    return visible_controls(value).translate(_TEXT)


def xml_attr(value: str) -> str:
    """Escape text for a double-quoted attribute value (newlines and tabs as references)."""
    return visible_controls(value).translate(_ATTR)


def _format(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def flat_rows(mat: Materialized) -> tuple[dict[str, dict[str, Scalar]], dict[str, dict[str, Scalar]]]:
    """Flat attributes per node id and per edge id."""
    nodes = {nid: flat_attributes(node_record(nid, n)) for nid, n in mat.nodes.items()}
    edges = {eid: flat_attributes(edge_record(eid, e)) for eid, e in mat.edges.items()}
    return nodes, edges


def _chunks(lines: Iterator[str], fh: IO[str], size: int = 2000) -> None:
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        if len(buffer) >= size:
            fh.write("".join(buffer))
            buffer.clear()
    fh.write("".join(buffer))


def _graphml_lines(mat: Materialized) -> Iterator[str]:
    nodes, edges = flat_rows(mat)
    node_kinds, edge_kinds = attribute_kinds(nodes.values()), attribute_kinds(edges.values())
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    node_keys = {name: f"n{i}" for i, name in enumerate(node_kinds)}
    edge_keys = {name: f"e{i}" for i, name in enumerate(edge_kinds)}
    for what, keys, kinds in (("node", node_keys, node_kinds), ("edge", edge_keys, edge_kinds)):
        for name, key in keys.items():
            yield (f'<key id="{key}" for="{what}" attr.name="{xml_attr(name)}" '
                   f'attr.type="{kinds[name]}"/>\n')
    yield f'<graph id="{xml_attr(mat.title)}" edgedefault="directed">\n'
    for nid, attrs in nodes.items():
        data = "".join(f'<data key="{node_keys[k]}">{xml_text(_format(coerce(v, node_kinds[k])))}</data>'
                       for k, v in attrs.items())
        yield f'<node id="{xml_attr(nid)}">{data}</node>\n'
    for eid, attrs in edges.items():
        edge = mat.edges[eid]
        data = "".join(f'<data key="{edge_keys[k]}">{xml_text(_format(coerce(v, edge_kinds[k])))}</data>'
                       for k, v in attrs.items())
        yield (f'<edge id="{xml_attr(eid)}" source="{xml_attr(edge.source)}" '
               f'target="{xml_attr(edge.target)}">{data}</edge>\n')
    yield "</graph>\n</graphml>\n"


def _gexf_lines(mat: Materialized) -> Iterator[str]:
    nodes, edges = flat_rows(mat)
    for rows in (nodes, edges):  # the label is an XML attribute of the element in GEXF
        for attrs in rows.values():
            attrs.pop("label", None)
    node_kinds, edge_kinds = attribute_kinds(nodes.values()), attribute_kinds(edges.values())
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
           'version="1.2">\n'
           f'<meta><creator>transship</creator><description>{xml_text(mat.title)}</description></meta>\n'
           '<graph defaultedgetype="directed" mode="static">\n')
    node_ids = {name: str(i) for i, name in enumerate(node_kinds)}
    edge_ids = {name: str(i) for i, name in enumerate(edge_kinds)}
    for what, ids, kinds in (("node", node_ids, node_kinds), ("edge", edge_ids, edge_kinds)):
        yield f'<attributes class="{what}" mode="static">\n'
        for name, aid in ids.items():
            yield f'<attribute id="{aid}" title="{xml_attr(name)}" type="{GEXF_TYPES[kinds[name]]}"/>\n'
        yield "</attributes>\n"
    yield "<nodes>\n"
    for nid, attrs in nodes.items():
        values = "".join(f'<attvalue for="{node_ids[k]}" value="{xml_attr(_format(coerce(v, node_kinds[k])))}"/>'
                         for k, v in attrs.items())
        yield f'<node id="{xml_attr(nid)}" label="{xml_attr(mat.label(nid))}"><attvalues>{values}</attvalues></node>\n'
    yield "</nodes>\n<edges>\n"
    for eid, attrs in edges.items():
        edge = mat.edges[eid]
        values = "".join(f'<attvalue for="{edge_ids[k]}" value="{xml_attr(_format(coerce(v, edge_kinds[k])))}"/>'
                         for k, v in attrs.items())
        yield (f'<edge id="{xml_attr(eid)}" source="{xml_attr(edge.source)}" target="{xml_attr(edge.target)}" '
               f'label="{xml_attr(edge.type.value)}"><attvalues>{values}</attvalues></edge>\n')
    yield "</edges>\n</graph>\n</gexf>\n"


def export_graphml(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write the subgraph as GraphML with typed ``<key>`` declarations."""
    _chunks(_graphml_lines(materialize(store, sub)), fh)


def export_gexf(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write the subgraph as GEXF 1.2 (static, directed) with typed attributes."""
    _chunks(_gexf_lines(materialize(store, sub)), fh)
