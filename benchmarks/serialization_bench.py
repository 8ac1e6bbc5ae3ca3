#!/usr/bin/env python3
"""Serialization benchmark: Nabla's native format beside Python's safetensors, in the same run.

Builds two 48 MiB Float checkpoints (12 tensors of 1024x1024):
  * gaussian: N(0, 0.02) initialization (numpy, seed 0);
  * trained: a 12-layer residual MLP of that size trained for a few AdamW steps on a synthetic
    regression task with torch (no pretrained weights are available offline; see docs).
Each is written in F32, F16 and BF16 as safetensors (timed: save_file, load_file + touching every
value), then SerializationBench (Swift, release) reads the same files and times the native format.

Usage: python3 benchmarks/serialization_bench.py [--repeats 5] [--steps 30] [--keep DIR]
Prints a Markdown table (sizes relative to safetensors, throughputs in GB/s of raw tensor bytes). The
"raw bytes, atomic write" rows time Python writing the safetensors file's bytes the way an atomic save
must (temporary file, fsync, rename, directory fsync): the disk's floor for a durable save.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

import numpy as np
import torch
from safetensors.torch import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def gaussian():
    rng = np.random.default_rng(0)
    return {f"layers.{i}.weight": torch.from_numpy(rng.normal(0, 0.02, (1024, 1024)).astype(np.float32))
            for i in range(12)}


def trained(steps):
    torch.manual_seed(0)
    layers = torch.nn.ModuleList(torch.nn.Linear(1024, 1024, bias=False) for _ in range(12))
    teacher = torch.randn(1024, 1024) / 32
    opt = torch.optim.AdamW(layers.parameters(), lr=1e-3)
    for _ in range(steps):
        x = torch.randn(128, 1024)
        h = x
        for layer in layers:
            h = h + torch.nn.functional.silu(layer(h)) / 12
        loss = ((h - x @ teacher) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return {f"layers.{i}.weight": l.weight.detach().contiguous() for i, l in enumerate(layers)}


def touch(tensors):
    """Reads every value: sums the bytes as int64 words, as SerializationBench does."""
    return sum(int(t.reshape(-1).view(torch.int64).sum()) for t in tensors.values())


def atomic_write(path, data):
    """What an atomic save costs for the raw bytes alone: write a temporary file, fsync, rename, fsync the directory."""
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--steps", type=int, default=30, help="AdamW steps for the 'trained' checkpoint")
    ap.add_argument("--keep", help="write files into this directory and keep them")
    ap.add_argument("--bench", default=os.path.join(ROOT, "Packages/Serialization/.build/release/SerializationBench"))
    args = ap.parse_args()
    if not os.path.exists(args.bench):
        subprocess.run(["swift", "build", "-c", "release", "--package-path", os.path.join(ROOT, "Packages/Serialization")],
                       check=True)
    work = args.keep or tempfile.mkdtemp(prefix="nabla-ser-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        datasets = {"gaussian": gaussian(), "trained": trained(args.steps)}
        st = {}
        for name, tensors in datasets.items():
            for dtype, tdt in [("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16)]:
                ts = {k: v.to(tdt).contiguous() for k, v in tensors.items()}
                raw = sum(v.numel() * v.element_size() for v in ts.values())
                path = os.path.join(work, f"{name}_{dtype}.safetensors")
                save = median_time(lambda: save_file(ts, path), args.repeats)
                load = median_time(lambda: touch(load_file(path)), args.repeats)
                with open(path, "rb") as f:
                    data = f.read()
                floor = median_time(lambda: atomic_write(os.path.join(work, "floor.bin"), data), args.repeats)
                os.unlink(os.path.join(work, "floor.bin"))
                st[f"{name}_{dtype}.safetensors"] = dict(size=os.path.getsize(path), raw=raw, save=save, load=load,
                                                         floor=floor)
        # safetensors' saves leave hundreds of MB dirty in the page cache (it does not fsync); flush
        # them now, and give the disk a few seconds, so that their writeback does not land inside
        # Nabla's timed fsyncs (safetensors, too, started on an idle disk).
        os.sync()
        time.sleep(5)
        out = subprocess.run([args.bench, work, str(args.repeats)], check=True, capture_output=True, text=True).stdout
        rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        gb = lambda nbytes, s: nbytes / s / 1e9
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
              f"(shared with other builds); median of {args.repeats}; torch {torch.__version__}")
        print()
        print("| checkpoint | dtype | format | size (MB) | size / safetensors | save GB/s | encode GB/s | load GB/s |")
        print("|---|---|---|---:|---:|---:|---:|---:|")
        for f, s in st.items():
            name, dtype = f.split(".")[0].split("_")
            print(f"| {name} | {dtype} | safetensors | {s['size']/1e6:.1f} | 1.000 | {gb(s['raw'], s['save']):.2f} | – "
                  f"| {gb(s['raw'], s['load']):.2f} |")
            print(f"| {name} | {dtype} | raw bytes, atomic write (Python) | {s['size']/1e6:.1f} | 1.000 "
                  f"| {gb(s['raw'], s['floor']):.2f} | – | – |")
            for r in rows:
                if r["file"] == f:
                    print(f"| {name} | {dtype} | nabla {r['config']} | {r['size']/1e6:.1f} | {r['size']/s['size']:.3f} "
                          f"| {gb(r['raw_bytes'], r['save_s']):.2f} | {gb(r['raw_bytes'], r['encode_s']):.2f} "
                          f"| {gb(r['raw_bytes'], r['load_s']):.2f} |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
