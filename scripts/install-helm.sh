#!/usr/bin/env bash
# Installs the pinned Helm into .tools/bin with `go install` from the Go module proxy.
# Idempotent: does nothing when that version is already there. Usage: bun run helm:install
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="$ROOT/.tools/bin"
HELM="$BIN_DIR/helm"

if [ -x "$HELM" ] && "$HELM" version --template '{{.Version}}' 2>/dev/null | grep -qx "${HELM_VERSION}"; then
  echo "helm ${HELM_VERSION} already installed at $HELM"
  exit 0
fi

# Go's own installer puts it in /usr/local/go, which is not always on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH="$PATH:/usr/local/go/bin"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "go is required to install helm (https://go.dev/dl/)" >&2
  exit 1
fi

mkdir -p "$BIN_DIR"
echo "building helm ${HELM_VERSION} into $BIN_DIR (takes a few minutes the first time)"
# The flags Helm's own release build sets (its Makefile), so this binary behaves as the released one: the
# version `helm version` reports (a plain `go install` says "v3.22"), and the Kubernetes version lint and
# template assume when given none (1.<client-go's minor>, not the built-in fallback 1.20).
MODULE_GO_MOD="$(go mod download -json "helm.sh/helm/v3@${HELM_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
KUBE_MINOR="$(sed -n 's/^[[:space:]]*k8s\.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$MODULE_GO_MOD")"
if [ -z "$KUBE_MINOR" ]; then
  echo "could not read the client-go version of helm ${HELM_VERSION} from $MODULE_GO_MOD" >&2
  exit 1
fi
LDFLAGS="-w -s -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v3/internal/version.metadata="
for package in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  LDFLAGS="$LDFLAGS -X $package.k8sVersionMajor=1 -X $package.k8sVersionMinor=$KUBE_MINOR"
done
# CGO off: a static binary that does not depend on the host's C toolchain.
CGO_ENABLED=0 GOBIN="$BIN_DIR" go install -ldflags "$LDFLAGS" "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
"$HELM" version
