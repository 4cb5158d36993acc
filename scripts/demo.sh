#!/usr/bin/env bash
# Run summitry on its bundled demo corpus (two articles on the Trump-Putin meetings) and show
# the meetings and statements it found. Extra arguments go to `summitry demo` (e.g. --db URL).
# The first run creates .venv (a minute or two); the default database is the SQLite file
# ~/.local/share/summitry/summitry.db, or $SUMMITRY_DB.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
exec .venv/bin/summitry demo "$@"
