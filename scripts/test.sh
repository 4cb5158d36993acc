#!/usr/bin/env bash
# Run the test suite: bootstrap .venv, install PostgreSQL if scripts/postgres.sh is there (some
# tests need a server), then pytest. Extra arguments go to pytest (e.g. -k cli, -m "not slow").
# Skipped tests say why in the summary (-rs). Exits with pytest's code; "no tests collected" (5) is a failure too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
if [[ -f scripts/postgres.sh ]]; then
    bash scripts/postgres.sh install >/dev/null
fi
bash scripts/browser.sh install >/dev/null
status=0
.venv/bin/python -m pytest -q -rs "$@" || status=$?
if [[ $status -eq 5 ]]; then
    echo "test.sh: pytest collected no tests" >&2
fi
exit "$status"
