#!/usr/bin/env python3
"""Checks a pack's interview-question coverage map (content/coverage/*.yaml).

Each entry names a question asked in a real interview, the page where it was asked, the
book area it belongs to, and the sections and cards of the pack that answer it:

    questions:
      - question: What is the difference between Fn, FnMut and FnOnce?
        asked: https://example.org/rust-interview   # where it was asked
        area: core                                  # an area id of book.yaml
        sections: [closures/fn-traits]              # topic-id/section-id, at least one
        cards: [closures/fn-trait-hierarchy]        # topic-id/card-id, at least one
        questions: [closures/fn-vs-fnmut]           # optional: topic-id/question-id
        answered: partly                            # optional: fully (default) | partly | no
        why: the pack does not cover X              # required unless answered fully

Every reference must name a real section, card or question; a broken one is an error,
reported as file:line. The report counts questions per area and how many the pack answers
fully; the thresholds are the ones issue 17 sets for the default pack.

Usage: coverage_check.py CONTENT_DIR [--map DIR] [--min-questions N] [--min-fully FRACTION]
                                     [--min-area-fully FRACTION]
(--map defaults to CONTENT_DIR/coverage)
"""
import argparse
import collections
import pathlib
import re
import sys

import yaml

KEYS = {"question", "asked", "area", "sections", "cards", "questions", "answered", "why"}
ANSWERED = ("fully", "partly", "no")


class LineLoader(yaml.SafeLoader):
    """A loader that remembers the line of every mapping, for located errors."""


def _construct_mapping(loader, node):
    mapping = yaml.SafeLoader.construct_mapping(loader, node)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_pack(content):
    """Returns (area ids, {kind: set of 'topic/id'}) for the pack in `content`."""
    book = yaml.safe_load((content / "book.yaml").read_text(encoding="utf-8"))
    areas = [area["id"] for area in book.get("areas", [])]
    ids = {"sections": set(), "cards": set(), "questions": set()}
    for path in sorted((content / "topics").glob("*.yaml")):
        topic = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind in ids:
            for item in topic.get(kind) or []:
                ids[kind].add(f"{path.stem}/{item['id']}")
    return areas, ids


def check_entry(entry, areas, ids, where, errors):
    """Appends every problem of one entry to `errors`; returns whether it is well formed."""
    before = len(errors)
    for key in sorted(set(entry) - KEYS - {"__line__"}):
        errors.append(f"{where}: error: unknown key '{key}'")
    if not str(entry.get("question", "")).strip():
        errors.append(f"{where}: error: missing 'question'")
    if not re.match(r"https?://\S+$", str(entry.get("asked", ""))):
        errors.append(f"{where}: error: 'asked' must be the http(s) address where it was asked")
    if entry.get("area") not in areas:
        errors.append(f"{where}: error: unknown area '{entry.get('area')}'")
    answered = entry.get("answered", "fully")
    if answered not in ANSWERED:
        errors.append(f"{where}: error: 'answered' must be one of {', '.join(ANSWERED)}")
    if answered != "fully" and not str(entry.get("why", "")).strip():
        errors.append(f"{where}: error: a question not answered fully needs 'why'")
    for kind in ("sections", "cards", "questions"):
        refs = entry.get(kind) or []
        if not isinstance(refs, list):
            errors.append(f"{where}: error: '{kind}' must be a list")
            continue
        if kind != "questions" and answered != "no" and not refs:
            errors.append(f"{where}: error: '{kind}' needs at least one {kind[:-1]}")
        for ref in refs:
            if ref not in ids[kind]:
                errors.append(f"{where}: error: no {kind[:-1]} '{ref}' in the pack")
    return len(errors) == before


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", type=pathlib.Path)
    parser.add_argument("--map", type=pathlib.Path)
    parser.add_argument("--min-questions", type=int, default=300)
    parser.add_argument("--min-fully", type=float, default=0.95)
    parser.add_argument("--min-area-fully", type=float, default=0.80)
    args = parser.parse_args()

    areas, ids = load_pack(args.content)
    errors = []
    seen = {}
    per_area = collections.defaultdict(lambda: [0, 0])
    sources = set()
    files = sorted((args.map or args.content / "coverage").glob("*.yaml"))
    for path in files:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader) or {}
        for entry in document.get("questions") or []:
            where = f"{path}:{entry.get('__line__', 0)}"
            well_formed = check_entry(entry, areas, ids, where, errors)
            text = re.sub(r"\W+", " ", str(entry.get("question", ""))).strip().lower()
            if text in seen:
                errors.append(f"{where}: error: the same question as {seen[text]}")
            seen[text] = where
            counts = per_area[entry.get("area")]
            counts[0] += 1
            if well_formed and entry.get("answered", "fully") == "fully":
                counts[1] += 1
            site = re.match(r"https?://([^/\s]+)", str(entry.get("asked", "")))
            if site:
                sources.add(site.group(1))

    total = sum(count[0] for count in per_area.values())
    fully = sum(count[1] for count in per_area.values())
    print(f"coverage: {total} questions from {len(sources)} sites in {len(files)} files")
    for area in areas:
        asked, answered = per_area.get(area, (0, 0))
        print(f"  {area:<14} {answered:>4} / {asked:<4} fully answered")
    share = fully / total if total else 0.0
    print(f"  {'all':<14} {fully:>4} / {total:<4} fully answered ({share:.1%})")

    if total < args.min_questions:
        errors.append(f"error: {total} questions; at least {args.min_questions} are required")
    if share < args.min_fully:
        errors.append(f"error: {share:.1%} answered fully; at least {args.min_fully:.0%} required")
    for area in areas:
        asked, answered = per_area.get(area, (0, 0))
        if asked and answered / asked < args.min_area_fully:
            errors.append(f"error: area '{area}' answers {answered} of {asked} fully; "
                          f"at least {args.min_area_fully:.0%} required")
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
