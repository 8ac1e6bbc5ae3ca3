#!/usr/bin/env bash
# Runs the tests of every Nabla package with one build: the root manifest compiles each package's test
# folder as a test target, so `swift test` here covers Tensor, Autograd, ... and the integration tests.
# Fails if any test fails or if no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests
swift test --skip-build 2>&1 | tee "$log"
ran=$(grep -Eo 'Test run with [0-9]+ test' "$log" | grep -Eo '[0-9]+' | tail -1 || true)
if [[ -z "$ran" || "$ran" -eq 0 ]]; then
    echo "error: no tests ran" >&2
    exit 1
fi
echo "Nabla: $ran tests ran in every package."
