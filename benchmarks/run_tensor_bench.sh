#!/usr/bin/env bash
# Runs Nabla's TensorBench and the PyTorch/NumPy bench back to back, as recorded in docs/performance.md.
#   benchmarks/run_tensor_bench.sh [repeats] [threads]
# `threads` (optional) pins every library to that many threads: NABLA_NUM_THREADS and
# OPENBLAS_NUM_THREADS for Nabla, torch.set_num_threads and the BLAS variables for PyTorch/NumPy.
# Prints the machine load before and after: the figures are only comparable when it stays low.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-30}"
threads="${2:-}"
swift build -c release --package-path Packages/Tensor --product TensorBench >/dev/null
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n "$threads" ]]; then
    NABLA_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
        swift run -c release --skip-build --package-path Packages/Tensor TensorBench --repeats "$repeats"
    python3 benchmarks/torch_tensor_bench.py --repeats "$repeats" --threads "$threads"
else
    swift run -c release --skip-build --package-path Packages/Tensor TensorBench --repeats "$repeats"
    python3 benchmarks/torch_tensor_bench.py --repeats "$repeats"
fi
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
