#!/usr/bin/env bash
# Installs what is missing, builds Nabla in release mode and runs the main demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift run -c release nabla-demo demo-output
