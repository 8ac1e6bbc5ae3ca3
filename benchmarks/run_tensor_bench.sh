#!/usr/bin/env bash
# Runs Nabla's TensorBench and the PyTorch/NumPy bench back to back, as recorded in docs/performance.md.
#   benchmarks/run_tensor_bench.sh [repeats]
# Prints the machine load before and after: the figures are only comparable when it stays low.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-30}"
swift build -c release --package-path Packages/Tensor --product TensorBench >/dev/null
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
swift run -c release --skip-build --package-path Packages/Tensor TensorBench --repeats "$repeats"
python3 benchmarks/torch_tensor_bench.py --repeats "$repeats"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
