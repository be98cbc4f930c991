#!/usr/bin/env bash
# `prepkit schema` against the real validator (python3-jsonschema) and the real loader:
#   1. the shipped content, the shipped layouts and a starter pack validate;
#   2. every mapping's keys in the schemas are exactly the keys the loader accepts (read from
#      its "unknown key" hints), so neither can gain a key the other lacks.
# Usage: schema_test.sh PREPKIT REPOSITORY
set -euo pipefail
prepkit=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$prepkit" schema -q --out "$work/schema"
"$prepkit" new "$work/pack" -q --lang go

# A pack whose every mapping holds the unknown key 'zzzzzz'.
mkdir -p "$work/probe/content/topics" "$work/probe/layouts"
cat > "$work/probe/content/book.yaml" <<'YAML'
title: T
slug: t
deck: T
zzzzzz: 1
areas:
  - {id: a, title: A, topics: [t], zzzzzz: 1}
YAML
cat > "$work/probe/content/topics/t.yaml" <<'YAML'
id: t
title: T
zzzzzz: 1
sections:
  - {id: s, title: S, body: x, zzzzzz: 1}
pitfalls:
  - {title: P, body: x, zzzzzz: 1}
questions:
  - {id: q, question: Q, answer: A, zzzzzz: 1}
cards:
  - {id: c, kind: basic, front: F, back: B, zzzzzz: 1}
YAML
cat > "$work/probe/layouts/default.yaml" <<'YAML'
zzzzzz: 1
page: {zzzzzz: 1, margins: {zzzzzz: 1}}
fonts: {zzzzzz: 1, serif: {zzzzzz: 1}}
sizes: {zzzzzz: 1}
colors: {zzzzzz: 1, tokens: {zzzzzz: 1, keyword: {zzzzzz: 1}}}
typography: {zzzzzz: 1}
products: {zzzzzz: 1}
YAML
"$prepkit" check "$work/probe" > /dev/null 2> "$work/probe.txt" || true

python3 - "$work" "$root" <<'PY'
import glob, json, re, sys
import jsonschema, yaml

work, root = sys.argv[1], sys.argv[2]
schemas = {kind: json.load(open(f"{work}/schema/{kind}.json")) for kind in ("book", "topic", "layout")}
failures = []

# 1. Files that must validate.
files = {
    "book": [f"{root}/content/book.yaml", f"{work}/pack/content/book.yaml",
             f"{root}/tests/fixtures/basic/content/book.yaml"],
    "topic": sorted(glob.glob(f"{root}/content/topics/*.yaml")) +
             sorted(glob.glob(f"{work}/pack/content/topics/*.yaml")),
    "layout": sorted(glob.glob(f"{root}/layouts/*.yaml")) + [f"{work}/pack/layouts/mine.yaml"],
}
checked = 0
for kind, paths in files.items():
    validator = jsonschema.Draft202012Validator(schemas[kind])
    for path in paths:
        checked += 1
        for error in validator.iter_errors(yaml.safe_load(open(path, encoding="utf-8"))):
            failures.append(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")

# 2. The loader's accepted keys, from its hints, against the schemas' properties.
def properties(kind, name):
    schema = schemas[kind]
    node = schema if name == kind else schema["$defs"][name]
    return sorted(node["properties"])

where = {  # the loader's name for a mapping -> (schema, definition)
    "book.yaml": ("book", "book"), "area": ("book", "area"), "topic": ("topic", "topic"),
    "section": ("topic", "section"), "pitfall": ("topic", "pitfall"),
    "question": ("topic", "question"), "card": ("topic", "card"),
    "layout": ("layout", "layout"), "page": ("layout", "page"), "margins": ("layout", "margins"),
    "fonts": ("layout", "fonts"), "font 'serif'": ("layout", "font"), "sizes": ("layout", "sizes"),
    "colors": ("layout", "colors"), "tokens": ("layout", "tokens"),
    "token style 'keyword'": ("layout", "token_style"), "typography": ("layout", "typography"),
    "products": ("layout", "products"),
}
report = open(f"{work}/probe.txt", encoding="utf-8").read()
seen = set()
for mapping, keys in re.findall(r"unknown key 'zzzzzz' in (.+)\n  hint: valid keys: (.+)", report):
    seen.add(mapping)
    loader = sorted(key.strip() for key in keys.split(","))
    if mapping not in where:
        failures.append(f"the loader reads a mapping the test does not know: {mapping}")
        continue
    schema = properties(*where[mapping])
    if loader != schema:
        failures.append(f"{mapping}: loader accepts {loader}, schema has {schema}")
for mapping in sorted(set(where) - seen):
    failures.append(f"no 'unknown key' report for {mapping}:\n{report}")

for failure in failures:
    print(failure)
print(f"schema: {checked} files validated, {len(seen)} mappings compared, {len(failures)} failures")
sys.exit(1 if failures else 0)
PY
