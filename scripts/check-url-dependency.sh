#!/usr/bin/env bash
# Checks that Nabla works as a dependency by URL, module by module, as a user adds it:
#   .package(url: "<repository>", from: "0.1.0")
# It clones the committed HEAD of this repository into a temporary directory, tags it 0.1.0, then
# builds and runs three throw-away packages that depend on it by file:// URL: one using only
# NablaTensor, one only NablaAutograd, one the umbrella Nabla. Each prints a few results, compared
# with the values they must have. Uncommitted changes are not seen: commit first.
#   scripts/check-url-dependency.sh            (run by .ci/run)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/nabla-url-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

git clone --quiet --no-hardlinks "$root" "$work/nabla"
git -C "$work/nabla" tag -l | xargs -r git -C "$work/nabla" tag -d >/dev/null
git -C "$work/nabla" -c user.name=ci -c user.email=ci@localhost tag -a 0.1.0 -m "URL dependency check"

# consumer NAME PRODUCT SOURCE EXPECTED: writes a package whose only dependency is Nabla by URL
# with `from: "0.1.0"`, builds it, runs it and compares what it prints with EXPECTED.
consumer() {
    local name="$1" product="$2" source="$3" expected="$4"
    local dir="$work/$name"
    mkdir -p "$dir/Sources/$name"
    cat > "$dir/Package.swift" <<EOF
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "$name",
    platforms: [.macOS(.v14)],
    dependencies: [.package(url: "file://$work/nabla", from: "0.1.0")],
    targets: [.executableTarget(name: "$name", dependencies: [.product(name: "$product", package: "nabla")])]
)
EOF
    printf '%s\n' "$source" > "$dir/Sources/$name/main.swift"
    echo "== $name: depends on product $product by URL" >&2
    if ! swift build --package-path "$dir" >"$work/$name.log" 2>&1; then
        cat "$work/$name.log" >&2
        echo "error: $name did not build against Nabla by URL" >&2
        exit 1
    fi
    local got
    got="$(swift run --skip-build --package-path "$dir" "$name" 2>&1)"
    if [[ "$got" != "$expected" ]]; then
        printf 'error: %s printed\n%s\nexpected\n%s\n' "$name" "$got" "$expected" >&2
        exit 1
    fi
    printf '%s\n' "$got" >&2
}

consumer TensorOnly NablaTensor '
import NablaTensor
let a: Tensor<Double> = [[1, 2], [3, 4]]
print(a.matmul(a).scalars)
print((a + Tensor<Double>([10, 20])).sum(axis: 0).scalars)' \
'[7.0, 10.0, 15.0, 22.0]
[24.0, 46.0]'

consumer AutogradOnly NablaAutograd '
import NablaAutograd
// f(a, b) = log(ab) at (2, 3): gradient (1/2, 1/3); Tensor comes with NablaAutograd alone.
let (f, (da, db)) = valueWithGradient(at: Tensor<Double>(2), Tensor<Double>(3)) { a, b in (a * b).log() }
print((f.scalar * 1e9).rounded(), da.scalar, db.scalar == 1.0 / 3)' \
'1791759469.0 0.5 true'

consumer Umbrella Nabla '
import Nabla
import Foundation
let w: Tensor<Float> = [[1, -2], [3, 0.5]]
var checkpoint = Checkpoint()
checkpoint.set("layers.0.weight", w)
let path = NSTemporaryDirectory() + "nabla-url-check-\(getpid()).nabla"
try checkpoint.save(to: path)
let loaded = try Checkpoint(contentsOf: path)
try? FileManager.default.removeItem(atPath: path)
print(try loaded.tensor("layers.0.weight", as: Float.self).scalars)
print(hessian(at: Tensor<Double>([1, 2])) { x in x[0].pow(3) - 2 * x[0] * x[1] }.scalars)' \
'[1.0, -2.0, 3.0, 0.5]
[6.0, -2.0, -2.0, 0.0]'

echo "Nabla works as a dependency by URL: NablaTensor, NablaAutograd and Nabla products built and ran." >&2
