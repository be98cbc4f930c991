#!/usr/bin/env bash
# The prepkit benchmark (not part of the test suite): builds prepkit in Release, generates
# synthetic packs of 1,000 and 10,000 cards, builds them and the default content several
# times, and prints a Markdown table of median wall time, CPU time, peak memory and the
# per-stage breakdown of `prepkit build --timings`, plus no-change rebuilds and, once each,
# the same corpus through the peers: pandoc + pdflatex when installed, and Typst (the npm
# package in tests/bench/typst, installed by --install-typst) when node has it.
#
#   tests/bench/run.sh [--runs N] [--build DIR | --prepkit FILE] [--work DIR]
#                      [--no-pandoc] [--no-typst] [--install-typst]
#
# --prepkit uses a built binary instead of building Release in DIR. Needs python3,
# /usr/bin/time (package `time`); uses hyperfine when installed, pdfinfo for peer pages.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
runs=10
build="$root/build-release"
work="${TMPDIR:-/tmp}/prepkit-bench"
pandoc=auto
typst=auto
prepkit=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --prepkit) prepkit=$2; shift 2 ;;
    --no-pandoc) pandoc=no; shift ;;
    --no-typst) typst=no; shift ;;
    --install-typst) typst=install; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 3; }

log() { echo "bench: $*" >&2; }
now=1767225600  # fixed --now: identical bytes on every run

if [ -n "$prepkit" ]; then
  [ -x "$prepkit" ] || { echo "run.sh: --prepkit $prepkit is not an executable" >&2; exit 2; }
  prepkit=$(cd "$(dirname "$prepkit")" && pwd)/$(basename "$prepkit")
else
  log "building Release in $build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$build" --target prepkit >/dev/null
  prepkit="$build/prepkit"
fi

typst_dir="$root/tests/bench/typst"
if [ "$typst" = install ]; then
  command -v npm >/dev/null || { echo "run.sh: --install-typst needs node and npm" >&2; exit 3; }
  log "installing the Typst compiler (npm ci in $typst_dir)"
  npm ci --prefix "$typst_dir" --no-audit --no-fund >&2
fi

rm -rf "$work"
mkdir -p "$work/results"
results="$work/results"

log "preparing corpora in $work"
mkdir -p "$work/default"
cp -r "$root/content" "$root/layouts" "$work/default/"
rm -f "$work/default/content/anki.lock"
for cards in 1000 10000; do
  python3 "$root/tests/bench/generate_pack.py" --cards "$cards" --seed 1 --out "$work/pack$cards" \
    --markdown "$work/pack$cards/booklet.md" >/dev/null
done
corpora=(default pack1000 pack10000)

# One timed build: appends "wall cpu peak_kb" to $results/<name>.<kind> and keeps its
# --timings lines in $results/<name>.<kind>.timings.
timed_build() {
  local name=$1 kind=$2
  shift 2
  local dir="$work/$name" start end
  start=$EPOCHREALTIME
  /usr/bin/time -f "%U %S %M" -o "$results/time.tmp" \
    "$prepkit" build --content "$dir/content" --out "$dir/out" --now "$now" --timings "$@" \
    >"$results/stdout.tmp" 2>"$results/stderr.tmp"
  end=$EPOCHREALTIME
  read -r user sys peak <"$results/time.tmp"
  echo "$start $end $user $sys $peak" | awk '{printf "%.4f %.2f %d\n", $2-$1, $3+$4, $5}' \
    >>"$results/$name.$kind"
  grep '^timing:' "$results/stderr.tmp" >>"$results/$name.$kind.timings" || true
  cp "$results/stdout.tmp" "$results/$name.$kind.stdout"
}

# Size, time and content of every output and the lock, to prove a rebuild touched nothing.
fingerprint() {
  local dir="$work/$1"
  (cd "$dir" && stat -c '%n %s %.9Y' out/* content/anki.lock && sha256sum out/* content/anki.lock)
}

for name in "${corpora[@]}"; do
  dir="$work/$name"
  log "$name: first build"
  "$prepkit" build --content "$dir/content" --out "$dir/out" --now "$now" >"$results/$name.first"

  log "$name: $runs full builds (empty out/ each time)"
  for ((i = 0; i < runs; i++)); do
    rm -rf "$dir/out"
    timed_build "$name" full
  done
  for ((i = 0; i < runs; i++)); do
    rm -rf "$dir/out"  # out/.prepkit-build would make every run after the first a no-op
    timed_build "$name" deck --only apkg
  done
  if command -v hyperfine >/dev/null; then
    hyperfine -N --style none --warmup 1 --runs "$runs" --prepare "rm -rf $dir/out" \
      --export-json "$results/$name.full.json" \
      "$prepkit build -q --content $dir/content --out $dir/out --now $now" >/dev/null
  fi

  log "$name: $runs no-change rebuilds"
  "$prepkit" build -q --content "$dir/content" --out "$dir/out" --now "$now"
  fingerprint "$name" >"$results/$name.before"
  sleep 0.05  # a rewrite would now show a later modification time
  for ((i = 0; i < runs; i++)); do
    timed_build "$name" rebuild
  done
  if command -v hyperfine >/dev/null; then
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$results/$name.rebuild.json" \
      "$prepkit build -q --content $dir/content --out $dir/out --now $now" >/dev/null
  fi
  fingerprint "$name" >"$results/$name.after"
  if cmp -s "$results/$name.before" "$results/$name.after"; then
    echo 0 >"$results/$name.rewritten"
  else
    diff "$results/$name.before" "$results/$name.after" | grep -c '^>' >"$results/$name.rewritten" || true
  fi
done

# One timed run of a peer on the 1,000- and 10,000-card corpora: writes
# "wall cpu peak_kb pages" to $results/<name>.<peer>. In the command, @DIR@ stands for
# the corpus folder.
peer_run() {
  local peer=$1 label=$2 pdf=$3 name dir start end pages
  shift 3
  for name in pack1000 pack10000; do
    log "$name: $label (once)"
    dir="$work/$name"
    start=$EPOCHREALTIME
    if /usr/bin/time -f "%U %S %M" -o "$results/time.tmp" "${@//@DIR@/$dir}" \
      >/dev/null 2>"$results/$name.$peer.log"; then
      end=$EPOCHREALTIME
      read -r user sys peak <"$results/time.tmp"
      pages=$( (pdfinfo "$dir/$pdf" 2>/dev/null || true) | awk '/^Pages:/ {print $2}')
      echo "$start $end $user $sys $peak ${pages:-?}" |
        awk '{printf "%.4f %.2f %d %s\n", $2-$1, $3+$4, $5, $6}' >"$results/$name.$peer"
    else
      log "$name: $label failed (see $results/$name.$peer.log)"
    fi
  done
}

if [ "$pandoc" = auto ] && command -v pandoc >/dev/null && command -v pdflatex >/dev/null; then
  peer_run pandoc "pandoc + pdflatex" pandoc.pdf \
    pandoc @DIR@/booklet.md --pdf-engine=pdflatex --toc -o @DIR@/pandoc.pdf
else
  log "pandoc + pdflatex not installed (or --no-pandoc): comparison skipped"
fi

if [ "$typst" = no ]; then
  log "--no-typst: Typst comparison skipped"
elif ! command -v node >/dev/null || [ ! -d "$typst_dir/node_modules/@myriaddreamin/typst-ts-node-compiler" ]; then
  log "Typst comparison skipped: node or the npm package is missing (run with --install-typst, or npm ci --prefix tests/bench/typst)"
else
  # The conversion to Typst markup is not timed: pandoc's time includes reading Markdown,
  # Typst's includes only compiling its own markup.
  for name in pack1000 pack10000; do
    python3 "$root/tests/bench/markdown_to_typst.py" "$work/$name/booklet.md" "$work/$name/booklet.typ"
  done
  peer_run typst "Typst" typst.pdf \
    node "$typst_dir/compile.js" @DIR@/booklet.typ @DIR@/typst.pdf
fi

# Pages only: the same corpora on pandoc's page (its text block and type size), to tell the
# paper the layout wastes from the paper a 60-75 character line costs.
for name in pack1000 pack10000; do
  log "$name: prepkit on pandoc's page (once)"
  dir="$work/$name"
  "$prepkit" build -q --content "$dir/content" --out "$dir/out-pandoc-page" --now "$now" \
    --only pdf --layout "$root/tests/bench/pandoc-page.yaml"
  pdfinfo "$dir"/out-pandoc-page/*.pdf | awk '/^Pages:/ {print $2}' >"$results/$name.pandoc-page"
done

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" "$runs" "$machine" "${corpora[@]}" <<'PY'
import json, os, re, statistics, sys, datetime

results, runs, machine, corpora = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
labels = {"default": "default content", "pack1000": "1,000 cards", "pack10000": "10,000 cards"}

def rows(name, kind):
    with open(os.path.join(results, f"{name}.{kind}")) as f:
        return [tuple(float(x) for x in line.split()[:3]) for line in f if line.strip()]

def wall(name, kind):
    path = os.path.join(results, f"{name}.{kind}.json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)["results"][0]["median"]
    return statistics.median(r[0] for r in rows(name, kind))

def stages(name, kind, column=2):
    """Median per stage of the --timings lines: column 1 = wall ms, 2 = CPU ms."""
    per = {}
    with open(os.path.join(results, f"{name}.{kind}.timings")) as f:
        for line in f:
            m = re.match(r"timing: (\S+) ([0-9.]+) ms \(cpu ([0-9.]+) ms\)", line)
            if m:
                per.setdefault(m.group(1), []).append(float(m.group(1 + column)))
    return {k: statistics.median(v) for k, v in per.items()}

def summary(name):
    with open(os.path.join(results, f"{name}.full.stdout")) as f:
        text = f.read()
    pages = re.search(r"\.pdf: (\d+) pages", text)
    notes = re.search(r"\.apkg: (\d+) notes, (\d+) cards", text)
    return (pages.group(1) if pages else "?", notes.group(1) if notes else "?",
            notes.group(2) if notes else "?")

def peak_rss(rows_of_run):
    values = [r[2] / 1024 for r in rows_of_run]
    return f"{statistics.median(values):.0f} MiB ({max(values):.0f})"

def secs(x):
    return f"{x:.3f} s"

def deck_cpu(name, kind):
    """CPU time of the deck stage, median of the runs."""
    st = stages(name, kind)
    return secs(st.get("deck", 0) / 1000)

print(f"Benchmark of {datetime.date.today().isoformat()}, {machine}; Release build; "
      f"median of {runs} runs (wall: hyperfine when installed); peak RSS: median (highest) of the runs, "
      f"in MiB.\n")
print("| build | notes / cards | pages | wall | CPU (user+sys) | peak RSS | deck alone* |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name in corpora:
    full = rows(name, "full")
    pages, notes, cards = summary(name)
    print(f"| {labels[name]} | {notes} / {cards} | {pages} | {secs(wall(name, 'full'))} | "
          f"{secs(statistics.median(r[1] for r in full))} | "
          f"{peak_rss(full)} | {deck_cpu(name, 'deck')} |")
for name in corpora:
    rebuild = rows(name, "rebuild")
    with open(os.path.join(results, f"{name}.rewritten")) as f:
        rewritten = f.read().strip()
    print(f"| {labels[name]}, nothing changed | | | {secs(wall(name, 'rebuild'))} | "
          f"{secs(statistics.median(r[1] for r in rebuild))} | "
          f"{peak_rss(rebuild)} | files rewritten: {rewritten} |")
if "pack1000" in corpora and "pack10000" in corpora:
    ratio = wall("pack10000", "full") / wall("pack1000", "full")
    cpu_ratio = (statistics.median(r[1] for r in rows("pack10000", "full")) /
                 statistics.median(r[1] for r in rows("pack1000", "full")))
    print(f"\nScaling: the 10,000-card build takes {ratio:.1f}x the wall time and "
          f"{cpu_ratio:.1f}x the CPU time of the 1,000-card build.")
print("\n\\* deck alone: CPU time of the deck stage of `prepkit build --only apkg`, "
      "where the deck is built with nothing beside it (the booklet is not laid out). The "
      "whole `--only apkg` build takes "
      + ", ".join(f"{secs(statistics.median(r[0] for r in rows(n, 'deck')))} ({labels[n]})"
                  for n in corpora)
      + ". In the full build, where the deck shares the two cores with the PDF, the same "
      "stages take " + ", ".join(f"{deck_cpu(n, 'full')} ({labels[n]})" for n in corpora)
      + ".\n")

order = ["up-to-date-check", "load", "validate", "layout", "pdf", "deck", "print", "write",
         "record"]
all_stages = {name: stages(name, "full") for name in corpora}
wall_total = {name: stages(name, "full", 1).get("total", 0) for name in corpora}
names = [s for s in order if any(s in v for v in all_stages.values())]
names += sorted({s for v in all_stages.values() for s in v} - set(names) - {"total"})
print("| stage (median CPU ms, full build) | " + " | ".join(labels[n] for n in corpora) + " |")
print("| --- |" + " --- |" * len(corpora))
for s in names + ["total"]:
    cells = [f"{all_stages[n][s]:.1f}" if s in all_stages[n] else "–" for n in corpora]
    label = "total CPU (all threads)" if s == "total" else s
    print(f"| {label} | " + " | ".join(cells) + " |")
print("| total wall (in-process) | " + " | ".join(f"{wall_total[n]:.1f}" for n in corpora) + " |")

peers = {"pandoc": "pandoc + pdflatex", "typst": "Typst (typst-ts-node-compiler)"}
compared = [n for n in corpora
            if any(os.path.exists(os.path.join(results, f"{n}.{p}")) for p in peers)]
if compared:
    # On a shared machine the wall times swing with the load; the CPU ratio swings less.
    print("\n| same corpus, booklet only | pages | wall | CPU | peak RSS | prepkit ahead (wall, CPU) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in compared:
        full = rows(name, "full")
        prepkit_wall = wall(name, "full")
        prepkit_cpu = statistics.median(r[1] for r in full)
        for peer, label in peers.items():
            path = os.path.join(results, f"{name}.{peer}")
            if not os.path.exists(path):
                continue
            with open(path) as f:
                w, cpu, peak, pages = f.read().split()
            print(f"| {label}, {labels[name]} | {pages} | {float(w):.1f} s | "
                  f"{float(cpu):.1f} s | {int(peak) / 1024:.0f} MiB | "
                  f"{float(w) / prepkit_wall:.1f}x, {float(cpu) / prepkit_cpu:.1f}x |")
        print(f"| prepkit (booklet and deck), {labels[name]} | {summary(name)[0]} | "
              f"{secs(prepkit_wall)} | {secs(prepkit_cpu)} | "
              f"{peak_rss(full)} | |")
        path = os.path.join(results, f"{name}.pandoc-page")
        if os.path.exists(path):
            with open(path) as f:
                print(f"| prepkit on pandoc's page (tests/bench/pandoc-page.yaml), {labels[name]} "
                      f"| {f.read().strip()} | | | | |")
PY
