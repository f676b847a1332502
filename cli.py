"""transship command line: one command per job, ``transship COMMAND --help`` for each.

Commands live in the ``commands`` package, one module per family, each with a
``register(group)`` function that this module finds and calls (no list to edit);
it builds the click group and turns domain errors into one-line messages.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from commands.common import CliError


def command_modules() -> list[str]:
    """Modules of the ``commands`` package that add commands (those defining ``register(group)``)."""
    import commands

    return sorted(f"commands.{m.name}" for m in pkgutil.iter_modules(commands.__path__) if m.name != "common")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="transship")
def transship() -> None:
    """Knowledge graph of export-control transshipment networks.

    The store is chosen the same way for every command: --store, else the
    TRANSSHIP_STORE variable, else ./transship-data (a directory for the embedded
    store, or a bolt:// / neo4j:// URI).
    """


for _name in command_modules():
    _module = importlib.import_module(_name)
    if hasattr(_module, "register"):
        _module.register(transship)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (1 for errors, 2 for usage)."""
    from graph.schema import SchemaError
    from graph.stores import StoreError

    try:
        transship.main(args=argv, prog_name="transship", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("transship: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (StoreError, SchemaError, CliError, FileNotFoundError, PermissionError, ValueError) as exc:
        message = " ".join(str(exc).split())  # one line, whatever the library put in the message
        click.echo(f"transship: error: {message}", err=True)
        return 1
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
