#!/usr/bin/env python3
"""Converts the benchmark's booklet Markdown (generate_pack.py --markdown) to Typst markup.

Handles exactly what that file holds: a YAML header with the title, `#`/`##` headings,
paragraphs with `code`, **bold** and *italic*, `-` and `1.` lists and fenced code blocks.
The document gets the same page setup as the pandoc run (A4, 2 cm margins, 10 pt text as
in pandoc's LaTeX default) plus a title and a table of contents, so the page counts are
comparable.

    markdown_to_typst.py booklet.md booklet.typ

Python 3 standard library only.
"""

import re
import sys

# Characters with a meaning in Typst markup; escaped with a backslash in plain text.
# (`/` starts a comment only when doubled, `-`, `+` and `=` only at the start of a line.)
SPECIAL = re.compile(r"([\\#$*_<>@\[\]~`=+/-])")


def escape(text):
    return SPECIAL.sub(r"\\\1", text)


def inline(text):
    """Typst markup for one paragraph's text: code spans, **bold**, *italic*, plain text."""
    out = []
    for i, piece in enumerate(re.split(r"(`[^`]*`)", text)):
        if i % 2:
            out.append(piece)  # a code span is raw text in Typst too
            continue
        for j, part in enumerate(re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", piece)):
            if j % 2 == 0:
                out.append(escape(part))
            elif part.startswith("**"):
                out.append("*" + escape(part[2:-2]) + "*")
            else:
                out.append("_" + escape(part[1:-1]) + "_")
    return "".join(out)


def convert(markdown):
    lines = markdown.split("\n")
    title = "Booklet"
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        for line in lines[1:end]:
            if line.startswith("title:"):
                title = line.split(":", 1)[1].strip()
        lines = lines[end + 1:]

    out = ['#set page(paper: "a4", margin: 2cm)',
           "#set text(size: 10pt)",
           "#set document(title: [" + escape(title) + "])",
           "#align(center, text(17pt)[" + escape(title) + "])",
           "#outline()",
           "#pagebreak()",
           ""]
    paragraph = []

    def flush():
        if paragraph:
            out.append(inline(" ".join(paragraph)))
            out.append("")
            paragraph.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            end = lines.index("```", i + 1)
            out += [line] + lines[i + 1:end] + ["```", ""]
            i = end + 1
            continue
        heading = re.match(r"(#+) (.*)", line)
        item = re.match(r"(- |\d+\. )(.*)", line)
        if heading:
            flush()
            out += ["=" * len(heading.group(1)) + " " + inline(heading.group(2)), ""]
        elif item:
            flush()
            marker = "-" if item.group(1) == "- " else "+"
            out.append(marker + " " + inline(item.group(2)))
            if i + 1 >= len(lines) or not re.match(r"(- |\d+\. )", lines[i + 1]):
                out.append("")
        elif line.strip():
            paragraph.append(line.strip())
        else:
            flush()
        i += 1
    flush()
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: markdown_to_typst.py BOOKLET.md OUT.typ")
    with open(sys.argv[1], encoding="utf-8") as f:
        typst = convert(f.read())
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        f.write(typst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
