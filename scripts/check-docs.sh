#!/usr/bin/env bash
# Builds the DocC documentation of every module with swift-docc-plugin and fails on any warning
# (a broken symbol link, an undocumented parameter). Also checks that every public symbol has a doc
# comment. Run by .ci/run.
#   scripts/check-docs.sh [target ...]      (default: every library module)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
if (( ${#targets[@]} == 0 )); then
    targets=(NablaTensor NablaAutograd NablaSerialization NablaLayers NablaOptimizers NablaData NablaPlot NablaSampling NablaTraining NablaTools Nabla)
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
for target in "${targets[@]}"; do
    if ! swift package generate-documentation --target "$target" >"$log" 2>&1; then
        cat "$log" >&2
        echo "error: documentation of $target did not build" >&2
        failed=1
        continue
    fi
    warnings=$(grep -c 'warning:' "$log" || true)
    if (( warnings > 0 )); then
        grep -A4 'warning:' "$log" >&2
        echo "error: documentation of $target has $warnings warning(s)" >&2
        failed=1
    else
        echo "$target: documentation built without warnings" >&2
    fi
done
python3 scripts/check-doc-comments.py || failed=1
exit "$failed"
