#!/usr/bin/env bash
# Runs Nabla's AutogradBench, the PyTorch bench (default allocator, then with transparent huge
# pages for the per-sample case) and, where JAX is installed, the JAX bench (jit and eager) back to
# back, `pairs` times, as recorded in docs/performance.md (Autograd).
#   benchmarks/run_autograd_bench.sh [pairs]
# Prints the machine load before and after: the figures are only comparable when it stays low.
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-3}"
swift build -c release --package-path Packages/Autograd --product AutogradBench >/dev/null
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$pairs"); do
    echo "## pair $i: Nabla"
    swift run -c release --skip-build --package-path Packages/Autograd AutogradBench
    echo "## pair $i: PyTorch"
    python3 benchmarks/torch_autograd_bench.py
    # Nabla backs large per-sample gradient buffers with transparent huge pages (madvise); PyTorch
    # does the same for its CPU allocations with THP_MEM_ALLOC_ENABLE=1 (off by default).
    echo "## pair $i: PyTorch with THP_MEM_ALLOC_ENABLE=1 (per-sample gradients)"
    THP_MEM_ALLOC_ENABLE=1 python3 benchmarks/torch_autograd_bench.py | grep per-sample
    if python3 -c "import jax" 2>/dev/null; then
        echo "## pair $i: JAX"
        python3 benchmarks/jax_autograd_bench.py
    fi
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
