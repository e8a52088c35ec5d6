#!/usr/bin/env bash
# Installs the system packages the console's end-to-end tests drive:
# Debian's Chromium (for the web UI test, used by playwright-core through
# executablePath '/usr/bin/chromium') and tmux (for the terminal UI test).
# Safe to run repeatedly: it only installs what is missing. Needs root (or sudo).
set -u

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v tmux >/dev/null 2>&1 || need+=(tmux)

if [ ${#need[@]} -eq 0 ]; then
  echo "install-chromium: chromium and tmux already present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-chromium: not root and no sudo; cannot install ${need[*]}" >&2
    exit 1
  fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not available; cannot install ${need[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q || { echo "install-chromium: apt-get update failed" >&2; exit 1; }
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}" || {
  echo "install-chromium: apt-get install ${need[*]} failed" >&2
  exit 1
}
echo "install-chromium: installed ${need[*]}"
