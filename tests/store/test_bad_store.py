"""A missing, damaged or foreign store directory gives a clear StoreError, and the CLI one clear line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import cli
from graph.schema import Evidence, Node, NodeType
from graph.stores import StoreError, open_store
from graph.stores.embedded import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"


def make_store(path: Path) -> Path:
    ev = Evidence("doc:test", "row 1", "test/1")
    EmbeddedStore(path).write([Node(NodeType.COUNTRY, code, code, code, {}, (ev,)) for code in ("RU", "HK", "US")])
    return path


def current(path: Path) -> Path:
    return path / json.loads((path / "MANIFEST.json").read_text())["dir"]


def edit_manifest(**changes: object) -> Callable[[Path], None]:
    def apply(path: Path) -> None:
        data = json.loads((path / "MANIFEST.json").read_text())
        for key, value in changes.items():
            if isinstance(value, dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        (path / "MANIFEST.json").write_text(json.dumps(data))
    return apply


def truncate(path: Path) -> None:
    file = current(path) / "nodes.parquet"
    file.write_bytes(file.read_bytes()[:40])


def scramble(path: Path) -> None:
    file = current(path) / "edges.parquet"
    data = bytearray(file.read_bytes())
    data[: len(data) // 2] = b"\x00" * (len(data) // 2)
    file.write_bytes(bytes(data))


def remove_file(path: Path) -> None:
    (current(path) / "evidence.parquet").unlink()


def wrong_columns(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"something": ["else", "entirely", "!"]}), current(path) / "nodes.parquet")


DAMAGE = {
    "manifest not json": (lambda p: (p / "MANIFEST.json").write_text("{not json"), "manifest .* is corrupt"),
    "manifest a list": (lambda p: (p / "MANIFEST.json").write_text("[1, 2]"), "not a transship store manifest"),
    "manifest binary": (lambda p: (p / "MANIFEST.json").write_bytes(b"\xff\xfe\x00garbage"), "corrupt"),
    "wrong schema version": (edit_manifest(schema_version=99), "schema version 99"),
    "foreign format": (edit_manifest(format="something-else"), "not a transship store manifest"),
    "bad generation field": (edit_manifest(generation="seven"), "bad generation"),
    "row count mismatch": (edit_manifest(rows={"nodes": 5}), "has 3 rows, manifest says 5"),
    "truncated parquet": (truncate, "corrupt or unreadable"),
    "scrambled parquet": (scramble, "corrupt or unreadable"),
    "parquet with other columns": (wrong_columns, "corrupt or unreadable"),
    "missing parquet": (remove_file, "damaged: .*evidence.parquet.* missing"),
    "missing generation": (lambda p: [f.unlink() for f in current(p).iterdir()] and current(p).rmdir(),
                           "damaged: .*gen-000001.* missing"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_store_is_a_clear_error(tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_store(tmp_path / "store")
    harm, message = DAMAGE[damage]
    harm(path)
    with pytest.raises(StoreError, match=message):
        open_store(path)
    assert cli.main(["stats", "--store", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("transship: error: ") and err.count("\n") == 1


def test_missing_file_and_foreign_directories(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "nowhere", create=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "empty", create=False)
    assert open_store(tmp_path / "empty").counts()["nodes"] == 0  # an empty directory may become a store
    (tmp_path / "file").write_text("hello")
    with pytest.raises(StoreError, match="is a file, not a directory"):
        open_store(tmp_path / "file")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(StoreError, match="not a transship store .* not empty"):
        open_store(tmp_path / "photos")


def test_a_damaged_store_is_not_overwritten_by_a_write(tmp_path: Path) -> None:
    path = make_store(tmp_path / "store")
    edit_manifest(schema_version=99)(path)
    with pytest.raises(StoreError):
        EmbeddedStore(path).write([])
    assert json.loads((path / "MANIFEST.json").read_text())["schema_version"] == 99


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(args))
    except SystemExit as exc:  # commands may exit with their own code
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def error_lines(err: str) -> list[str]:
    """The error lines of stderr; each error must fit on one line, without a traceback."""
    assert "Traceback" not in err
    return [line for line in err.splitlines() if "error" in line.lower()]


def test_cli_errors_are_one_line_with_nonzero_exit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    code, _, err = run(capsys, "stats", "--store", str(tmp_path / "missing"))
    assert code == 1 and "no store at" in err and err.count("\n") == 1
    code, _, err = run(capsys, "ingest", "customs", str(tmp_path / "absent.csv"), "--store", store)
    assert code != 0 and len(error_lines(err)) == 1 and "absent.csv" in err
    not_customs = tmp_path / "people.csv"
    not_customs.write_text("name,age\nAda,36\n")
    binary = tmp_path / "image.csv"
    binary.write_bytes(bytes(range(256)) * 50)
    for bad in (not_customs, binary):
        code, _, err = run(capsys, "ingest", "customs", str(bad), "--store", store)
        assert code != 0 and len(error_lines(err)) == 1 and bad.name in err
    code, _, err = run(capsys, "demo", "--rows", "600", "--out", str(tmp_path / "w"), "--store", str(binary))
    assert code == 1 and error_lines(err) == [err.strip()] and "not a directory" in err
    code, out, _ = run(capsys, "ingest", "customs", str(FIXTURES / "customs_small.csv"), "--store", store,
                       "--format", "json")
    assert code == 0
    [loaded] = json.loads(out)
    assert loaded["quarantined"] == 1 and loaded["edges_added"] > 6
    quarantined = (tmp_path / "store" / "quarantine.jsonl").read_text().splitlines()
    assert len(quarantined) == 1 and "date" in quarantined[0]
