#!/usr/bin/env bash
# National-scale benchmark of sectorkit against pandas and polars (see bench/README.md).
#
#   bash bench/run.sh
#
# Environment overrides:
#   BENCH_DIR   work/cache directory            (default /tmp/sectorkit-bench)
#   TARGET_DIR  cargo target dir for this bench (default /tmp/target-bench)
#   SCALE       generator --scale (1 = national; e.g. 0.02 for a quick smoke run)
#   WARM_RUNS   repetitions of the warm table query (default 10)
#   REPEATS     rounds of the import / from-file / pandas / polars measurements (default 3)
#   SKIP_BUILD  1 = use the existing release binary in TARGET_DIR (when the tree does not build)
#   RESULTS     output markdown (default bench/RESULTS.md; a SCALE<1 run writes
#               $BENCH_DIR/RESULTS-scale-$SCALE.md instead, so the real results are not replaced)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/sectorkit-bench}"
TARGET_DIR="${TARGET_DIR:-/tmp/target-bench}"
SCALE="${SCALE:-1}"
WARM_RUNS="${WARM_RUNS:-10}"
REPEATS="${REPEATS:-3}"
YEAR=2023
REGION="39041,39045,39049,39073,39089,39097,39117,39127,39129,39159"   # Columbus, OH MSA
if [[ "$SCALE" == "1" ]]; then
  FILE="$BENCH_DIR/$YEAR.annual.singlefile.csv"
  RESULTS="${RESULTS:-$REPO/bench/RESULTS.md}"
else
  FILE="$BENCH_DIR/$YEAR.annual.singlefile.scale-$SCALE.csv"
  RESULTS="${RESULTS:-$BENCH_DIR/RESULTS-scale-$SCALE.md}"
fi
SK="$TARGET_DIR/release/sectorkit"
VENV="$BENCH_DIR/venv"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$BENCH_DIR/run-$STAMP"
mkdir -p "$OUT"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }

# ---- tools ----------------------------------------------------------------------------------------
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
  log "GNU time missing: apt-get install -y time"
  apt-get install -y time >/dev/null
fi

if [[ "${SKIP_BUILD:-0}" == "1" && -x "$SK" ]]; then
  log "SKIP_BUILD=1: using the existing $SK (built $(date -r "$SK" '+%Y-%m-%d %H:%M:%S'))"
else
  log "building sectorkit (release, CARGO_TARGET_DIR=$TARGET_DIR)"
  if ! (cd "$REPO" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release -p sectorkit) >"$OUT/build.log" 2>&1; then
    tail -n 30 "$OUT/build.log" >&2
    log "FAILED: cargo build (full log: $OUT/build.log)"
    exit 1
  fi
  tail -n 1 "$OUT/build.log" | tee -a "$OUT/run.log" >&2
fi

GEN_SECONDS=""
if [[ ! -s "$FILE" ]]; then
  log "generating $FILE (scale $SCALE)"
  t0=$(date +%s.%N)
  python3 "$REPO/bench/gen_singlefile.py" --out "$FILE.tmp" --year "$YEAR" --scale "$SCALE" 2>"$OUT/generator.log"
  mv "$FILE.tmp" "$FILE"
  GEN_SECONDS=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) - float(sys.argv[2])))" "$(date +%s.%N)" "$t0")
  cp "$OUT/generator.log" "$FILE.generator.log"
else
  log "using cached $FILE"
fi
[[ -f "$FILE.generator.log" ]] && cp "$FILE.generator.log" "$OUT/generator.log"

if ! "$VENV/bin/python" -c 'import pandas, polars' >/dev/null 2>&1; then
  log "creating venv $VENV with pandas and polars"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip >/dev/null
  "$VENV/bin/pip" install --quiet pandas polars
fi
PY="$VENV/bin/python"

# ---- measurement ----------------------------------------------------------------------------------
# measure NAME CMD...: runs CMD once under GNU time; stdout -> NAME.out, stderr -> NAME.err;
# appends "NAME wall_s maxrss_kb user_s sys_s exit load1_before wall_ns" to measurements.tsv
# (wall_s and the RSS from GNU time; wall_ns from `date +%s%N` around it, for 1 ms resolution).
FAILED=0
measure() {
  local name="$1"; shift
  printf '%s\t%s\n' "$name" "$*" >> "$OUT/commands.tsv"
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local rc=0 t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%e %M %U %S' -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || rc=$?
  t1=$(date +%s%N)
  local t; t=$(tail -n 1 "$OUT/$name.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" $t "$rc" "$load" "$((t1 - t0))" >> "$OUT/measurements.tsv"
  if [[ $rc -ne 0 ]]; then
    FAILED=1
    log "FAILED ($rc): $name: $*"
    sed 's/^/    /' "$OUT/$name.err" | tail -n 5 >&2
  else
    log "$name: $(echo $t | awk '{printf "%.3f s, %.0f MB peak RSS", $1, $2/1024}')"
  fi
}

printf 'name\twall_s\tmaxrss_kb\tuser_s\tsys_s\texit\tload1_before\twall_ns\n' > "$OUT/measurements.tsv"
: > "$OUT/commands.tsv"

# Every tool reads the CSV from the page cache: read it once first so nobody pays the disk.
cat "$FILE" > /dev/null
LOAD_START=$(cat /proc/loadavg)

# a, b, d, e run REPEATS rounds, round-robin (so that a burst of background load hits every tool
# alike); c runs WARM_RUNS times against the database of the last import.
DATA="$BENCH_DIR/data-import"
for r in $(seq 1 "$REPEATS"); do
  log "round $r of $REPEATS"
  # a. ingest into SQLite (fresh data dir)
  rm -rf "$DATA"; mkdir -p "$DATA"
  measure "sk_import_r$r" "$SK" --data-dir "$DATA" qcew import "$FILE"
  # b. compute straight from the file
  measure "sk_file_r$r" "$SK" targets --files "$FILE" --region "$REGION" --period "$YEAR" --format csv
  # d. pandas
  measure "pandas_read_r$r"    "$PY" "$REPO/bench/pandas_job.py" --file "$FILE" --region "$REGION" --mode read
  measure "pandas_full_r$r"    "$PY" "$REPO/bench/pandas_job.py" --file "$FILE" --region "$REGION" --mode full
  measure "pandas_usecols_r$r" "$PY" "$REPO/bench/pandas_job.py" --file "$FILE" --region "$REGION" --mode usecols
  # e. polars
  measure "polars_read_r$r"     "$PY" "$REPO/bench/polars_job.py" --file "$FILE" --region "$REGION" --mode read
  measure "polars_read_csv_r$r" "$PY" "$REPO/bench/polars_job.py" --file "$FILE" --region "$REGION" --mode read_csv
  measure "polars_scan_r$r"     "$PY" "$REPO/bench/polars_job.py" --file "$FILE" --region "$REGION" --mode scan
done
DB_BYTES=$(du -sb "$DATA" | cut -f1)

# c. warm table from the database, WARM_RUNS times
log "c. sectorkit targets from the database x$WARM_RUNS"
for i in $(seq 1 "$WARM_RUNS"); do
  measure "sk_db_$i" "$SK" --data-dir "$DATA" targets --region "$REGION" --period "$YEAR" --format csv
done
# Diagnostics for the warm-table time (not goals): bare process start-up, and start-up + opening
# the database + checking migrations + one tiny query.
measure diag_version "$SK" --version
measure diag_datasets "$SK" --data-dir "$DATA" qcew datasets
LOAD_END=$(cat /proc/loadavg)

# ---- agreement ------------------------------------------------------------------------------------
log "checking that the outputs agree"
CHECK=0
{
  python3 "$REPO/bench/compare_outputs.py" "$OUT/sk_file_r1.out" \
    "$OUT/pandas_full_r1.out" "$OUT/pandas_usecols_r1.out" "$OUT/polars_read_csv_r1.out" "$OUT/polars_scan_r1.out" || CHECK=1
  if cmp -s "$OUT/sk_file_r1.out" "$OUT/sk_db_1.out"; then
    echo "sectorkit from file and from the database: identical CSV ($(($(wc -l < "$OUT/sk_file_r1.out") - 1)) rows)"
  else
    echo "MISMATCH: sectorkit from file and from the database differ"; CHECK=1
  fi
  # A second, single-county region (more disclosed cells): sectorkit from the DB vs polars scan.
  "$SK" --data-dir "$DATA" targets --region 39049 --period "$YEAR" --format csv > "$OUT/sk_db_39049.csv" || CHECK=1
  "$PY" "$REPO/bench/polars_job.py" --file "$FILE" --region 39049 --mode scan --out "$OUT/polars_scan_39049.csv" 2>/dev/null || CHECK=1
  python3 "$REPO/bench/compare_outputs.py" "$OUT/sk_db_39049.csv" "$OUT/polars_scan_39049.csv" || CHECK=1
} 2>&1 | tee "$OUT/agreement.txt"
grep -q '^FAIL\|^MISMATCH' "$OUT/agreement.txt" && CHECK=1
[[ -s "$OUT/sk_file_r1.out" ]] || CHECK=1

# ---- metadata and report --------------------------------------------------------------------------
{
  echo "date_utc=$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "mem=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "rustc=$(rustc --version)"
  echo "sectorkit=$("$SK" --version)"
  echo "git=$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet -- crates || echo ' (crates/ has uncommitted changes)')"
  echo "python=$("$PY" -c 'import sys; print(sys.version.split()[0])')"
  echo "pandas=$("$PY" -c 'import pandas; print(pandas.__version__)')"
  echo "polars=$("$PY" -c 'import polars; print(polars.__version__)')"
  echo "numpy=$("$PY" -c 'import numpy; print(numpy.__version__)')"
  echo "pyarrow=$("$PY" -c 'import pyarrow; print(pyarrow.__version__)' 2>/dev/null || echo 'not installed')"
  echo "file=$FILE"
  echo "file_bytes=$(stat -c %s "$FILE")"
  echo "file_rows=$(($(wc -l < "$FILE") - 1))"
  echo "db_bytes=$DB_BYTES"
  echo "scale=$SCALE"
  echo "region=$REGION"
  echo "warm_runs=$WARM_RUNS"
  echo "repeats=$REPEATS"
  echo "gen_seconds=$GEN_SECONDS"
  echo "load_start=$LOAD_START"
  echo "load_end=$LOAD_END"
  echo "agreement_ok=$((1 - CHECK))"
  echo "commands_failed=$FAILED"
} > "$OUT/meta.env"
python3 "$REPO/bench/report.py" "$OUT" "$RESULTS"
log "wrote $RESULTS (raw files in $OUT)"

if [[ $FAILED -ne 0 || $CHECK -ne 0 ]]; then
  log "FAILED: a command failed or the outputs disagree (see $OUT)"
  exit 1
fi
