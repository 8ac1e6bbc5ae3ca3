#!/usr/bin/env bash
# Runs Nabla's MCMCBench and NumPyro's NUTS on the same 100-D Gaussian back to back, `pairs` times.
#   benchmarks/run_mcmc_bench.sh [pairs]
# Needs `pip install numpyro arviz`. Prints the machine load before and after: the figures are
# only comparable when it stays low.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-1}"
swift build -c release --package-path Packages/Sampling --product MCMCBench >/dev/null
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$pairs"); do
    echo "## pair $i: Nabla"
    Packages/Sampling/.build/release/MCMCBench 3
    echo "## pair $i: NumPyro"
    python3 benchmarks/numpyro_mcmc_bench.py 2
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
