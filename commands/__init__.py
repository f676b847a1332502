"""Command families of the transship CLI (see cli.py)."""
