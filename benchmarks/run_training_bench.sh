#!/usr/bin/env bash
# Nabla's training steps and PyTorch's on the same workloads, in the same run (see
# Packages/Training/Benchmarks/TrainingBench/main.swift and benchmarks/torch_training_bench.py):
# one Adam step of 2-100-3 at batch 300 and of 784-512-512-10 at batch 128, the spiral example's
# whole run in-process, and the spiral run as a whole process (start-up included), with ratios.
#   benchmarks/run_training_bench.sh [--clean]     (--clean deletes the release build first)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--clean" ]]; then rm -rf Packages/Training/.build/release Packages/Training/.build/*/release; fi
swift build -c release --package-path Packages/Training --product TrainingBench >/dev/null
bench=Packages/Training/.build/release/TrainingBench
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
# Both at their default thread counts and at one thread (kinder to a machine whose cores are busy);
# the ratios use each side's faster setting.
# (Captured, then printed: `tee /dev/stderr` would overwrite the output when it is redirected to a file.)
nabla=$("$bench")
echo "$nabla"
nabla1=$(OPENBLAS_NUM_THREADS=1 NABLA_NUM_THREADS=1 "$bench" | sed 's/^nabla /nabla (1 thread) /')
echo "$nabla1"
nabla="$nabla
$nabla1"
torch=$(python3 benchmarks/torch_training_bench.py)
echo "$torch"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Whole process, best of 3: Swift binary start-up vs Python start-up and `import torch`.
wall() {
    local best=""
    for _ in 1 2 3; do
        local t0 t1
        t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
        best=$(python3 -c "a=$t1-$t0; b='$best'; print(min(a, float(b)) if b else a)")
    done
    echo "$best"
}
nabla_wall=$(wall "$bench" --spiral)
torch_wall=$(wall python3 benchmarks/torch_training_bench.py --spiral --one-thread)
torch_wall_default=$(wall python3 benchmarks/torch_training_bench.py --spiral)
torch_wall=$(python3 -c "print(min($torch_wall, $torch_wall_default))")

python3 - "$nabla" "$torch" "$nabla_wall" "$torch_wall" <<'PY'
import re, sys
nabla, torch, nw, tw = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
keys = ["adam step 2-100-3", "adam step 784-512-512-10", "spiral run"]
def median(text, key):
    vals = [float(m.group(1)) for line in text.splitlines() if key in line
            for m in [re.search(r"median ([0-9.]+)", line)] if m]
    return min(vals) if vals else float("nan")
print("\nratio (PyTorch / Nabla, medians, each at its faster thread setting; > 1 means Nabla is faster):")
for key in keys:
    a, b = median(nabla, key), median(torch, key)
    print(f"  {key:38s} {b / a:6.2f}x   ({a:.1f} vs {b:.1f})")
print(f"  {'spiral run, whole process (best of 3)':38s} {tw / nw:6.2f}x   ({nw*1e3:.0f} ms vs {tw*1e3:.0f} ms)")
PY
