#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser tests (tests/Guance.Billing.BrowserTests) when
# it is missing: as root, or through password-less sudo. Playwright drives this browser; its own
# browser download is never used.
set -euo pipefail
if [[ -x /usr/lib/chromium/chromium || -x /usr/bin/chromium || -n "${GUANCE_CHROMIUM:-}" ]]; then
    exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo=(sudo -n)
    else
        echo "chromium is not installed and this user cannot install it; run: sudo apt-get install chromium" >&2
        exit 1
    fi
fi
echo "installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get install -y -q chromium >&2; then
    "${sudo[@]}" apt-get update -q >&2
    "${sudo[@]}" apt-get install -y -q chromium >&2
fi
