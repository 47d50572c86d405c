#!/usr/bin/env bash
# Installs the pinned k6 into .tools/bin with `go install` from the Go module proxy.
# Idempotent: does nothing when that version is already there. Usage: bun run k6:install
set -euo pipefail

K6_VERSION="${K6_VERSION:-v1.8.1}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$ROOT/.tools/bin"
K6="$BIN_DIR/k6"

if [ -x "$K6" ] && "$K6" version 2>/dev/null | grep -q "k6 ${K6_VERSION}"; then
  echo "k6 ${K6_VERSION} already installed at $K6"
  exit 0
fi

# Go's own installer puts it in /usr/local/go, which is not always on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "go is required to install k6 (https://go.dev/dl/)" >&2
  exit 1
fi

mkdir -p "$BIN_DIR"
echo "building k6 ${K6_VERSION} into $BIN_DIR (takes a few minutes the first time)"
# CGO off: a static binary that does not depend on the host's C toolchain.
CGO_ENABLED=0 GOBIN="$BIN_DIR" go install "go.k6.io/k6@${K6_VERSION}"
"$K6" version
