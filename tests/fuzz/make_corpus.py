#!/usr/bin/env python3
"""Seed corpus for the fuzz targets, generated from a content folder.

usage: make_corpus.py CONTENT_DIR OUT_DIR
Writes OUT_DIR/<target>/<sha1> files: whole topic files (load_content), every Markdown
field (markdown), every Rust snippet (highlight_rust), every other snippet (highlight_code,
in each of its languages), every prose paragraph
(line_breaking), each in the input format its target expects (see the targets' headers).
"""
import hashlib
import os
import re
import sys

import yaml

MARKDOWN_KEYS = {"summary", "body", "answer", "question", "front", "back", "text", "extra",
                 "description"}


def write(out_dir, target, data):
    folder = os.path.join(out_dir, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def strings(node, key=None):
    """(key, string) for every string value in a YAML tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item, key)
    elif isinstance(node, str):
        yield key, node


def fences(markdown):
    """(info, code) of every fenced block."""
    for match in re.finditer(r"^```([^\n]*)\n(.*?)^```\s*$", markdown, re.M | re.S):
        yield match.group(1).strip(), match.group(2)


def paragraphs(markdown):
    without_code = re.sub(r"^```.*?^```\s*$", "", markdown, flags=re.M | re.S)
    for block in re.split(r"\n\s*\n", without_code):
        text = " ".join(line.strip() for line in block.splitlines()).strip()
        if text:
            yield text


def lock_and_layouts(content, out_dir):
    """lock: the content's anki.lock, whole and in parts; layout: every layout beside it."""
    lock_path = os.path.join(content, "anki.lock")
    if os.path.exists(lock_path):
        with open(lock_path, "rb") as f:
            lock = f.read()
        write(out_dir, "lock", lock)
        lines = lock.splitlines(keepends=True)
        for start in range(0, len(lines), 40):
            write(out_dir, "lock", b"".join(lines[:10] + lines[start:start + 40]))
    write(out_dir, "lock", b"note g 12ab -1000 -2000 basic t/a\nremoved h 99999999999999 0 code t/b\n")
    layouts = os.path.join(os.path.dirname(os.path.abspath(content)), "layouts")
    for name in sorted(os.listdir(layouts)) if os.path.isdir(layouts) else []:
        if name.endswith(".yaml"):
            with open(os.path.join(layouts, name), "rb") as f:
                write(out_dir, "layout", f.read())
    write(out_dir, "layout", b"extends: a4\npage:\n  size: custom\n  width: 900mm\n  height: 1in\n")


def main():
    content, out_dir = sys.argv[1], sys.argv[2]
    topics_dir = os.path.join(content, "topics")
    names = sorted(n for n in os.listdir(topics_dir) if n.endswith(".yaml"))
    with open(os.path.join(content, "book.yaml"), "rb") as f:
        book = f.read()
    for index, name in enumerate(names):
        with open(os.path.join(topics_dir, name), "rb") as f:
            raw = f.read()
        # load_content: the topic as topics/alpha.yaml of the target's fixed book.
        write(out_dir, "load_content", re.sub(rb"^id: .*$", b"id: alpha", raw, count=1, flags=re.M))
        # ... and, for some, the real book.yaml followed by two topic files.
        if index % 6 == 0 and index + 1 < len(names):
            with open(os.path.join(topics_dir, names[index + 1]), "rb") as f:
                second = f.read()
            write(out_dir, "load_content", book + b"\n%%%%\n" + raw + b"\n%%%%\n" + second)
        document = yaml.safe_load(raw.decode("utf-8"))
        for key, value in strings(document):
            if key in MARKDOWN_KEYS:
                cloze = b"\x01" if key == "text" else b"\x00"
                write(out_dir, "markdown", cloze + value.encode("utf-8"))
                write(out_dir, "card_html", cloze + value.encode("utf-8"))
                for info, code in fences(value):
                    if info.startswith("rust"):
                        write(out_dir, "highlight_rust", code.encode("utf-8"))
                    else:  # any other language: byte 0 picks one of the target's languages
                        for language in range(14):
                            write(out_dir, "highlight_code",
                                  bytes([language]) + code.encode("utf-8"))
                for number, paragraph in enumerate(paragraphs(value)):
                    width = bytes([(len(paragraph) * 7 + number * 13) % 256])
                    write(out_dir, "line_breaking", width + paragraph.encode("utf-8"))
            elif key == "code":
                write(out_dir, "highlight_rust", value.encode("utf-8"))
    # Unbroken runs far longer than any word: the loader refuses them, the highlighters and
    # the line breaker must still finish quickly.
    write(out_dir, "load_content", b"id: alpha\ntitle: " + b"w" * 5000 + b"\nsections: []\n")
    write(out_dir, "highlight_code", b"\x00SELECT '" + b"a" * 8000)
    write(out_dir, "line_breaking", b"\x40" + b"z" * 4000)
    # Many deletions in one field: their extraction must stay linear.
    write(out_dir, "card_html", b"\x01" + b" ".join(b"{{c%d::w%d}}" % (i % 999 + 1, i) for i in range(20000)))
    lock_and_layouts(content, out_dir)
    for target in ("load_content", "markdown", "highlight_rust", "highlight_code", "line_breaking",
                   "card_html", "lock", "layout"):
        count = len(os.listdir(os.path.join(out_dir, target)))
        print(f"{target}: {count} seed inputs")


if __name__ == "__main__":
    main()
