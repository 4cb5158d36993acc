# Sourced by browser.sh and postgres.sh: install Debian packages the tests need.
#
#   apt_install "PostgreSQL" postgresql
#
# Needs root; says so in one line and exits 1 otherwise. The package lists may be missing
# or stale on a fresh machine, so a failed install updates them and tries once more.
apt_install() {
    local what=$1
    shift
    if [[ $(id -u) -ne 0 ]]; then
        echo "$what is not installed and installing it needs root (apt-get install $*)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "$@" \
        || { apt-get update && apt-get install -y --no-install-recommends "$@"; }
}
