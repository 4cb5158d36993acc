#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and trials (not for keeping data).
#
#   scripts/postgres.sh install           install PostgreSQL with apt-get if pg_ctl is missing (root)
#   scripts/postgres.sh start [DIR] [PORT] initdb + start a server in DIR (default: a new temp dir)
#                                          on 127.0.0.1:PORT (default: a free port); prints the URL
#   scripts/postgres.sh stop DIR           stop the server in DIR and remove DIR
#   scripts/postgres.sh url DIR            print the SQLAlchemy URL of the server in DIR
#
# The tests start their own server the same way (tests/conftest.py); this script is
# for CI setup and for trying summitry against PostgreSQL by hand:
#   dir=$(mktemp -d); scripts/postgres.sh start "$dir"; export SUMMITRY_DB=$(scripts/postgres.sh url "$dir")
set -euo pipefail
# shellcheck source=apt_install.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt_install.sh"

find_bin() {  # the newest installed PostgreSQL's bin directory, or nothing
    local dirs=(/usr/lib/postgresql/*/bin)
    local best=""
    for d in "${dirs[@]}"; do
        [[ -x "$d/pg_ctl" ]] && best="$d"
    done
    if [[ -z "$best" ]] && command -v pg_ctl >/dev/null; then
        best=$(dirname "$(command -v pg_ctl)")
    fi
    printf '%s' "$best"
}

as_owner() {  # initdb and postgres refuse to run as root: run them as the postgres user
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cmd_install() {
    if [[ -n "$(find_bin)" ]]; then
        echo "PostgreSQL already installed: $(find_bin)/pg_ctl"
        return
    fi
    apt_install PostgreSQL postgresql
    [[ -n "$(find_bin)" ]] || { echo "postgresql installed but no pg_ctl found" >&2; exit 1; }
    echo "PostgreSQL installed: $(find_bin)/pg_ctl"
}

cmd_start() {
    local bin dir port
    bin=$(find_bin)
    [[ -n "$bin" ]] || { echo "PostgreSQL is not installed: run $0 install" >&2; exit 1; }
    dir=${1:-$(mktemp -d -t summitry-pg.XXXXXX)}
    port=${2:-$(free_port)}
    mkdir -p "$dir/data" "$dir/sock"
    if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi
    if ! as_owner test -w "$dir/data"; then
        echo "the postgres user cannot write to $dir (is a parent directory private?); use a directory under /tmp" >&2
        exit 1
    fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync >"$dir/initdb.log"
    as_owner "$bin/pg_ctl" -w -t 60 -D "$dir/data" -l "$dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off" start >/dev/null
    echo "$port" >"$dir/port"
    echo "started in $dir" >&2
    cmd_url "$dir"
}

cmd_url() {
    local dir=${1:?usage: $0 url DIR}
    echo "postgresql+psycopg://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

cmd_stop() {
    local dir=${1:?usage: $0 stop DIR}
    local bin
    bin=$(find_bin)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$bin/pg_ctl" -w -D "$dir/data" -m fast stop >/dev/null
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    install) cmd_install ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    url) shift; cmd_url "$@" ;;
    *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
