#!/usr/bin/env bash
# Make .venv in the checkout and install summitry into it (editable, with the test extras).
#
#   bash scripts/bootstrap.sh
#
# Needs only Python 3.11+ (python3.11, or python3 if that is 3.11 or newer): venv and pip
# come with Python. The install runs only when pyproject.toml changed since the last one
# (a hash stamp is kept in .venv), so a second run takes a moment and prints nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=.venv
stamp=$venv/.summitry-bootstrap-stamp

say() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return
        fi
    done
    return 1
}

if ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python=$(find_python) || die "Python 3.11 or newer is needed (python3.11 or python3 on PATH)"
    say "creating $venv with $("$python" --version 2>&1) (the first install takes a minute or two)"
    "$python" -m venv --clear "$venv" ||
        die "could not create $venv (on Debian/Ubuntu: apt-get install python3-venv)"
fi

want=$("$venv/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')
if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
    exit 0
fi

say "installing summitry and its dependencies into $venv (about 80 packages: spaCy and its"
say "English model, SQLAlchemy, FastAPI, trafilatura, the test tools; a minute or two)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# pip's own output goes to the log; what it is fetching is shown as it happens, one short
# line a package, so that a long first install is not silence.
set +e
"$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -e ".[test]" 2>&1 |
    tee "$log" |
    while IFS= read -r line; do
        case "$line" in
            Collecting*) package=${line#Collecting }; printf 'bootstrap:   %s\n' "${package%% (*}" >&2 ;;
            "Installing collected packages"*) say "installing the packages into $venv" ;;
        esac
    done
status=${PIPESTATUS[0]}
set -e
if [[ $status -ne 0 ]]; then
    cat "$log" >&2
    die "pip install failed (output above)"
fi
say "done"
printf '%s\n' "$want" >"$stamp"
