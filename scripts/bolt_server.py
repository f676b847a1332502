#!/usr/bin/env python3
"""A local Bolt server for tests and benchmarks: ArcadeDB with its Neo4j-compatible Bolt plugin.

PyPI's ``arcadedb-embedded`` (pinned in pyproject's ``[test]`` extra) ships a JRE in
``arcadedb_embedded/jre`` and the server jars, Bolt plugin included, in
``arcadedb_embedded/jars``. This script starts ``java -cp 'jars/*' com.arcadedb.server.ArcadeDBServer``
from those, bound to 127.0.0.1 on free ports, with its own temporary data directory and a random
root password, waits for "ArcadeDB Server started" and an open Bolt port, and stops it (SIGTERM,
then SIGKILL after a timeout).

Usage::

    python scripts/bolt_server.py check            # is the package installed, where are java and the jars
    python scripts/bolt_server.py run              # start, print NEO4J_* exports, stop on Ctrl-C
    python scripts/bolt_server.py start --dir D    # start in the background, state in D/server.json
    python scripts/bolt_server.py stop --dir D     # stop the server started with --dir D

From Python (the tests' session fixture and the benchmarks)::

    with BoltServer() as server:
        server.uri, server.user, server.password
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "arcadedb-embedded"
PINNED = "26.10.2.post1"
READY_LINE = "ArcadeDB Server started"
MAIN_CLASS = "com.arcadedb.server.ArcadeDBServer"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"
DATABASE = "neo4j"
USER = "root"
HEAP_ENV = "TRANSSHIP_BOLT_HEAP"  # JVM heap, default 1g


class BoltServerError(RuntimeError):
    """The Bolt server cannot be installed, started or stopped; the message says why."""


@dataclass(frozen=True)
class Installation:
    """Where the installed package keeps its JRE and server jars."""

    java: Path
    jars: Path
    version: str


def find_installation() -> Installation:
    """Locate java and the jars of the installed ``arcadedb-embedded`` without starting a JVM.

    Raises:
        BoltServerError: the package is missing or lacks the JRE or the Bolt plugin.
    """
    hint = f"install it with: pip install '{PACKAGE}=={PINNED}' (or pip install -e '.[test]')"
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or spec.origin is None:
        raise BoltServerError(f"{PACKAGE} is not installed; {hint}")
    root = Path(spec.origin).parent
    java, jars = root / "jre" / "bin" / "java", root / "jars"
    if not os.access(java, os.X_OK):
        raise BoltServerError(f"{PACKAGE} at {root} has no bundled java at {java}; {hint}")
    if not list(jars.glob("arcadedb-bolt-*.jar")) or not list(jars.glob("arcadedb-server-*.jar")):
        raise BoltServerError(f"{PACKAGE} at {root} lacks the server or Bolt plugin jars in {jars}; {hint}")
    try:
        from importlib.metadata import version

        installed = version(PACKAGE)
    except Exception:  # noqa: BLE001 - metadata is informative only
        installed = "unknown"
    return Installation(java=java, jars=jars, version=installed)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class BoltServer:
    """One ArcadeDB server with the Bolt plugin on 127.0.0.1, in its own data directory.

    Args:
        data_dir: where the databases and logs go; a fresh temporary directory (removed on stop) if None.
        bolt_port: the Bolt port; a free one if None.
        heap: JVM heap (``-Xmx``), default ``$TRANSSHIP_BOLT_HEAP`` or ``1g``.
    """

    def __init__(self, data_dir: str | os.PathLike[str] | None = None, bolt_port: int | None = None,
                 heap: str | None = None) -> None:
        self.install = find_installation()
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="transship-bolt-"))
        self.bolt_port = bolt_port or free_port()
        self.heap = heap or os.environ.get(HEAP_ENV, "1g")
        self.user = USER
        self.password = secrets.token_urlsafe(18)
        self.process: subprocess.Popen[bytes] | None = None
        self.tie_to_parent = True  # the JVM gets SIGKILL if this Python process dies without stopping it

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    def command(self) -> list[str]:
        """The java command line (without secrets: the password goes in through the environment)."""
        http, https = free_port(), free_port()
        settings = {
            "arcadedb.server.rootPath": str(self.data_dir / "root"),
            "arcadedb.server.mode": "development",
            "arcadedb.server.plugins": BOLT_PLUGIN,
            "arcadedb.server.defaultDatabases": f"{DATABASE}[{USER}]",
            "arcadedb.server.httpIncomingHost": "127.0.0.1",
            "arcadedb.server.httpIncomingPort": str(http),
            "arcadedb.server.httpsIncomingPort": str(https),
            "arcadedb.bolt.host": "127.0.0.1",
            "arcadedb.bolt.port": str(self.bolt_port),
        }
        return [str(self.install.java), f"-Xmx{self.heap}", "-Djava.awt.headless=true",
                *(f"-D{k}={v}" for k, v in settings.items()), "-cp", f"{self.install.jars}/*", MAIN_CLASS]

    def start(self, timeout: float = 90.0) -> BoltServer:
        """Start the server and wait until Bolt accepts connections.

        Raises:
            BoltServerError: java exited, or the server was not ready within ``timeout`` seconds
                (it is killed then); the message carries the end of the server log.
        """
        if self.process is not None:
            raise BoltServerError(f"this server was already started on {self.uri}")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # The root password goes in through a java @argfile readable by us alone: not on the command line.
        secret = self.data_dir / "password.args"
        secret.touch(mode=0o600)
        secret.write_text(f'"-Darcadedb.server.rootPassword={self.password}"\n', "utf-8")
        command = self.command()
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(
                [command[0], f"@{secret}", *command[1:]], cwd=self.data_dir, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_die_with_parent if self.tie_to_parent else None,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                secret.unlink(missing_ok=True)
                raise BoltServerError(f"ArcadeDB exited with code {self.process.returncode} while starting:\n"
                                      f"{self.log_tail()}")
            if READY_LINE in self.log_file.read_text("utf-8", errors="replace") and _port_open(self.bolt_port):
                secret.unlink(missing_ok=True)
                return self
            time.sleep(0.2)
        secret.unlink(missing_ok=True)
        self.stop()
        raise BoltServerError(f"ArcadeDB was not ready after {timeout:.0f} s (killed):\n{self.log_tail()}")

    def log_tail(self, lines: int = 25) -> str:
        """The last lines of the server log."""
        try:
            text = self.log_file.read_text("utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server: SIGTERM to its process group, SIGKILL after ``timeout``; remove a temporary dir."""
        if self.process is not None and self.process.poll() is None:
            stop_process_group(self.process.pid, timeout, wait=self.process.wait)
        self.process = None
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def env(self) -> dict[str, str]:
        """NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD for this server."""
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}

    def __enter__(self) -> BoltServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to SIGKILL it when the parent dies (no orphaned servers)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def stop_process_group(pid: int, timeout: float, wait: object = None) -> None:
    """SIGTERM the process group led by ``pid``; SIGKILL it if still alive after ``timeout`` seconds."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(wait):
            try:
                wait(timeout=0.2)
                return
            except subprocess.TimeoutExpired:
                continue
        if not _alive(pid):
            return
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    if callable(wait):
        wait(timeout=10)


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _exports(env: dict[str, str]) -> str:
    return "\n".join(f"export {k}={v}" for k, v in env.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("check", help="show whether the package, java and the Bolt plugin are installed")
    run = sub.add_parser("run", help="start in the foreground; Ctrl-C stops")
    start = sub.add_parser("start", help="start in the background; state in DIR/server.json")
    stop = sub.add_parser("stop", help="stop a server started with 'start --dir DIR'")
    for p in (run, start):
        p.add_argument("--port", type=int, default=None, help="Bolt port (default: a free one)")
        p.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for readiness")
    for p in (run, start, stop):
        p.add_argument("--dir", default=None, help="data directory (default: a temporary one)")
    args = parser.parse_args(argv)
    try:
        if args.action == "check":
            found = find_installation()
            print(f"{PACKAGE} {found.version} (pinned {PINNED})\njava: {found.java}\njars: {found.jars}")
        elif args.action == "run":
            server = BoltServer(args.dir, args.port)
            try:
                server.start(args.timeout)
                print(_exports(server.env()), flush=True)
                print(f"# Bolt server on {server.uri}; Ctrl-C stops it", file=sys.stderr, flush=True)
                while server.process is not None and server.process.poll() is None:
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
            finally:
                server.stop()
        elif args.action == "start":
            if not args.dir:
                parser.error("start needs --dir (to find the server again for 'stop')")
            server = BoltServer(args.dir, args.port)
            server.tie_to_parent = False  # it outlives this command until 'stop'
            server.start(args.timeout)
            state = {"pid": server.process.pid if server.process else None, **server.env()}
            state_file = Path(args.dir) / "server.json"
            state_file.write_text(json.dumps(state), "utf-8")
            state_file.chmod(0o600)
            print(_exports(server.env()), flush=True)
        else:
            if not args.dir:
                parser.error("stop needs --dir")
            state = json.loads((Path(args.dir) / "server.json").read_text("utf-8"))
            stop_process_group(int(state["pid"]), 20.0)
            (Path(args.dir) / "server.json").unlink()
            print(f"stopped {state['NEO4J_URI']}", file=sys.stderr)
    except (BoltServerError, OSError, KeyError, ValueError) as exc:
        print(f"bolt_server: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
