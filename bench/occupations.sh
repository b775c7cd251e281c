#!/usr/bin/env bash
# Benchmark of `sectorkit occupations` (see bench/OCCUPATIONS.md): the staffing pattern of a
# 4-digit industry for the ten-county Columbus, OH MSA, warm, from a release build, against a
# pandas peer doing the same join from the same files. Not a test: numbers vary with load.
#
#   bash bench/occupations.sh            # builds target/release/sectorkit first
#   SKIP_BUILD=1 RUNS=20 bash bench/occupations.sh
#
# Environment: SK (binary; default target/release/sectorkit), RUNS (default 15), INDUSTRY
# (default 6221), PERIOD (default 2016Q4), BENCH_DIR (default /tmp/sectorkit-occ-bench),
# SHARED (default ../shared/data beside the repository), VENV (default the venv of run.sh).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SK="${SK:-$REPO/target/release/sectorkit}"
export RUNS="${RUNS:-15}" INDUSTRY="${INDUSTRY:-6221}" PERIOD="${PERIOD:-2016Q4}"
export BENCH_DIR="${BENCH_DIR:-/tmp/sectorkit-occ-bench}"
export SHARED="${SHARED:-$(cd "$REPO/.." && pwd)/shared/data}"
VENV="${VENV:-/tmp/sectorkit-bench/venv}"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  (cd "$REPO" && cargo build --release -p sectorkit) >&2
fi
if ! "$VENV/bin/python" -c 'import pandas' >/dev/null 2>&1; then
  echo "creating venv $VENV with pandas" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet pandas
fi
mkdir -p "$BENCH_DIR"
exec "$VENV/bin/python" "$REPO/bench/occupations_bench.py" "$SK" "$REPO"
