#!/usr/bin/env python3
"""Writes a synthetic but realistic prepkit study pack for the benchmark.

Per 10 cards the pack has one booklet section of about 400 words (paragraphs with inline
code, bold and italic text, cross references, a bullet and a numbered list) and one 15-line
Rust code block; cards are mixed like the shipped pack (about 50% basic, 35% cloze, 15%
code). Topics hold 40 cards (4 sections) plus key points, a pitfall and two interview
questions. Rust code is fenced as ```rust,ignore(synthetic)``` (and code cards say
`check: ignore(synthetic)`), so no compiler is needed. Same arguments, same bytes.

    generate_pack.py --cards 10000 --seed 1 --out /tmp/pack10k

writes /tmp/pack10k/content/{book.yaml,topics/*.yaml} and copies the repository's
layouts/ beside it (prepkit looks for layouts/ next to the content folder).
Python 3 standard library only.
"""

import argparse
import json
import os
import random
import re
import shutil
import sys

CARDS_PER_TOPIC = 40
CARDS_PER_SECTION = 10
AREA_TITLES = [
    ("core", "Core language"),
    ("data", "Data structures and algorithms"),
    ("systems", "Systems programming"),
    ("practice", "Practical applications"),
    ("testing", "Testing and debugging"),
    ("patterns", "Patterns and idioms"),
    ("advanced", "Advanced topics"),
    ("resources", "Study resources"),
]

# Ordinary technical English: long words give the hyphenator real work.
NOUNS = """allocation borrow buffer caller capacity channel closure collection compiler
constraint container contract conversion counter deadlock destructor dependency element
executor expression field function generic guarantee handle implementation index invariant
iterator lifetime lock memory method module mutation ownership parameter pattern pointer
reference request resource runtime scheduler signature slice snapshot statement structure
task thread trait transaction value variable vector workload boundary abstraction
configuration performance representation specialisation synchronisation optimisation
serialisation initialisation""".split()
VERBS = """borrows moves drops clones returns stores checks rejects accepts allocates
releases schedules polls wraps unwraps converts compares inspects validates guarantees
prevents requires permits implements dereferences coerces monomorphises""".split()
ADJECTIVES = """mutable immutable shared exclusive owned borrowed generic concrete
asynchronous synchronous thread-safe zero-cost explicit implicit temporary permanent static
dynamic unsafe idiomatic expensive cheap predictable deterministic""".split()
ADVERBS = """usually always rarely explicitly implicitly statically dynamically safely
quickly eventually immediately deliberately""".split()
CONNECTORS = ["Because of this,", "In practice,", "As a rule,", "For example,", "In contrast,",
              "At compile time,", "Under the hood,", "In an interview,", "Most of the time,",
              "When in doubt,"]
CODE_WORDS = ["`Vec<T>`", "`Option<T>`", "`Result<T, E>`", "`&mut self`", "`Arc<Mutex<T>>`",
              "`Box<dyn Error>`", "`iter()`", "`into_iter()`", "`clone()`", "`HashMap<K, V>`",
              "`&str`", "`String`", "`impl Trait`", "`Rc<RefCell<T>>`", "`unwrap()`", "`?`",
              "`Send`", "`Sync`", "`Copy`", "`Drop::drop`", "`async fn`", "`.await`",
              "`'static`", "`PhantomData<T>`", "`std::mem::take`", "`Pin<&mut Self>`"]
TYPE_NAMES = ["Ledger", "Inventory", "Session", "Router", "Parser", "Scheduler", "Registry",
              "Cache", "Queue", "Tracker", "Buffer", "Catalog", "Account", "Pipeline"]
FIELD_NAMES = ["entries", "items", "slots", "pending", "totals", "names", "limits", "events",
               "counts", "handlers"]
METHOD_NAMES = ["record", "insert", "update", "push_item", "register", "charge", "track",
                "admit", "store", "apply"]
KEY_TYPES = ["String", "u32", "u64", "usize"]
VALUE_TYPES = ["u64", "i64", "usize", "u32"]


def yaml_string(text):
    """A JSON string is a valid YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def block_scalar(text, indent):
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.split("\n")) + "\n"


class Writer:
    def __init__(self, rng):
        self.rng = rng

    def words(self, count):
        return " ".join(self.rng.choice(NOUNS) for _ in range(count))

    def sentence(self, inline_code=True):
        r = self.rng
        parts = []
        if r.random() < 0.3:
            parts.append(r.choice(CONNECTORS))
        subject = "the " + r.choice(ADJECTIVES) + " " + r.choice(NOUNS)
        if parts:
            parts.append(subject)
        else:
            parts.append(subject[0].upper() + subject[1:])
        parts.append(r.choice(ADVERBS))
        parts.append(r.choice(VERBS))
        obj = r.choice(["a", "the", "every", "each"]) + " " + r.choice(NOUNS)
        if inline_code and r.random() < 0.5:
            obj += " such as " + r.choice(CODE_WORDS)
        parts.append(obj)
        if r.random() < 0.5:
            parts.append(r.choice(["before", "after", "while", "unless", "so that"]))
            parts.append("the " + r.choice(NOUNS) + " " + r.choice(VERBS) + " its " +
                         r.choice(NOUNS))
        text = " ".join(parts)
        roll = r.random()
        if roll < 0.08:
            text = text.replace(" the ", " the *" + r.choice(ADJECTIVES) + "* ", 1)
        elif roll < 0.14:
            text = text.replace(" the ", " the **" + r.choice(ADJECTIVES) + "** ", 1)
        return text + "."

    def paragraph(self, target_words, link=None):
        sentences = []
        count = 0
        while count < target_words:
            s = self.sentence()
            sentences.append(s)
            count += len(s.split())
        if link:
            sentences.insert(len(sentences) // 2, "See [" + link[0] + "](" + link[1] + ") for the details.")
        return self.wrap(" ".join(sentences))

    @staticmethod
    def wrap(text, width=92):
        # Code spans stay on one line (U+0001 stands for their spaces while wrapping).
        pieces = text.split("`")
        text = "`".join(p.replace(" ", "\x01") if i % 2 else p for i, p in enumerate(pieces))
        lines, line = [], ""
        for word in text.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = word if not line else line + " " + word
        lines.append(line)
        return "\n".join(lines).replace("\x01", " ")

    def list_block(self, items, ordered):
        out = []
        for i in range(items):
            marker = f"{i + 1}." if ordered else "-"
            text = self.sentence()
            out.append(marker + " " + text)
        return "\n".join(out)

    def rust_block(self):
        r = self.rng
        name = r.choice(TYPE_NAMES) + str(r.randint(1, 99))
        field = r.choice(FIELD_NAMES)
        key = r.choice(KEY_TYPES)
        value = r.choice(VALUE_TYPES)
        method = r.choice(METHOD_NAMES)
        lines = [
            "use std::collections::HashMap;",
            "#[derive(Debug, Default, Clone)]",
            f"pub struct {name} {{",
            f"    {field}: HashMap<{key}, {value}>,",
            "    limit: usize,",
            "}",
            "",
            f"impl {name} {{",
            f"    pub fn {method}(&mut self, key: {key}, amount: {value}) -> Option<{value}> {{",
            f"        let total = self.{field}.entry(key).or_insert(0); // the running {r.choice(NOUNS)}",
            "        *total += amount;",
            f"        if self.{field}.len() > self.limit {{ return None; }}",
            "        Some(*total)",
            "    }",
            "}",
        ]
        return "```rust,ignore(synthetic)\n" + "\n".join(lines) + "\n```"

    def snippet(self):
        r = self.rng
        var = r.choice(FIELD_NAMES)
        return "\n".join([
            f"let mut {var} = vec![{r.randint(1, 9)}, {r.randint(1, 9)}, {r.randint(1, 9)}];",
            f"let first = &{var}[0];",
            f"{var}.push({r.randint(10, 99)});",
            'println!("{first}");',
        ])


def make_section(w, topic_id, section_index, earlier_anchors):
    link = None
    if earlier_anchors and w.rng.random() < 0.5:
        target = w.rng.choice(earlier_anchors)
        link = (target[0], "#" + target[1])
    body = "\n\n".join([
        w.paragraph(85),
        w.list_block(w.rng.randint(3, 4), ordered=False),
        w.paragraph(75, link),
        w.rust_block(),
        w.paragraph(80),
        w.list_block(3, ordered=True),
        w.paragraph(40),
    ])
    title_words = w.rng.sample(NOUNS, 2)
    title = (w.rng.choice(ADJECTIVES).capitalize() + " " + title_words[0] + " and " +
             title_words[1])
    section_id = f"s{section_index + 1}-{title_words[0]}"
    terms = sorted(set(w.rng.sample(NOUNS, 2)))
    return section_id, title, terms, body


def make_card(w, index, section_id, kinds):
    r = w.rng
    kind = kinds[index % len(kinds)]
    card_id = f"c{index + 1:03d}"
    lines = [f"  - id: {card_id}", f"    kind: {kind}", f"    section: {section_id}"]
    if kind == "basic":
        noun = r.choice(NOUNS)
        lines.append("    front: " + yaml_string(
            f"What does the {r.choice(ADJECTIVES)} {noun} guarantee when it {r.choice(VERBS)} a {r.choice(NOUNS)}?"))
        lines.append("    back: " + yaml_string(w.sentence() + " " + w.sentence(False)))
        if r.random() < 0.05:
            lines.append("    reverse: true")
    elif kind == "cloze":
        a, b = r.choice(NOUNS), r.choice(CODE_WORDS)
        lines.append("    text: " + yaml_string(
            f"A {r.choice(ADJECTIVES)} {r.choice(NOUNS)} {{{{c1::{r.choice(VERBS)}}}}} the {a}, "
            f"and {{{{c2::{b}}}}} {r.choice(VERBS)} it {r.choice(ADVERBS)}."))
        if r.random() < 0.6:
            lines.append("    extra: " + yaml_string(w.sentence()))
    else:
        lines.append("    front: " + yaml_string("Does this compile?"))
        lines.append("    code: " + block_scalar(w.snippet(), 6).rstrip("\n"))
        lines.append("    check: ignore(synthetic)")
        lines.append("    back: " + yaml_string(
            "No — E0502: `push` needs a mutable borrow while `first` is alive. " + w.sentence(False)))
    tags = sorted(set(r.sample(["ownership", "borrowing", "traits", "async", "memory",
                                "collections", "errors", "threads"], r.randint(1, 2))))
    lines.append("    tags: [" + ", ".join(tags) + "]")
    return "\n".join(lines)


def make_topic(w, topic_id, title, area_id, cards, earlier_anchors, md):
    sections = max(1, -(-cards // CARDS_PER_SECTION))
    summary = w.paragraph(45)
    md += ["# " + title, summary]
    out = [f"id: {topic_id}", "title: " + yaml_string(title), f"area: {area_id}",
           "summary: " + block_scalar(summary, 2).rstrip("\n"), "", "sections:"]
    section_ids = []
    for s in range(sections):
        section_id, section_title, terms, body = make_section(w, topic_id, s, earlier_anchors)
        section_ids.append(section_id)
        out.append(f"  - id: {section_id}")
        out.append("    title: " + yaml_string(section_title))
        out.append("    terms: [" + ", ".join(terms) + "]")
        out.append("    body: " + block_scalar(body, 6).rstrip("\n"))
        out.append("")
        earlier_anchors.append((section_title, f"{topic_id}/{section_id}"))
        md += ["## " + section_title, body.replace("```rust,ignore(synthetic)", "```rust")]
    out.append("key_points:")
    md.append("## Key points")
    points = []
    for _ in range(3):
        point = w.sentence() + " " + w.sentence(False)
        points.append("- " + point)
        out.append("  - " + yaml_string(point))
    md.append("\n".join(points))
    out.append("")
    out.append("pitfalls:")
    pitfall_title = ("Forgetting that the " + w.rng.choice(NOUNS) + " " + w.rng.choice(VERBS) +
                     " its " + w.rng.choice(NOUNS))
    pitfall_body = w.paragraph(50)
    md += ["## Pitfalls", "**" + pitfall_title + ".** " + pitfall_body, "## Interview questions"]
    out.append("  - title: " + yaml_string(pitfall_title))
    out.append("    body: " + block_scalar(pitfall_body, 6).rstrip("\n"))
    out.append("")
    out.append("questions:")
    for q in range(2):
        question = (f"Why does the {w.rng.choice(ADJECTIVES)} {w.rng.choice(NOUNS)} "
                    f"{w.rng.choice(VERBS).rstrip('s')} a {w.rng.choice(NOUNS)}?")
        answer = w.paragraph(60)
        md += ["**" + question + "**", answer]
        out.append(f"  - id: q{q + 1}")
        out.append("    question: " + yaml_string(question))
        out.append("    answer: " + block_scalar(answer, 6).rstrip("\n"))
    out.append("")
    out.append("cards:")
    # Same mix as the shipped pack: 10 basic, 7 cloze, 3 code in every 20 cards.
    kinds = (["basic", "cloze", "basic", "code", "cloze", "basic", "basic", "cloze", "basic",
              "cloze", "basic", "code", "basic", "cloze", "basic", "cloze", "basic", "code",
              "cloze", "basic"])
    for c in range(cards):
        out.append(make_card(w, c, section_ids[c // CARDS_PER_SECTION], kinds))
    return "\n".join(out) + "\n"


def generate(cards, seed, out_dir, layouts_from, markdown_path=None):
    rng = random.Random(seed)
    w = Writer(rng)
    content = os.path.join(out_dir, "content")
    topics_dir = os.path.join(content, "topics")
    if os.path.exists(content):
        shutil.rmtree(content)
    os.makedirs(topics_dir)
    topic_count = max(1, -(-cards // CARDS_PER_TOPIC))
    areas = AREA_TITLES[:min(len(AREA_TITLES), topic_count)]
    area_topics = {area_id: [] for area_id, _ in areas}
    earlier_anchors = []
    md = []
    remaining = cards
    for t in range(topic_count):
        count = min(CARDS_PER_TOPIC, remaining)
        remaining -= count
        noun = rng.choice(NOUNS)
        topic_id = f"t{t + 1:04d}-{noun}"
        title = f"{rng.choice(ADJECTIVES).capitalize()} {noun}s in practice"
        area_id = areas[t * len(areas) // topic_count][0]
        area_topics[area_id].append(topic_id)
        text = make_topic(w, topic_id, title, area_id, count, earlier_anchors, md)
        with open(os.path.join(topics_dir, topic_id + ".yaml"), "w", encoding="utf-8") as f:
            f.write(text)
    book = [
        f"title: {yaml_string(f'Synthetic Rust Pack ({cards} cards)')}",
        "subtitle: Generated for the prepkit benchmark",
        "author: generate_pack.py",
        'version: "1.0"',
        'date: "2026-01-01"',
        f"slug: synthetic-{cards}",
        f"deck: Synthetic {cards}",
        "layout: a4",
        "code_language: rust",
        "description: " + block_scalar(w.paragraph(40), 2).rstrip("\n"),
        "areas:",
    ]
    for area_id, area_title in areas:
        book.append(f"  - id: {area_id}")
        book.append(f"    title: {yaml_string(area_title)}")
        book.append(f"    description: {yaml_string(w.sentence(False))}")
        book.append("    topics: [" + ", ".join(area_topics[area_id]) + "]")
    with open(os.path.join(content, "book.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(book) + "\n")
    if layouts_from:
        layouts = os.path.join(out_dir, "layouts")
        if os.path.exists(layouts):
            shutil.rmtree(layouts)
        shutil.copytree(layouts_from, layouts)
    if markdown_path:
        # The booklet's text as one Pandoc Markdown file (cross references become plain
        # text), for comparing with pandoc + pdflatex.
        text = "\n\n".join(md)
        text = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", text)
        header = ["---", f"title: Synthetic Rust Pack ({cards} cards)",
                  "papersize: a4", "geometry: margin=2cm", "---", ""]
        with open(markdown_path, "w", encoding="utf-8") as f:
            f.write("\n".join(header) + text + "\n")
    return content


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, required=True, help="number of cards (N)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", required=True, help="folder to write content/ (and layouts/) into")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--layouts", default=os.path.normpath(os.path.join(here, "../../layouts")),
                        help="layouts folder to copy beside the content ('' to skip)")
    parser.add_argument("--markdown", metavar="FILE",
                        help="also write the booklet text as one Markdown file (for pandoc)")
    args = parser.parse_args()
    if args.cards < 1:
        parser.error("--cards must be at least 1")
    content = generate(args.cards, args.seed, args.out, args.layouts, args.markdown)
    print(content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
