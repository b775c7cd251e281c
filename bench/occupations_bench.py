#!/usr/bin/env python3
"""Driver of bench/occupations.sh (run it through that script). Prints a Markdown report."""
import glob, os, shutil, statistics, subprocess, sys, time

sk, repo = sys.argv[1], sys.argv[2]
runs, industry, period = int(os.environ["RUNS"]), os.environ["INDUSTRY"], os.environ["PERIOD"]
bench, shared = os.environ["BENCH_DIR"], os.environ["SHARED"]
region10 = "39041,39045,39049,39073,39089,39097,39117,39127,39129,39159"   # Columbus, OH MSA
region2 = "39049,39041"                                                    # Franklin + Delaware
demo = os.path.join(repo, "crates/sectorkit/demo-data")
qcew = [os.path.join(demo, f"qcew/qcew_2016_q1-q4_area_{c}.csv.gz") for c in region10.split(",")]
nat_industry = os.path.join(shared, "bls_oews_2025/oews_2025_national_industry.csv.gz")
occ = os.path.join(demo, "occupations")
env = {**os.environ, "SECTORKIT_LOG": "warn"}
env.pop("SECTORKIT_DATABASE_URL", None)


def sh(args, **kw):
    return subprocess.run(args, check=True, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def timed(args, n):
    xs = []
    for _ in range(n):
        t = time.perf_counter(); sh(args); xs.append(time.perf_counter() - t)
    return xs


ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms (min {min(xs) * 1000:.1f}, n={len(xs)})"
load = lambda: " ".join(open("/proc/loadavg").read().split()[:3])

# oews import of the national industry file (6.8 MB gz, 132,282 rows, 442 tables), fresh data dirs.
imp = []
for i in range(3):
    d = os.path.join(bench, f"import-{i}")
    shutil.rmtree(d, ignore_errors=True)
    t = time.perf_counter(); sh([sk, "--data-dir", d, "oews", "import", nat_industry]); imp.append(time.perf_counter() - t)
    shutil.rmtree(d, ignore_errors=True)

d = os.path.join(bench, "data")
shutil.rmtree(d, ignore_errors=True)
sh([sk, "--data-dir", d, "qcew", "import", *qcew])
sh([sk, "--data-dir", d, "oews", "import", nat_industry, os.path.join(occ, "oews_2025_national_cross_industry.csv.gz"),
    os.path.join(occ, "oews_2025_state_ohio.csv.gz"), os.path.join(occ, "oews_2025_msa_nonmetro_ohio.csv.gz")])
sh([sk, "--data-dir", d, "ep", "import", os.path.join(occ, "ep_2024-34_occupation.xlsx")])
sh([sk, "--data-dir", d, "onet", "import", os.path.join(occ, "onet27_job_zones.txt")])

base = [sk, "--data-dir", d, "occupations", "--industry", industry, "--period", period, "--format", "json"]
cases = [
    (f"10-county Columbus MSA (= OEWS area 0018140: BLS LQs), {industry}", [*base, "--region", region10]),
    (f"10-county MSA, {industry}, `--no-estimates`", [*base, "--region", region10, "--no-estimates"]),
    (f"Franklin + Delaware (not an OEWS area: computed LQs), {industry}", [*base, "--region", region2]),
    (f"Franklin + Delaware, {industry}, `--no-computed-lq`", [*base, "--region", region2, "--no-computed-lq"]),
]
rows = []
for name, args in cases:
    try:
        sh(args)  # warm-up (page cache, SQLite file)
    except subprocess.CalledProcessError as e:
        rows.append((name, f"not run: {e.stderr.strip().splitlines()[-1]}")); continue
    rows.append((name, ms(timed(args, runs))))
noop = timed([sk, "--version"], runs)

py = sys.executable
peer = [py, os.path.join(repo, "bench/occupations_peer.py"), industry, period[:4], period[-1], nat_industry, *qcew]
peer_out = sh(peer).stderr
peer_t = timed(peer, max(3, runs // 3))

print(f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}, load average {load()}, {os.cpu_count()} cores; "
      f"`{sk}`; QCEW {period}, industry {industry}.\n")
print("| what | median (min) |\n|---|---|")
for name, v in rows:
    print(f"| `sectorkit occupations`, {name}, whole process | {v} |")
print(f"| `sectorkit --version` (process start-up floor) | {ms(noop)} |")
print(f"| pandas peer (`bench/occupations_peer.py`), whole process from the files | {ms(peer_t)} |")
print(f"| `sectorkit oews import` national industry file (6.8 MB gz, 132,282 rows), fresh SQLite | {ms(imp)} |")
print("\npandas peer: " + " ".join(peer_out.split()))
