#!/usr/bin/env python3
"""The target-industry job in polars, for the sectorkit benchmark (same job as pandas_job.py).

Modes (each run is one process, timed from outside):
  read_csv  pl.read_csv of every column (codes as strings, the rest inferred), then the job
  read      pl.read_csv of every column only
  scan      pl.scan_csv(...).filter(...).collect(): lazy, reads only the needed columns and
            filters while parsing (the fairest polars)
"""

import argparse
import sys
import time

import polars as pl

CODE_COLS = ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
             "disclosure_code", "lq_disclosure_code", "oty_disclosure_code"]
NEEDED = ["area_fips", "own_code", "industry_code", "agglvl_code", "disclosure_code",
          "annual_avg_emplvl", "total_annual_wages"]


def row_filter(counties):
    c = pl.col
    county = c("area_fips").is_in(counties)
    nation = c("area_fips") == "US000"
    detail = (c("own_code") == "5") & ((county & (c("agglvl_code") == "75"))
                                       | (nation & (c("agglvl_code") == "15")))
    total = (c("own_code") == "0") & (c("industry_code") == "10") & (
        (county & (c("agglvl_code") == "70")) | (nation & (c("agglvl_code") == "10")))
    return detail | total


def compute(df):
    """df: the filtered rows (NEEDED columns at least)."""
    c = pl.col
    df = df.with_columns(c("disclosure_code").fill_null("") == "N").rename({"disclosure_code": "sup"})
    totals = df.filter(c("industry_code") == "10")
    detail = df.filter(c("industry_code") != "10")
    reg_tot = totals.filter(c("area_fips") != "US000")["annual_avg_emplvl"].sum()
    us_tot = totals.filter(c("area_fips") == "US000")["annual_avg_emplvl"].sum()
    nat = detail.filter(c("area_fips") == "US000").select(
        "industry_code",
        pl.when(~c("sup")).then(c("annual_avg_emplvl")).otherwise(None).alias("nation_employment"))
    g = (detail.filter(c("area_fips") != "US000")
         .group_by("industry_code")
         .agg(c("annual_avg_emplvl").sum().alias("employment"),
              c("total_annual_wages").sum().alias("total_wages"),
              c("sup").sum().alias("suppressed"))
         .join(nat, on="industry_code", how="left")
         .with_columns(c("employment").alias("employment_disclosed"))  # N rows carry 0
         .with_columns(pl.when(c("suppressed") == 0).then(c("employment")).alias("employment"),
                       pl.when(c("suppressed") == 0).then(c("total_wages")).alias("total_wages"))
         .with_columns((c("total_wages") / c("employment")).alias("avg_annual_pay"),
                       ((c("employment") / reg_tot) / (c("nation_employment") / us_tot))
                       .alias("lq_employment"))
         .sort("industry_code"))
    return g.select("industry_code", "employment", "total_wages", "avg_annual_pay",
                    "lq_employment", "suppressed", "employment_disclosed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--region", required=True)
    ap.add_argument("--mode", choices=["read_csv", "read", "scan"], default="read_csv")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    counties = a.region.split(",")
    overrides = {k: pl.String for k in CODE_COLS}
    t0 = time.perf_counter()
    if a.mode == "scan":
        df = (pl.scan_csv(a.file, schema_overrides=overrides)
              .select(NEEDED).filter(row_filter(counties)).collect())
        t1 = time.perf_counter()
        print("polars scan: %d matching rows in %.2f s" % (df.height, t1 - t0), file=sys.stderr)
    else:
        df = pl.read_csv(a.file, schema_overrides=overrides)
        t1 = time.perf_counter()
        print("polars %s: read %d rows x %d cols in %.2f s" % (a.mode, df.height, df.width, t1 - t0),
              file=sys.stderr)
        if a.mode == "read":
            return
        df = df.filter(row_filter(counties))
    out = compute(df)
    t2 = time.perf_counter()
    print("polars %s: computed %d industries in %.3f s" % (a.mode, out.height, t2 - t1),
          file=sys.stderr)
    if a.out == "-":
        sys.stdout.write(out.write_csv())
    else:
        out.write_csv(a.out)


if __name__ == "__main__":
    main()
