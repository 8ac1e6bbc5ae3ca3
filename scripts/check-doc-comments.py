#!/usr/bin/env python3
"""Lists public declarations in Packages/*/Sources, Tools/, Sources/ and Examples/ that lack a `///` doc comment.

Exit status 1 when any is missing. Attributes (`@inlinable`, `@discardableResult`, ...) between the comment
and the declaration are allowed. Enum cases of a public enum count as public symbols too.
Usage: python3 scripts/check-doc-comments.py [paths...]
"""
import re, sys, pathlib

DECL = re.compile(r'^\s*(?:@[\w()":., ]+\s+)*(?:public|open)\s+(?:(?:static|final|override|mutating|nonisolated|indirect|convenience|required|prefix|postfix|infix)\s+)*'
                  r'(func|var|let|init|subscript|struct|class|enum|protocol|typealias|actor|extension|case|static|associatedtype)\b')
ATTR = re.compile(r'^\s*@[\w]+(\(.*\))?\s*$')

def missing(path):
    lines = path.read_text().splitlines()
    out = []
    in_public_enum_depth = None
    for i, line in enumerate(lines):
        m = DECL.match(line)
        is_case = False
        if not m and re.match(r'^\s*case\s+\w', line) and public_enum_context(lines, i):
            is_case = True
        if not m and not is_case:
            continue
        if m and m.group(1) == 'extension':
            continue  # extensions document their members, not themselves
        j = i - 1
        while j >= 0 and (ATTR.match(lines[j]) or lines[j].strip().startswith('@')):
            j -= 1
        if j >= 0 and (lines[j].strip().startswith('///') or lines[j].strip().endswith('*/')):
            continue
        out.append((i + 1, line.strip()))
    return out

def public_enum_context(lines, i):
    """Whether line i sits directly inside a `public enum` body (not inside a switch)."""
    depth = 0
    for j in range(i - 1, -1, -1):
        s = lines[j]
        depth += s.count('}') - s.count('{')
        if depth < 0:
            return bool(re.search(r'\bpublic\s+(indirect\s+)?enum\b', s))
    return False

def main():
    roots = [pathlib.Path(p) for p in sys.argv[1:]] or [pathlib.Path('Packages'), pathlib.Path('Tools'), pathlib.Path('Sources'), pathlib.Path('Examples')]
    total = 0
    for root in roots:
        for f in sorted(root.rglob('*.swift')):
            if '/Tests/' in str(f) or '/.build' in str(f) or '/Benchmarks/' in str(f):
                continue
            for n, text in missing(f):
                print(f'{f}:{n}: {text}')
                total += 1
    print(f'{total} public declarations without a doc comment', file=sys.stderr)
    sys.exit(1 if total else 0)

main()
