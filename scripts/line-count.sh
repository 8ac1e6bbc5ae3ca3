#!/usr/bin/env bash
# Lines of Swift per package (sources, tests), tinygrad's sz.py in spirit: bring growth up in review.
cd "$(dirname "$0")/.."
printf '%-16s %8s %8s\n' package sources tests
for p in Packages/*/ Tools/; do
    src=$(find "$p" -path '*/Tests' -prune -o -name '*.swift' -print 2>/dev/null | xargs cat 2>/dev/null | wc -l)
    tst=$(find "$p" -path '*/Tests/*' -name '*.swift' 2>/dev/null | xargs cat 2>/dev/null | wc -l)
    printf '%-16s %8d %8d\n' "$(basename "$p")" "$src" "$tst"
done
