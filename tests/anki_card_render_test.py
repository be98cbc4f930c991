#!/usr/bin/env python3
"""Cards in a browser engine (headless Chromium), as Anki's editor and reviewer show them.

1. Editor round trip: Anki's editor puts a field into a contenteditable element and stores
   what innerHTML gives back (after the user typed). Every cloze field of the fixture deck
   must still hold the same deletions by Anki's cloze regex afterwards. The encoding prepkit
   used before (':' as &#58;) is checked too and must break: the check can fail.
2. Phones: a code card at 360 px wraps a long line with a hanging indent (continuation
   lines start right of the line's indentation), never scrolls sideways, and does not wrap
   at 800 px.

Usage: anki_card_render_test.py PREPKIT   (exits 77, skipped, without chromium)
"""

import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

SKIP = 77
TESTS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TESTS)

# The reviewer: a code card alone, in a frame as wide as a phone or a desktop window (the
# note type's media query sees the frame's width). It measures the longest code line.
CARD = r"""<!doctype html><html><head><meta charset="utf-8"><style>%(css)s</style></head>
<body class="card">%(code_card)s<script>
const pre = document.querySelector('pre');
const line = [...document.querySelectorAll('.ln')].find(l => l.textContent.length > 60);
const range = document.createRange();
range.selectNodeContents(line.querySelector('.tx'));
// One box per line of text: the range's rectangles grouped by their top.
const lines = new Map();
for (const r of range.getClientRects()) {
  const top = Math.round(r.top);
  const box = lines.get(top) || [r.left, r.right];
  lines.set(top, [Math.min(box[0], r.left), Math.max(box[1], r.right)]);
}
const indent = line.querySelector('.ind').getBoundingClientRect();
document.body.dataset.result = JSON.stringify({
  boxes: [...lines.keys()].sort((a, b) => a - b).map(top => lines.get(top)),
  indentEnd: indent.right, charWidth: indent.width / 4,
  preRight: pre.getBoundingClientRect().right, scrolls: pre.scrollWidth > pre.clientWidth,
  width: window.innerWidth });
</script></body></html>
"""

# The editor: Anki's editor puts a field into a contenteditable element and saves its
# innerHTML. Anki 2.1's cloze regex (anki/template/template.py), as JavaScript.
PAGE = r"""<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="field" contenteditable="true"></div>
<iframe id="phone" width="360" height="600" srcdoc="%(card)s"></iframe>
<iframe id="desktop" width="800" height="600" srcdoc="%(card)s"></iframe>
<pre id="out"></pre>
<script>
const clozeRegex = /\{\{c(\d+)::([\s\S]*?)(::([\s\S]*?))?\}\}/g;
function text(h) { const d = document.createElement('div'); d.innerHTML = h; return d.textContent; }
function deletions(h) {
  return [...h.matchAll(clozeRegex)].map(m => [m[1], text(m[2]), text(m[4] || '')]);
}
const fields = %(fields)s;
const editor = document.getElementById('field');
const results = { fields: [] };
for (const field of fields) {
  editor.innerHTML = field;
  editor.focus();
  const range = document.createRange();
  range.selectNodeContents(editor);
  range.collapse(false);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.execCommand('insertText', false, ' typed');
  const saved = editor.innerHTML;
  results.fields.push({ before: deletions(field), after: deletions(saved), saved: saved });
}
window.addEventListener('load', () => {
  for (const id of ['phone', 'desktop']) {
    results[id] = JSON.parse(document.getElementById(id).contentDocument.body.dataset.result);
  }
  document.getElementById('out').textContent = JSON.stringify(results);
});
</script></body></html>
"""


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


def build_deck(prepkit, work):
    root = os.path.join(work, "pack")
    shutil.copytree(os.path.join(TESTS, "fixtures", "anki_pack", "content"),
                    os.path.join(root, "content"))
    shutil.copytree(os.path.join(REPO, "layouts"), os.path.join(root, "layouts"))
    out = os.path.join(root, "out")
    subprocess.run([prepkit, "build", "--content", os.path.join(root, "content"), "--out", out,
                    "--only", "apkg", "--now", "1796500000", "-q"], check=True)
    with zipfile.ZipFile(os.path.join(out, "anki-pack.apkg")) as z:
        database = os.path.join(work, "collection.anki2")
        with open(database, "wb") as f:
            f.write(z.read("collection.anki2"))
    db = sqlite3.connect(database)
    models = json.loads(db.execute("select models from col").fetchone()[0])
    notes = [(models[str(mid)], flds.split("\x1f")) for mid, flds in
             db.execute("select mid, flds from notes order by id")]
    db.close()
    return notes


def render(chromium, page):
    run = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                          "--dump-dom", "file://" + page],
                         capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="out">(.*?)</pre>', run.stdout, re.S)
    expect(found and found.group(1), "chromium printed no result: %s" % run.stderr[-500:])
    return json.loads(html.unescape(found.group(1)))


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("skipped: needs chromium (apt-get install chromium; .ci/setup installs it)")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="prepkit-render-") as work:
        notes = build_deck(os.path.abspath(argv[1]), work)
        cloze = [fields[0] for model, fields in notes if model["type"] == 1]
        expect(any("thread" in f for f in cloze), "the fixture has no cloze on std::thread")
        # prepkit's earlier encoding, for the control: ':' as a character reference.
        old = [re.sub(r'<span class="cz">(.*?)</span>',
                      lambda m: "&#58;" if m.group(1) == ":" else m.group(1), f) for f in cloze]
        code_model, code_fields = next((m, f) for m, f in notes if m["name"].startswith("prepkit Code"))
        names = [f["name"] for f in code_model["flds"]]
        card = code_model["tmpls"][0]["afmt"]
        for name, value in zip(names, code_fields):
            card = re.sub(r"\{\{#%s\}\}(.*?)\{\{/%s\}\}" % (name, name),
                          lambda m: m.group(1) if value else "", card, flags=re.S)
            card = card.replace("{{%s}}" % name, value)
        page = os.path.join(work, "card.html")
        frame = CARD % {"css": code_model["css"], "code_card": card}
        with open(page, "w", encoding="utf-8") as f:
            f.write(PAGE % {"card": html.escape(frame, quote=True),
                            "fields": json.dumps(cloze + old)})
        failures = 0
        result = render(chromium, page)
        try:
            for i, field in enumerate(result["fields"]):
                whole = field["before"] == field["after"] and field["before"]
                if i < len(cloze):
                    expect(whole, "cloze broken by the editor round trip: %s -> %s (%s)"
                           % (field["before"], field["after"], field["saved"]))
                else:
                    expect(not whole, "the &#58; control survived: the check cannot fail")
            print("ok   editor round trip keeps %d cloze field(s) whole (the old &#58; encoding "
                  "breaks)" % len(cloze))
        except Failure as failure:
            failures += 1
            print("FAIL editor: %s" % failure)
        for frame_id in ("phone", "desktop"):
            code = result[frame_id]
            boxes = code["boxes"]
            try:
                expect(not code["scrolls"], "the code block scrolls sideways: %s" % code)
                if frame_id == "phone":
                    expect(len(boxes) >= 2, "the long line did not wrap: %s" % code)
                    hang = code["indentEnd"] + 1.5 * code["charWidth"]
                    expect(all(left >= hang for left, _ in boxes[1:]),
                           "wrapped text does not hang under the indent: %s" % code)
                    expect(all(right <= code["preRight"] + 0.5 for _, right in boxes),
                           "text runs past the code block: %s" % code)
                    print("ok   code at %d px wraps with a hanging indent, no sideways scroll"
                          % code["width"])
                else:
                    expect(len(boxes) == 1, "the long line wraps: %s" % code)
                    print("ok   code at %d px stays on one line" % code["width"])
            except Failure as failure:
                failures += 1
                print("FAIL %s: %s" % (frame_id, failure))
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
