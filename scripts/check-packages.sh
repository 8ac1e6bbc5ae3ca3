#!/usr/bin/env bash
# Checks that every package under Packages/ is a valid package of its own: its manifest loads and its
# path dependencies on sibling packages resolve (what a user depending on one package by path needs).
# Building each alone would rebuild Tensor once per package; `swift build --package-path Packages/NAME`
# does that by hand. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
failed=0
for manifest in Packages/*/Package.swift; do
    dir=$(dirname "$manifest")
    if swift package --package-path "$dir" describe >/dev/null 2>"$dir/.describe.err"; then
        echo "$dir: manifest loads and resolves" >&2
    else
        cat "$dir/.describe.err" >&2
        echo "error: $dir is not a valid package on its own" >&2
        failed=1
    fi
    rm -f "$dir/.describe.err"
done
exit "$failed"
