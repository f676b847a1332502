#!/usr/bin/env bash
# Create ./.venv and install transship into it. With --test, also what the test suite needs.
# Idempotent: a second run only checks that everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
extras="."
[[ "${1:-}" == "--test" ]] && extras=".[test]"

if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $($PYTHON --version)" >&2
  "$PYTHON" -m venv .venv
fi
if [[ ! -x .venv/bin/uv ]]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check uv
fi
echo "setup: installing transship$([[ $extras == .\[test\] ]] && echo ' with test extras')" >&2
.venv/bin/uv pip install --quiet --python .venv/bin/python -e "$extras"
if [[ "${1:-}" == "--test" ]]; then
  scripts/install_browser.sh  # Debian's chromium for the browser tests (tests/app)
fi
