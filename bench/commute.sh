#!/usr/bin/env bash
# Benchmark of `sectorkit commute` (labor shed of a region from a whole state's LODES OD files)
# against the same job in pandas (bench/commute_pandas.py). Not a test: it writes bench/COMMUTE.md.
#
#   bash bench/commute.sh
#
# Environment overrides:
#   RUNS        runs of each command, round-robin (default 7); the median is reported
#   BENCH_DIR   work/cache directory; the pandas venv is shared with bench/run.sh
#               (default /tmp/sectorkit-bench)
#   TARGET_DIR  cargo target dir (default: the workspace's own target/)
#   SKIP_BUILD  1 = use the existing release binary
#   LODES_DIR   folder with ri_od_main_JT00_2019.csv.gz, ri_od_aux_JT00_2019.csv.gz, ri_xwalk.csv.gz
#               (default ../shared/data/census_lodes7_ri_2019 beside the repository)
#   RESULTS     output markdown (default bench/COMMUTE.md)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/sectorkit-bench}"
TARGET_DIR="${TARGET_DIR:-$REPO/target}"
RUNS="${RUNS:-7}"
LODES_DIR="${LODES_DIR:-$REPO/../shared/data/census_lodes7_ri_2019}"
RESULTS="${RESULTS:-$REPO/bench/COMMUTE.md}"
REGION="44007"      # Providence County, RI
SK="$TARGET_DIR/release/sectorkit"
VENV="$BENCH_DIR/venv"
MAIN="$LODES_DIR/ri_od_main_JT00_2019.csv.gz"
AUX="$LODES_DIR/ri_od_aux_JT00_2019.csv.gz"
XWALK="$LODES_DIR/ri_xwalk.csv.gz"
OUT="$BENCH_DIR/commute-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }

for f in "$MAIN" "$AUX" "$XWALK"; do
  [[ -s "$f" ]] || { log "missing $f"; exit 1; }
done
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  log "GNU time missing: apt-get install -y time"
  apt-get install -y time >/dev/null
fi
if [[ "${SKIP_BUILD:-0}" == "1" && -x "$SK" ]]; then
  log "SKIP_BUILD=1: using $SK"
else
  log "building sectorkit (release, CARGO_TARGET_DIR=$TARGET_DIR)"
  (cd "$REPO" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release -p sectorkit) >"$OUT/build.log" 2>&1 \
    || { tail -n 30 "$OUT/build.log" >&2; log "FAILED: cargo build"; exit 1; }
fi
if ! "$VENV/bin/python" -c 'import pandas' >/dev/null 2>&1; then
  log "creating venv $VENV with pandas"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip >/dev/null
  "$VENV/bin/pip" install --quiet pandas
fi
PY="$VENV/bin/python"

# measure NAME CMD...: one run under GNU time; wall time in ns from `date +%s%N` around it (1 ms
# resolution) and peak RSS from GNU time, appended to times.tsv.
measure() {
  local name="$1"; shift
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$OUT/$name.rss" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" \
    || { log "FAILED: $name: $*"; tail -n 5 "$OUT/$name.err" >&2; exit 1; }
  t1=$(date +%s%N)
  printf '%s\t%s\t%s\n' "${name%_r*}" "$((t1 - t0))" "$(tail -n 1 "$OUT/$name.rss")" >> "$OUT/times.tsv"
}

cat "$MAIN" "$AUX" "$XWALK" > /dev/null   # page cache
: > "$OUT/times.tsv"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
SK_CMD=("$SK" commute --region "$REGION" --od "$MAIN" "$AUX" --xwalk "$XWALK" --format json)
PD_CMD=("$PY" "$REPO/bench/commute_pandas.py" --region "$REGION" "$MAIN" "$AUX")
for r in $(seq 1 "$RUNS"); do
  log "round $r of $RUNS"
  measure "sectorkit_r$r" "${SK_CMD[@]}"
  measure "pandas_r$r" "${PD_CMD[@]}"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# Both must give the same labor shed.
"$PY" - "$OUT/sectorkit_r1.out" "$OUT/pandas_r1.out" <<'PYEOF' | tee "$OUT/agreement.txt"
import csv, json, sys
sk = json.load(open(sys.argv[1]))["labor_shed"]
pd_rows = list(csv.DictReader(open(sys.argv[2])))
a = [(e["county"], e["jobs"]) for e in sk]
b = [(r["county"], int(r["jobs"])) for r in pd_rows]
if a != b:
    print("MISMATCH: labor sheds differ"); sys.exit(1)
worst = max(abs(e["share"] - float(r["share"])) for e, r in zip(sk, pd_rows))
print(f"labor sheds agree: {len(a)} counties, same jobs and order, shares within {worst:.1e}")
PYEOF

"$PY" - "$OUT/times.tsv" "$RESULTS" "$RUNS" "$LOAD_START" "$LOAD_END" "$(cat "$OUT/agreement.txt")" \
  "$("$SK" --version)" "$("$PY" -c 'import pandas, sys; print("pandas", pandas.__version__, "/ python", sys.version.split()[0])')" \
  "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
  "$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet -- crates || echo ' + uncommitted changes')" <<'PYEOF'
import statistics, sys, datetime
times, results, runs, load0, load1, agree, skv, pdv, nproc, cpu, git = sys.argv[1:]
rows = {}
for line in open(times):
    name, ns, rss = line.split("\t")
    rows.setdefault(name, []).append((int(ns) / 1e9, int(rss) / 1024))
def fmt(name):
    t = [x[0] for x in rows[name]]
    m = [x[1] for x in rows[name]]
    return f"| {name} | {statistics.median(t):.3f} | {min(t):.3f} | {max(t):.3f} | {max(m):.0f} |"
sk = statistics.median(x[0] for x in rows["sectorkit"])
pd = statistics.median(x[0] for x in rows["pandas"])
doc = f"""# `sectorkit commute` benchmark

Written by `bash bench/commute.sh` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}.

**Job**: the labor shed (and inflow/outflow, commute shed, segments, coverage) of Providence
County, RI (`44007`) from the whole Rhode Island 2019 LODES 7 OD files, JT00: `ri_od_main` (372,191
rows, 2.1 MB gzip) + `ri_od_aux` (69,355 rows, 0.5 MB gzip) = 441,546 block pairs, plus the
crosswalk (25,181 blocks) for sectorkit. Files in the page cache.

| command | median s | min s | max s | peak RSS MB |
|---|---:|---:|---:|---:|
{fmt("sectorkit")}
{fmt("pandas")}

Whole process each time (start-up, decompression, parsing, aggregation, output), wall clock from
`date +%s%N` around the command, {runs} runs of each, round-robin; peak RSS from GNU `time`.

- **sectorkit**: `sectorkit commute --region 44007 --od ri_od_main_JT00_2019.csv.gz ri_od_aux_JT00_2019.csv.gz --xwalk ri_xwalk.csv.gz --format json`
  (release build; validates every row: state, segment sums; SHA-256 of each file; reads the two OD
  files on two threads).
- **pandas**: `bench/commute_pandas.py --region 44007 <main> <aux>` (`usecols` of the three
  needed columns, geocodes as `str`, groupby to county pairs; no validation, no crosswalk).
- Agreement: {agree}
- Target ≤ 2 s: **{"met" if sk <= 2.0 else "NOT met"}** (median {sk:.3f} s; pandas {pd:.3f} s, ratio {pd / sk:.1f}×).

Machine: {nproc} cores ({cpu}), shared with other builds; load average before {load0}, after
{load1}. {skv}, {pdv}; commit {git}.
"""
open(results, "w").write(doc)
print(doc)
PYEOF
log "wrote $RESULTS (raw files in $OUT)"
