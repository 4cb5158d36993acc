#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/test_browser.py) and scripts/screenshots.py.
#
#   scripts/browser.sh install   install chromium with apt-get if /usr/bin/chromium is missing (root)
#   scripts/browser.sh path      print the browser's path (exit 1 if it is not installed)
#
# Playwright drives this browser (executable_path); it never downloads a browser of its own.
set -euo pipefail
# shellcheck source=apt_install.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt_install.sh"

CHROMIUM=/usr/bin/chromium

cmd_install() {
    if [[ -x $CHROMIUM ]]; then
        echo "Chromium already installed: $CHROMIUM"
        return
    fi
    apt_install Chromium chromium fonts-dejavu-core
    [[ -x $CHROMIUM ]] || { echo "chromium installed but $CHROMIUM is missing" >&2; exit 1; }
    echo "Chromium installed: $CHROMIUM"
}

cmd_path() {
    [[ -x $CHROMIUM ]] || { echo "Chromium is not installed: run $0 install" >&2; exit 1; }
    echo "$CHROMIUM"
}

case "${1:-}" in
    install) cmd_install ;;
    path) cmd_path ;;
    *) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
