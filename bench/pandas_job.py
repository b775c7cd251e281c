#!/usr/bin/env python3
"""The target-industry job an analyst would write in pandas, for the sectorkit benchmark.

From a QCEW annual singlefile: the region's counties and US000; private ownership (own 5) at
NAICS 3-digit (agglvl 75 for counties, 15 for the nation) and the own-0 / industry-10 totals
(agglvl 70 / 10). Per industry: region employment, total wages, average annual pay and the
employment location quotient in the BLS file convention
    LQ = (E_region,i / E_region,total own 0) / (E_US,i / E_US,total own 0).
A region cell is unknown if any member county's row is suppressed (disclosure_code N), exactly as
sectorkit reports it without --estimates; a county without a row contributes 0.

Modes (each run is one process, timed from outside):
  full     read every column (codes as strings, the rest inferred), then filter and compute
  read     read every column only (the "read only" cost)
  usecols  read only the 7 needed columns with explicit dtypes, then filter and compute
"""

import argparse
import sys
import time

import pandas as pd

CODE_COLS = ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
             "disclosure_code", "lq_disclosure_code", "oty_disclosure_code"]
NEEDED = {"area_fips": "string", "own_code": "string", "industry_code": "string",
          "agglvl_code": "string", "disclosure_code": "string",
          "annual_avg_emplvl": "int64", "total_annual_wages": "int64"}


def compute(df, counties):
    areas = set(counties) | {"US000"}
    df = df[df["area_fips"].isin(areas)]
    county = df["area_fips"] != "US000"
    detail = df[(df["own_code"] == "5")
                & (((df["agglvl_code"] == "75") & county) | ((df["agglvl_code"] == "15") & ~county))]
    totals = df[(df["own_code"] == "0") & (df["industry_code"] == "10")
                & (((df["agglvl_code"] == "70") & county) | ((df["agglvl_code"] == "10") & ~county))]
    sup = detail["disclosure_code"].fillna("") == "N"
    reg = detail[detail["area_fips"] != "US000"].assign(n=sup)
    g = reg.groupby("industry_code").agg(
        employment=("annual_avg_emplvl", "sum"), total_wages=("total_annual_wages", "sum"),
        suppressed=("n", "sum"))
    nat = detail[detail["area_fips"] == "US000"].set_index("industry_code")
    nat_ok = nat["disclosure_code"].fillna("") != "N"
    reg_tot = totals.loc[totals["area_fips"] != "US000", "annual_avg_emplvl"].sum()
    us_tot = totals.loc[totals["area_fips"] == "US000", "annual_avg_emplvl"].sum()
    g["nation_employment"] = nat["annual_avg_emplvl"].where(nat_ok).reindex(g.index)
    known = g["suppressed"] == 0
    g["employment_disclosed"] = g["employment"]  # N rows carry 0: the sum of the published part
    g["employment"] = g["employment"].where(known)
    g["total_wages"] = g["total_wages"].where(known)
    g["avg_annual_pay"] = g["total_wages"] / g["employment"]
    g["lq_employment"] = (g["employment"] / reg_tot) / (g["nation_employment"] / us_tot)
    return g.reset_index()[["industry_code", "employment", "total_wages", "avg_annual_pay",
                            "lq_employment", "suppressed", "employment_disclosed"]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--region", required=True)
    ap.add_argument("--mode", choices=["full", "read", "usecols"], default="full")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    t0 = time.perf_counter()
    if a.mode == "usecols":
        df = pd.read_csv(a.file, usecols=list(NEEDED), dtype=NEEDED)
    else:
        df = pd.read_csv(a.file, dtype={c: "string" for c in CODE_COLS})
    t1 = time.perf_counter()
    print("pandas %s: read %d rows x %d cols in %.2f s" % (a.mode, len(df), df.shape[1], t1 - t0),
          file=sys.stderr)
    if a.mode == "read":
        return
    out = compute(df, a.region.split(","))
    t2 = time.perf_counter()
    print("pandas %s: computed %d industries in %.3f s" % (a.mode, len(out), t2 - t1),
          file=sys.stderr)
    out.to_csv(sys.stdout if a.out == "-" else a.out, index=False)


if __name__ == "__main__":
    main()
