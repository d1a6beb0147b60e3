#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium, installing Debian's `chromium` package first when it
# is missing and we are root (CI). ContractPageTest runs the Swagger UI page in it.
set -euo pipefail
for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
  if [ -n "${candidate}" ] && command -v "${candidate}" >/dev/null 2>&1; then
    command -v "${candidate}"
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >&2 || { apt-get update >&2 && apt-get install -y --no-install-recommends chromium >&2; }
  command -v chromium
  exit 0
fi
echo "No Chromium found and not root to install it: apt-get install chromium (or set CHROMIUM)" >&2
exit 1
