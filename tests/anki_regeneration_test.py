#!/usr/bin/env python3
"""A year of study and edits, with Anki 2.1.15's own importer (issue 18's table).

Every scenario builds the fixture pack (tests/fixtures/anki_pack), changes it as a user
would, builds again, and checks with anki_import_check.py (v1 --then v2 --strict) how many
notes the second import adds and updates. It also studies a card of v1 in a collection,
imports v2, and checks that the card's review history is still there.

Needs the Anki import check and Anki 2.1.15's library (tests/README.md); without them it
exits 77, which CTest reports as skipped.

Usage: anki_regeneration_test.py PREPKIT [SCENARIO...]
"""

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
FIXTURE = os.path.join(TESTS, "fixtures", "anki_pack")
T1, T2, T3 = 1796500000, 1796600000, 1796700000


def find_import_check():
    candidates = [os.environ.get("ANKI_IMPORT_CHECK", "")]
    for up in ("..", os.path.join("..", "..")):
        candidates.append(os.path.join(REPO, up, "shared", "tools", "anki_import_check.py"))
    return next((os.path.abspath(c) for c in candidates if c and os.path.isfile(c)), None)


def anki_lib_dir():
    return os.environ.get("ANKI_LIB_DIR", os.path.expanduser("~/.cache/anki-2.1.15"))


class Failure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Failure(message)


class Pack:
    """A copy of the fixture pack (content + the repository's layouts) in a scratch folder."""

    def __init__(self, prepkit, work, name):
        self.prepkit = prepkit
        self.root = os.path.join(work, name)
        shutil.copytree(os.path.join(FIXTURE, "content"), os.path.join(self.root, "content"))
        shutil.copytree(os.path.join(REPO, "layouts"), os.path.join(self.root, "layouts"))
        self.builds = 0

    def path(self, relative):
        return os.path.join(self.root, "content", relative)

    def edit(self, relative, old, new):
        with open(self.path(relative), encoding="utf-8") as f:
            text = f.read()
        expect(old in text, "fixture %s has no %r" % (relative, old))
        with open(self.path(relative), "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))

    def lock(self):
        with open(self.path("anki.lock"), encoding="utf-8") as f:
            return f.read()

    def build(self, now, *options):
        """Builds the deck; returns (a copy of the .apkg, stderr)."""
        out = os.path.join(self.root, "out")
        run = subprocess.run(
            [self.prepkit, "build", "--content", os.path.join(self.root, "content"), "--out", out,
             "--only", "apkg", "--now", str(now), "-q"] + list(options),
            capture_output=True, text=True)
        expect(run.returncode == 0, "build failed: %s" % run.stderr)
        apkgs = [f for f in os.listdir(out) if f.endswith(".apkg")]
        self.builds += 1
        kept = os.path.join(self.root, "v%d-%s" % (self.builds, apkgs[0]))
        shutil.copyfile(os.path.join(out, apkgs[0]), kept)
        os.remove(os.path.join(out, apkgs[0]))
        return kept, run.stderr


class Anki:
    """Anki 2.1.15's library, for studying a card between two imports."""

    def __init__(self, lib_dir, work):
        sys.path.insert(0, lib_dir)
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from anki.storage import Collection
            from anki.importing.apkg import AnkiPackageImporter
        self.Collection = Collection
        self.Importer = AnkiPackageImporter
        self.work = work
        self.count = 0

    def collection(self):
        self.count += 1
        folder = os.path.join(self.work, "collection-%d" % self.count)
        os.makedirs(folder)
        return self.Collection(os.path.join(folder, "collection.anki2"), lock=False)

    def import_package(self, col, apkg):
        importer = self.Importer(col, apkg)
        importer.run()
        return importer

    def study_then_reimport(self, v1, v2, guid):
        """Imports v1, answers the first card of note `guid`, imports v2; returns what
        the collection holds about that card before and after the second import."""
        col = self.collection()
        try:
            self.import_package(col, v1)
            nid = col.db.scalar("select id from notes where guid = ?", guid)
            expect(nid is not None, "note %s is not in v1" % guid)
            cid = col.db.scalar("select id from cards where nid = ? order by ord limit 1", nid)
            col.sched.reset()
            card = col.getCard(cid)
            card.startTimer()
            col.sched.answerCard(card, 2)
            col.save()

            def state():
                card = col.getCard(cid)
                return {"note": col.db.scalar("select id from notes where guid = ?", guid),
                        "card": (card.nid, card.type, card.queue, card.due, card.ivl, card.reps),
                        "revlog": col.db.scalar("select count() from revlog where cid = ?", cid),
                        "notes": col.noteCount(),
                        "guids": col.db.scalar("select count(distinct guid) from notes"),
                        "tags": col.getNote(nid).tags}
            before = state()
            self.import_package(col, v2)
            col.save()
            after = state()
        finally:
            col.close()
        return before, after

    def delete_tagged(self, v1, v2, tag):
        """Imports v1 then v2, deletes the notes a browser search for `tag` finds; returns
        their GUIDs and the GUIDs and mod times of the notes left."""
        col = self.collection()
        try:
            self.import_package(col, v1)
            self.import_package(col, v2)
            found = col.findNotes("tag:" + tag)
            guids = [col.getNote(nid).guid for nid in found]
            col.remNotes(found)
            left = sorted(col.db.all("select guid, mod from notes"))
            return guids, left
        finally:
            col.close()

    def study_order(self, apkg, deck, scheduler):
        """Imports apkg into a fresh collection and studies `deck` with its default options
        (new cards a day raised so that every card shows); returns (GUID, ord) of the cards
        in the order they came."""
        col = self.collection()
        try:
            if scheduler != col.schedVer():
                col.changeSchedulerVer(scheduler)
            self.import_package(col, apkg)
            did = col.decks.id(deck, create=False)
            expect(did, "no deck %r" % deck)
            col.decks.select(did)
            conf = col.decks.confForDid(did)
            conf["new"]["perDay"] = 1000
            col.decks.save(conf)
            col.sched.reset()
            order = []
            while True:
                card = col.sched.getCard()
                if card is None:
                    break
                order.append((col.db.scalar("select guid from notes where id = ?", card.nid),
                              card.ord))
                col.sched.answerCard(card, 3 if card.queue == 0 else 2)
                if len(order) > 100:
                    break
            return order
        finally:
            col.close()


def check(import_check, v1, v2):
    """anki_import_check.py v1 --then v2 --strict; returns the --then import's report."""
    run = subprocess.run([sys.executable, import_check, v1, "--then", v2, "--strict", "--json"],
                         capture_output=True, text=True, env=dict(os.environ, ANKI_LIB_DIR=anki_lib_dir()))
    report = json.loads(run.stdout) if run.stdout.strip().startswith("{") else {}
    summary = report.get("summary", {})
    expect(run.returncode == 0,
           "strict import check failed (exit %d): %s %s %s" % (
               run.returncode, summary.get("errors"), summary.get("warnings"), run.stderr[-500:]))
    return report["then"][0]


def guid_of(lock, source):
    for line in lock.splitlines():
        parts = line.split()
        if parts and parts[0] in ("note", "removed") and parts[-1] == source:
            return parts[1]
    raise Failure("no %s in the lock" % source)


def note_types(apkg):
    """The note types a package carries (its col.models), by id."""
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(apkg) as package:
            package.extract("collection.anki2", folder)
        con = sqlite3.connect(os.path.join(folder, "collection.anki2"))
        try:
            models = json.loads(con.execute("select models from col").fetchone()[0])
        finally:
            con.close()
    return {int(key): model for key, model in models.items()}


def lock_type_id(lock, kind):
    for line in lock.splitlines():
        if line.split()[:2] == ["notetype", kind]:
            return int(line.split()[2])
    raise Failure("no %s note type in the lock" % kind)


def expect_counts(then, added, updated):
    expect((then["added"], then["updated"]) == (added, updated),
           "second import: added=%s updated=%s, expected added=%d updated=%d"
           % (then["added"], then["updated"], added, updated))


def expect_history_kept(before, after, notes_after):
    expect(before["revlog"] == 1, "the studied card has no review: %s" % before)
    expect(after["note"] == before["note"], "the studied note was replaced")
    expect(after["card"] == before["card"], "the studied card changed: %s -> %s"
           % (before["card"], after["card"]))
    expect(after["revlog"] == before["revlog"], "review history lost")
    expect(after["notes"] == notes_after, "collection has %d notes, expected %d"
           % (after["notes"], notes_after))
    expect(after["guids"] == after["notes"], "duplicate GUIDs in the collection")


# --- the scenarios (issue 18's table, one function per row) -------------------------------

def scenario_body_font_size(ctx):
    """changes the body font size 10 -> 11 pt: 0 notes updated"""
    pack = ctx.pack("font")
    v1, _ = pack.build(T1)
    with open(os.path.join(pack.root, "layouts", "bigger.yaml"), "w") as f:
        f.write("extends: a4\nsizes:\n  body: 11\n")
    studied = guid_of(pack.lock(), "moves/move-basic")
    v2, _ = pack.build(T2, "--layout", "bigger")
    return pack, v1, v2, studied, (0, 0), 6


def scenario_page_of_prose(ctx):
    """adds one page of prose to topic 1: 0 notes updated"""
    pack = ctx.pack("prose")
    v1, _ = pack.build(T1)
    studied = guid_of(pack.lock(), "zebra/stripes")
    paragraph = " ".join(["Scoped threads borrow from the stack of the function that opens "
                          "the scope, and the scope joins them before it returns."] * 6)
    pack.edit("topics/threads.yaml", "cards:\n",
              "  - id: more\n    title: More about scopes\n    body: |\n" +
              "".join("      %s\n\n" % paragraph for _ in range(8)) + "cards:\n")
    v2, _ = pack.build(T2)
    return pack, v1, v2, studied, (0, 0), 6


def scenario_letter_layout(ctx):
    """builds with --layout letter instead of A4: 0 notes change"""
    pack = ctx.pack("letter")
    v1, _ = pack.build(T1)
    studied = guid_of(pack.lock(), "threads/scope-basic")
    v2, _ = pack.build(T2, "--layout", "letter")
    return pack, v1, v2, studied, (0, 0), 6


def scenario_move_card(ctx):
    """moves a card to another topic: same note, history kept, tagged where it is now"""
    pack = ctx.pack("move")
    v1, _ = pack.build(T1)
    guid = guid_of(pack.lock(), "moves/move-basic")
    card = ("  - id: move-basic\n    kind: basic\n    section: rules\n"
            "    front: What does assigning a `String` do?\n    back: It moves the value.\n")
    pack.edit("topics/moves.yaml", card, "")
    pack.edit("topics/zebra.yaml", "cards:\n", "cards:\n" + card.replace("    section: rules\n", ""))
    v2, _ = pack.build(T2)
    expect(guid_of(pack.lock(), "zebra/move-basic") == guid, "the moved card got another GUID")
    ctx.expect_tags[guid] = "anki-pack::extra::zebra"
    return pack, v1, v2, guid, (0, 1), 6


def scenario_rename_card_id(ctx):
    """renames a card id: a warning with the exact fix; with the fix, the same note"""
    pack = ctx.pack("rename")
    v1, _ = pack.build(T1)
    guid = guid_of(pack.lock(), "moves/move-basic")
    pack.edit("topics/moves.yaml", "id: move-basic", "id: move-assign")
    v_unfixed, warnings = pack.build(T2)
    hint = re.search(r"in (\S+) delete the line ending in ' (\S+)' \(if there is one\), "
                     r"change ' (\S+)' to ' (\S+)' and build again", " ".join(warnings.split()))
    expect("warning: card 'moves/move-basic' left the content" in warnings and hint,
           "no warning with the fix: %r" % warnings)
    # Without the fix: one new note, and the old one comes back tagged for deletion.
    then = check(ctx.import_check, v1, v_unfixed)
    expect_counts(then, 1, 1)
    # The fix, applied as the hint says, to the lock this build wrote.
    lock = [line for line in pack.lock().splitlines(keepends=True)
            if not line.rstrip("\n").endswith(" " + hint.group(2))]
    lock = "".join(line.replace(" " + hint.group(3) + "\n", " " + hint.group(4) + "\n")
                   for line in lock)
    with open(pack.path("anki.lock"), "w") as f:
        f.write(lock)
    v2, warnings = pack.build(T3)
    expect("warning" not in warnings, "still warned after the fix: %r" % warnings)
    expect(guid_of(pack.lock(), "moves/move-assign") == guid, "the fix did not keep the GUID")
    # Revived: updated once (it may have been imported as a tombstone), never added.
    return pack, v1, v2, guid, (0, 1), 6


def scenario_slug(ctx):
    """changes slug: same notes, nothing updated"""
    pack = ctx.pack("slug")
    v1, _ = pack.build(T1)
    studied = guid_of(pack.lock(), "threads/scope-cloze")
    pack.edit("book.yaml", "slug: anki-pack", "slug: renamed-pack")
    v2, _ = pack.build(T2)
    expect(os.path.basename(v2).endswith("renamed-pack.apkg"), "slug not used for the file")
    return pack, v1, v2, studied, (0, 0), 6


def scenario_retitle_topic_and_add(ctx):
    """retitles a topic and adds a card: one place (the one deck), renamed"""
    pack = ctx.pack("retitle")
    v1, _ = pack.build(T1)
    studied = guid_of(pack.lock(), "moves/move-code")
    pack.edit("topics/moves.yaml", "title: Moves\n", "title: Moves and copies\n")
    pack.edit("topics/moves.yaml", "cards:\n",
              "cards:\n  - id: copy-basic\n    kind: basic\n    front: What does `Copy` do?\n"
              "    back: It copies the value instead of moving it.\n")
    v2, _ = pack.build(T2)
    # The topic's two notes show its new title; the new card joins them in the one deck.
    ctx.expect_decks = ["Anki Pack", "Default"]
    return pack, v1, v2, studied, (1, 2), 7


def scenario_delete_card(ctx):
    """deletes a card: build names it; its note alone is tagged for deletion"""
    pack = ctx.pack("delete")
    v1, _ = pack.build(T1)
    guid = guid_of(pack.lock(), "moves/move-code")
    pack.edit("topics/moves.yaml", "  - id: move-code\n", "  - id: gone\n")
    text = open(pack.path("topics/moves.yaml")).read()
    with open(pack.path("topics/moves.yaml"), "w") as f:
        f.write(text[:text.index("  - id: gone\n")])
    v2, warnings = pack.build(T2)
    expect("warning: card 'moves/move-code' left the content since the lock was written" in warnings,
           "build did not name the removed card: %r" % warnings)
    ctx.expect_tags[guid] = "anki-pack::removed"
    ctx.expect_removed = [guid]
    # One step in Anki: a browser search for the tag finds exactly that note.
    deleted, left = ctx.anki.delete_tagged(v1, v2, "anki-pack::removed")
    expect(deleted == [guid], "the search found %s, expected %s" % (deleted, [guid]))
    expect(len(left) == 5 and all(mod == T1 for _guid, mod in left),
           "other notes changed or went: %s" % left)
    # The studied card is the removed one: its history stays until the user deletes it.
    return pack, v1, v2, guid, (0, 1), 6


def scenario_first_code_card(ctx):
    """a pack without code gains its first code card, then loses it: one Code type, its id"""
    pack = ctx.pack("first-code")

    def cut(relative, card):
        """Removes `card` and the rest of the file (each code card ends its file)."""
        with open(pack.path(relative), encoding="utf-8") as f:
            text = f.read()
        expect(card in text, "fixture %s has no %r" % (relative, card))
        with open(pack.path(relative), "w", encoding="utf-8") as f:
            f.write(text[:text.index(card)])
        return text[text.index(card):]

    move_code = cut("topics/moves.yaml", "  - id: move-code\n")
    cut("topics/threads.yaml", "  - id: spawn-code\n")
    v1, _ = pack.build(T1)
    code_id = lock_type_id(pack.lock(), "code")
    expect(code_id not in note_types(v1), "a deck without code cards carries the Code type")
    studied = guid_of(pack.lock(), "moves/move-basic")
    with open(pack.path("topics/moves.yaml"), "a", encoding="utf-8") as f:
        f.write(move_code)
    v2, _ = pack.build(T2)
    # The Code type a pack that always had code cards carries: same id, name and time.
    always, _ = ctx.pack("always-code").build(T1)
    expect(note_types(v2).get(code_id) == note_types(always).get(code_id),
           "the first code card brought another Code type than the pack always had")
    # Removed again: its tombstone keeps the type, and the import updates that note alone.
    cut("topics/moves.yaml", "  - id: move-code\n")
    v3, _ = pack.build(T3)
    expect(code_id in note_types(v3), "the tombstone's Code type is missing")
    expect_counts(check(ctx.import_check, v2, v3), 0, 1)
    return pack, v1, v2, studied, (1, 0), 5


def scenario_upgrade(ctx):
    """a collection that imported today's deck (prepkit-base) takes the new deck in place"""
    pack = ctx.pack("upgrade")
    shutil.copyfile(os.path.join(FIXTURE, "upgrade", "anki.lock"), pack.path("anki.lock"))
    v1 = os.path.join(FIXTURE, "upgrade", "anki-pack-base.apkg")
    v2, _ = pack.build(T2)
    # Every note is updated once (no page numbers, new tags), none added.
    return pack, v1, v2, guid_of(pack.lock(), "threads/scope-basic"), (0, 6), 6


SCENARIOS = [scenario_body_font_size, scenario_page_of_prose, scenario_letter_layout,
             scenario_move_card, scenario_rename_card_id, scenario_slug,
             scenario_retitle_topic_and_add, scenario_delete_card, scenario_first_code_card,
             scenario_upgrade]


class Context:
    def __init__(self, prepkit, import_check, anki, work):
        self.prepkit, self.import_check, self.anki, self.work = prepkit, import_check, anki, work
        self.expect_tags = {}
        self.expect_decks = None
        self.expect_removed = []

    def pack(self, name):
        return Pack(self.prepkit, self.work, name)


def run_scenario(ctx, scenario):
    pack, v1, v2, guid, (added, updated), notes_after = scenario(ctx)
    then = check(ctx.import_check, v1, v2)
    expect_counts(then, added, updated)
    before, after = ctx.anki.study_then_reimport(v1, v2, guid)
    expect_history_kept(before, after, notes_after)
    for note in then["notes"]:
        wanted = ctx.expect_tags.get(note["guid"])
        expect(wanted is None or wanted in note["tags"],
               "note %s has tags %s, expected %s" % (note["guid"], note["tags"], wanted))
    removed = [n["guid"] for n in then["notes"] if any(t.endswith("::removed") for t in n["tags"])]
    expect(removed == ctx.expect_removed or scenario is scenario_rename_card_id,
           "notes tagged removed: %s, expected %s" % (removed, ctx.expect_removed))


def scenario_study_order(ctx):
    """studies the top deck: new cards in book order (2.1.15, v1 and v2 schedulers)"""
    pack = ctx.pack("order")
    v1, _ = pack.build(T1)
    lock = pack.lock()
    book = ["threads/scope-cloze", "threads/scope-basic", "threads/spawn-code", "moves/move-basic",
            "moves/move-code", "zebra/stripes"]
    for scheduler in (1, 2):
        order = ctx.anki.study_order(v1, "Anki Pack", scheduler)
        notes = []
        for guid, _ord in order:
            if guid not in notes:
                notes.append(guid)
        expect(notes == [guid_of(lock, source) for source in book],
               "scheduler v%d: study order %s, expected book order %s" % (scheduler, order, book))
        # Today's deck (one subdeck per topic) comes in deck-name order: "Core::Moves" first.
        base = ctx.anki.study_order(os.path.join(FIXTURE, "upgrade", "anki-pack-base.apkg"),
                                    "Anki Pack", scheduler)
        expect(base[0][0] == guid_of(lock, "moves/move-basic"),
               "scheduler v%d: the old deck's order was not by deck name" % scheduler)


def scenario_two_packs(ctx):
    """imports two packs into one collection: each keeps its own note types"""
    a = ctx.pack("pack-a")
    b = ctx.pack("pack-b")
    b.edit("book.yaml", "slug: anki-pack", "slug: other-pack")
    b.edit("book.yaml", "deck: Anki Pack", "deck: Other Pack")
    va, _ = a.build(T1)
    vb, _ = b.build(T1)
    then = check(ctx.import_check, va, vb)
    expect_counts(then, 6, 0)
    col = ctx.anki.collection()
    try:
        ctx.anki.import_package(col, va)
        css_before = {m["id"]: m["css"] for m in col.models.all()}
        ctx.anki.import_package(col, vb)
        mids = col.db.list("select distinct mid from notes")
        expect(len(mids) == 6, "two packs share note types: %s" % mids)
        names = [col.models.get(mid)["name"] for mid in mids]
        expect(len(set(names)) == 6 and all("(" in n for n in names), "names: %s" % names)
        for mid, css in css_before.items():
            expect(col.models.get(mid)["css"] == css, "the second pack restyled the first")
    finally:
        col.close()


EXTRA = [scenario_study_order, scenario_two_packs]


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    prepkit = os.path.abspath(argv[1])
    wanted = set(argv[2:])
    import_check = find_import_check()
    lib = anki_lib_dir()
    if import_check is None or not os.path.isfile(os.path.join(lib, "anki", "__init__.py")):
        print("skipped: needs anki_import_check.py (ANKI_IMPORT_CHECK or ../shared/tools) and "
              "Anki 2.1.15's library (ANKI_LIB_DIR, default ~/.cache/anki-2.1.15); see tests/README.md")
        return SKIP
    failures = 0
    with tempfile.TemporaryDirectory(prefix="prepkit-anki-") as work:
        anki = Anki(lib, work)
        for scenario in SCENARIOS + EXTRA:
            name = scenario.__name__[len("scenario_"):]
            if wanted and name not in wanted:
                continue
            ctx = Context(prepkit, import_check, anki, os.path.join(work, name))
            os.makedirs(ctx.work)
            try:
                if scenario in EXTRA:
                    scenario(ctx)
                else:
                    run_scenario(ctx, scenario)
                print("ok   %-28s %s" % (name, scenario.__doc__.strip()))
            except Failure as failure:
                failures += 1
                print("FAIL %-28s %s\n     %s" % (name, scenario.__doc__.strip(), failure))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
