#!/usr/bin/env bash
# Installs wrk, the load generator of the floor comparison (`bun run bench --only=floor`), from Debian's package.
# Idempotent: does nothing when wrk is already on PATH. Usage: bun run wrk:install
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  echo "wrk already installed at $(command -v wrk)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-get not found: install wrk with your system's package manager (https://github.com/wg/wrk)" >&2
  exit 1
fi
# Root in a container; sudo elsewhere.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO apt-get install -y wrk
wrk --version 2>&1 | head -1 || true
