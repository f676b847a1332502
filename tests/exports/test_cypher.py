"""The Cypher script: every value is an escaped literal, and a lexer shows hostile text cannot break out.

The lexer here is written from the Cypher grammar independently of the writer: it
tokenizes the whole script, decodes string literals, and checks each statement's
shape outside the data (literal lists and maps) against the three templates the
writer may produce.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.exports.cypher import cypher_name, cypher_string, cypher_value, split_statements, write_cypher
from graph.subgraph import everything, materialize

ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
TOKEN = re.compile(r"""
    (?P<space>[ \n]+) | (?P<comment>//[^\n]*) | (?P<string>'(?:[^'\\]|\\.)*') | (?P<name>`(?:[^`]|``)*`)
  | (?P<number>-?\d+(?:\.\d+)?(?:e-?\d+)?) | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>->|[\[\]{}(),:;.=+\-<>])
""", re.VERBOSE | re.DOTALL)


def decode_string(literal: str) -> str:
    """The value of a single-quoted Cypher literal."""
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char != "\\":
            out.append(char)
            i += 1
        elif body[i + 1] == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif body[i + 1] == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        else:
            out.append(ESCAPES[body[i + 1]])
            i += 2
    return "".join(out)


def tokenize(script: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    while pos < len(script):
        match = TOKEN.match(script, pos)
        assert match is not None, f"unlexable text at {pos}: {script[pos:pos + 40]!r}"
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            tokens.append((kind, match.group()))
        pos = match.end()
    return tokens


def skeleton(tokens: list[tuple[str, str]]) -> str:
    """The statement with every literal list/map collapsed to DATA and names unquoted."""
    out, depth = [], 0
    for kind, text in tokens:
        if depth or (text == "[" and out and out[-1] == "UNWIND"):
            depth += text in "[{" and kind == "punct"
            depth -= text in "]}" and kind == "punct"
            assert kind in ("string", "name", "number", "punct") or text in ("true", "false", "null"), text
            if depth == 0:
                out.append("DATA")
            continue
        out.append(text[1:-1].replace("``", "`") if kind == "name" else text)
    return " ".join(out)


TEMPLATES = [
    re.compile(r"CREATE CONSTRAINT transship_\w+_id IF NOT EXISTS FOR \( n : \w+ \) REQUIRE n \. id IS UNIQUE"),
    re.compile(r"UNWIND DATA AS row MERGE \( n : \w+ { id : row \. id } \) SET n \+ = row \. props"),
    re.compile(r"UNWIND DATA AS row MATCH \( a : \w+ { id : row \. source } \)"
               r" MATCH \( b : \w+ { id : row \. target } \)"
               r" MERGE \( a \) - \[ r : \w+ { id : row \. id } \] -> \( b \) SET r \+ = row \. props"),
]


def _script(world: Any) -> str:
    out = io.StringIO()
    write_cypher(materialize(world.store, everything(world.store)), out, batch=3)
    return out.getvalue()


def test_every_statement_has_a_known_shape(world: Any) -> None:
    script = _script(world)
    tokens = tokenize(script)
    statements: list[list[tuple[str, str]]] = [[]]
    for token in tokens:
        if token == ("punct", ";"):
            statements.append([])
        else:
            statements[-1].append(token)
    assert statements[-1] == []
    statements.pop()
    shapes = [skeleton(s) for s in statements]
    for shape in shapes:
        assert any(t.fullmatch(shape) for t in TEMPLATES), shape
    assert len(statements) == len(split_statements(script))


def test_hostile_values_decode_exactly(world: Any, hostile: str, big: str) -> None:
    literals = [decode_string(text) for kind, text in tokenize(_script(world)) if kind == "string"]
    assert hostile in literals and big not in literals  # names are literals; the big excerpt lives in evidence_json
    excerpts = [ev["excerpt"] for lit in literals if lit.startswith("[{") for ev in json.loads(lit)]
    assert hostile in excerpts and big in excerpts
    mat = materialize(world.store, everything(world.store))
    assert set(mat.nodes) | set(mat.edges) <= set(literals)


def test_script_has_no_raw_control_or_bidi_characters(world: Any) -> None:
    script = _script(world)
    for char in set(script) - {"\n"}:
        assert unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"), repr(char)


def test_split_statements_respects_literals() -> None:
    script = "// a; comment\nRETURN 'a;b\\';c' AS `x;y`;\nRETURN 2;"
    assert split_statements(script) == ["RETURN 'a;b\\';c' AS `x;y`", "RETURN 2"]


def test_literals() -> None:
    assert cypher_value({"a": [1, 2.5, True, None], "b`": "x"}) == "{`a`: [1, 2.5, true, null], `b```: 'x'}"
    assert cypher_value(1e20) == "1e20"
    assert cypher_name("SHIPPED") == "`SHIPPED`"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_cypher_string_round_trips(value: str) -> None:
    literal = cypher_string(value)
    assert tokenize(literal) == [("string", literal)]
    assert decode_string(literal) == value
