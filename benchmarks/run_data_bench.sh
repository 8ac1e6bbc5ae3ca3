#!/usr/bin/env bash
# Nabla's DataLoader and PyTorch's on the same workload, in the same run (see DataBench/main.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}
swift build -c release --package-path Packages/Data --product DataBench >/dev/null
Packages/Data/.build/release/DataBench "$epochs"
python3 benchmarks/torch_data_bench.py "$epochs"
