#!/bin/sh
# Installs wrk (the HTTP load generator bench/http.ts drives) from Debian's packages when missing.
set -e
if command -v wrk >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! apt-cache show wrk >/dev/null 2>&1; then $SUDO apt-get update; fi
$SUDO apt-get install -y wrk
