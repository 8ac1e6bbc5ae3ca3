#!/usr/bin/env bash
# Lines of Swift per package (sources, tests), tinygrad's sz.py in spirit: bring growth up in review.
# Counts the files git tracks, so build folders never count.
cd "$(dirname "$0")/.."
printf '%-16s %8s %8s\n' package sources tests
for p in Packages/*/ Tools/; do
    files=$(git ls-files "$p" | grep '\.swift$')
    src=$(echo "$files" | grep -v '/Tests/' | xargs -r cat | wc -l)
    tst=$(echo "$files" | grep '/Tests/' | xargs -r cat | wc -l)
    printf '%-16s %8d %8d\n' "$(basename "$p")" "$src" "$tst"
done
