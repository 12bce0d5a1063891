#!/usr/bin/env bash
# Find a Chromium-family browser for the browser tests; install Debian's chromium when we can.
# Never lets the test suite go green without a browser: it exits non-zero with directions instead.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ]; then
  # An explicit choice is used as it is, or reported: the tests would fail on it too.
  if command -v "$CHROMIUM_PATH" >/dev/null 2>&1; then
    echo "browser: $(command -v "$CHROMIUM_PATH") (CHROMIUM_PATH)"
    exit 0
  fi
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; fix or unset it." >&2
  exit 1
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome \
  /usr/bin/google-chrome-stable "$(command -v chromium || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    echo "browser: $candidate"
    exit 0
  fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser: installing Debian's chromium with apt-get (one time)…"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    && [ -x /usr/bin/chromium ]; then
    echo "browser: /usr/bin/chromium"
    exit 0
  fi
  echo "browser: apt-get could not install chromium." >&2
fi
cat >&2 <<'MSG'
No Chromium-family browser was found, and it could not be installed here.
The browser tests are part of `make test` and are never skipped. Either
  - install one (Debian/Ubuntu: sudo apt-get install chromium), or
  - point the tests at one: CHROMIUM_PATH=/path/to/chromium make test
MSG
exit 1
