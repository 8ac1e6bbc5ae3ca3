#!/usr/bin/env python3
"""Before/after comparison of two SerializationBench builds, alternating runs (ABAB) on the same files.

On a shared machine a single run of each side can land in different load; alternating the binaries
round by round and taking the median of the rounds puts both under the same conditions.

  python3 benchmarks/serialization_bench.py --repeats 1 --keep DIR      # writes DIR/*.safetensors once
  python3 benchmarks/serialization_ab.py DIR old=/path/to/SerializationBench new=/other/SerializationBench \\
      [--rounds 4] [--config shuffle+zstd1] [--files gaussian_f32,trained_bf16]

Both binaries must accept `--only CONFIG --file NAME` (SerializationBench does since the streaming writer;
build an older tree with the current Benchmarks/SerializationBench/main.swift to compare it).
Prints, per file and binary, size and the median save / encode / load throughput (GB/s of raw bytes),
and the load averages before and after each round.
"""
import argparse, json, os, statistics, subprocess

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("dir")
ap.add_argument("bins", nargs="+", help="NAME=PATH")
ap.add_argument("--rounds", type=int, default=4)
ap.add_argument("--repeats", type=int, default=3, help="timings per run (the run reports their median)")
ap.add_argument("--config", default="shuffle+zstd1")
ap.add_argument("--files", default="gaussian_f32,gaussian_f16,gaussian_bf16,trained_f32,trained_f16,trained_bf16")
args = ap.parse_args()
bins = [b.split("=", 1) for b in args.bins]
files = args.files.split(",")
res = {(f, n): [] for f in files for n, _ in bins}
loads = [os.getloadavg()[0]]
for r in range(args.rounds):
    for f in files:
        for name, path in (bins if r % 2 == 0 else bins[::-1]):
            out = subprocess.run([path, args.dir, str(args.repeats), "--only", args.config, "--file", f],
                                 capture_output=True, text=True, check=True).stdout
            res[(f, name)] += [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    loads.append(os.getloadavg()[0])
print("load averages:", " ".join(f"{l:.2f}" for l in loads), f"| {args.config} | median of {args.rounds} alternating runs")
print("| file | " + " | ".join(f"{n} size MB | {n} save | {n} encode | {n} load" for n, _ in bins) + " |")
print("|---|" + "---:|" * (4 * len(bins)))
for f in files:
    cells = []
    for name, _ in bins:
        xs = res[(f, name)]
        raw = xs[0]["raw_bytes"]
        med = lambda k: statistics.median(raw / x[k] / 1e9 for x in xs)
        cells += [f"{xs[0]['size'] / 1e6:.1f}", f"{med('save_s'):.2f}", f"{med('encode_s'):.2f}", f"{med('load_s'):.2f}"]
    print(f"| {f} | " + " | ".join(cells) + " |")
