#!/usr/bin/env bash
# Installs the system libraries Nabla links against, if they are missing.
# Debian/Ubuntu: OpenBLAS (CBLAS), LAPACKE, zstd, SLEEF, pkg-config (needs root). macOS: Accelerate ships with the OS,
# zstd comes from Homebrew.
set -euo pipefail
if [[ "$(uname)" == "Darwin" ]]; then
    pkg-config --exists libzstd 2>/dev/null || echo "install zstd: brew install zstd pkg-config" >&2
    exit 0
fi
missing=()
pkg-config --exists openblas 2>/dev/null || missing+=(libopenblas-dev)
[[ -f /usr/include/lapacke.h ]] || missing+=(liblapacke-dev)
pkg-config --exists libzstd 2>/dev/null || missing+=(libzstd-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
[[ -f /usr/include/zlib.h ]] || missing+=(zlib1g-dev)
# SLEEF: the vectorized transcendental functions behind CNablaVector (linked on Linux).
{ pkg-config --exists sleef 2>/dev/null || ls /usr/lib/*/libsleef.so /usr/lib/libsleef.so >/dev/null 2>&1; } || missing+=(libsleef-dev)
if (( ${#missing[@]} )); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "Nabla needs: ${missing[*]}. Run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "Installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" pkg-config >/dev/null
fi

# Optional: the Serialization interop tests run only when python3 has numpy and safetensors; a machine
# without them (or without network) still passes, with those tests skipped.
if command -v python3 >/dev/null && ! python3 -c "import numpy, safetensors" 2>/dev/null; then
    python3 -m pip install --quiet safetensors numpy 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages safetensors numpy 2>/dev/null \
        || echo "note: could not install numpy/safetensors; Python interop tests will be skipped" >&2
fi
