#!/usr/bin/env python3
"""Cuts the compact occupation demo slices in crates/sectorkit/demo-data/occupations/ from the
project's shared real data (see that folder's SOURCE.md). Standard library only; deterministic
output (gzip mtime 0), so re-running it gives byte-identical files.

    python3 scripts/make_demo_occupations.py [/work/shared/data]
"""
import csv
import gzip
import io
import shutil
import sys
from pathlib import Path

SHARED = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
OEWS = SHARED / "bls_oews_2025"
OUT = Path(__file__).resolve().parent.parent / "crates/sectorkit/demo-data/occupations"

# What the staffing pattern and the titles need from the national industry file (the reader is
# header-driven: absent measure columns read as blank). tot_emp_fn types a "-" employment.
INDUSTRY_COLUMNS = [
    "area_code", "area_type", "prim_state_fips", "area_title",
    "industry_code", "industry_title", "industry_display_level",
    "occ_code", "occ_title", "occ_display_level", "tot_emp", "tot_emp_fn",
]


def write_gz(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    with open(path, "wb") as raw:
        # mtime=0 and no file name: reproducible bytes.
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
            gz.write(buf.getvalue().encode("utf-8"))


def cut(src, dst, keep_row=lambda r: True, columns=None):
    with gzip.open(src, "rt", newline="", encoding="utf-8") as f:
        rdr = csv.reader(f)
        header = next(rdr)
        idx = [header.index(c) for c in columns] if columns else list(range(len(header)))
        ix = {c: i for i, c in enumerate(header)}
        rows = [[r[i] for i in idx] for r in rdr if keep_row(lambda c: r[ix[c]])]
    write_gz(dst, [header[i] for i in idx], rows)
    return len(rows)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    ohio = lambda get: get("prim_state_fips") == "39"
    n = {}
    n["national_industry"] = cut(
        OEWS / "oews_2025_national_industry.csv.gz",
        OUT / "oews_2025_national_industry_staffing.csv.gz",
        columns=INDUSTRY_COLUMNS,
    )
    n["national_cross_industry"] = cut(
        OEWS / "oews_2025_national_cross_industry.csv.gz",
        OUT / "oews_2025_national_cross_industry.csv.gz",
    )
    n["state"] = cut(OEWS / "oews_2025_state.csv.gz", OUT / "oews_2025_state_ohio.csv.gz", ohio)
    n["msa_nonmetro"] = cut(
        OEWS / "oews_2025_msa_nonmetro.csv.gz", OUT / "oews_2025_msa_nonmetro_ohio.csv.gz", ohio
    )
    shutil.copyfile(SHARED / "bls_ep_2024_34/ep_2024-34_occupation.xlsx", OUT / "ep_2024-34_occupation.xlsx")
    shutil.copyfile(SHARED / "onet_27_0/onet27_job_zones.txt", OUT / "onet27_job_zones.txt")
    for k, v in n.items():
        print(f"{k}: {v} rows")


if __name__ == "__main__":
    main()
