#!/usr/bin/env bash
# Run the whole test suite in .venv (call ./run test, which installs first).
set -euo pipefail
cd "$(dirname "$0")/.."
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
# pytest exits 5 when it collected nothing; that must fail CI, not pass silently.
exit $status
