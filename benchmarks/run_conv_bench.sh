#!/usr/bin/env bash
# Runs Nabla's ConvBench and the PyTorch conv bench back to back, `pairs` times.
#   benchmarks/run_conv_bench.sh [pairs]
# Prints the machine load before and after: the figures are only comparable when it stays low.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-3}"
swift build -c release --package-path Packages/Autograd --product ConvBench >/dev/null
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$pairs"); do
    echo "## pair $i: Nabla"
    swift run -c release --skip-build --package-path Packages/Autograd ConvBench
    echo "## pair $i: PyTorch"
    python3 benchmarks/torch_conv_bench.py
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
