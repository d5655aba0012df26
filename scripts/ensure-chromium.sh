#!/usr/bin/env bash
# Browser tests (the OAuth sign-in pages, MCP Apps views) drive Debian's chromium through npm
# playwright-core; no browser is ever downloaded by npm. Runs before `npm test`: installs the
# Debian package when it is missing and this user may (root with apt-get), else says what to do.
set -euo pipefail
CHROMIUM=${ERP_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "erp-mcp tests: installing Debian's chromium for the browser tests (once)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  exit 0
fi
echo "erp-mcp tests: the browser tests need chromium at $CHROMIUM (Debian: sudo apt-get install -y chromium; elsewhere set ERP_CHROMIUM to a Chromium binary)" >&2
exit 1
