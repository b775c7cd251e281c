#!/usr/bin/env python3
"""The peer of `sectorkit occupations` for bench/occupations.sh: the same join of national
staffing shares x regional employment, in pandas, from the same input files.

  national shares  = OEWS national industry file, one industry, detailed occupations
                     (occ_display_level 3), tot_emp / the industry's 00-0000 total
  regional jobs    = QCEW county files, private (own_code 5), the industry, one quarter,
                     month-3 employment summed over the counties (disclosed cells only)
  occupation jobs  = share x regional jobs, largest first; the unallocated rest is kept

Usage: occupations_peer.py NAICS4 YEAR QTR OEWS_NATIONAL_INDUSTRY QCEW_FILE... [--out CSV]
Prints the whole-process-internal timings (read OEWS, read QCEW, join) on stderr.
"""
import sys, time

t0 = time.perf_counter()
import pandas as pd

args = sys.argv[1:]
out = None
if "--out" in args:
    i = args.index("--out"); out = args[i + 1]; del args[i:i + 2]
naics, year, qtr, oews_file, qcew_files = args[0], int(args[1]), int(args[2]), args[3], args[4:]
t_import = time.perf_counter()

oews_code = naics.ljust(6, "0")
o = pd.read_csv(oews_file, usecols=["industry_code", "occ_code", "occ_title", "occ_display_level", "tot_emp"],
                dtype={"industry_code": str, "occ_code": str, "occ_title": str, "occ_display_level": str,
                       "tot_emp": str})
o = o[o.industry_code == oews_code]
t_oews = time.perf_counter()
total = float(o.loc[o.occ_code == "00-0000", "tot_emp"].iloc[0])
det = o[o.occ_display_level == "3"].copy()
det["emp"] = pd.to_numeric(det.tot_emp, errors="coerce")  # "-" (not released) -> NaN
det = det.dropna(subset=["emp"])
det["share"] = det.emp / total

frames = []
for f in qcew_files:
    q = pd.read_csv(f, usecols=["area_fips", "own_code", "industry_code", "year", "qtr", "disclosure_code",
                                "month3_emplvl"], dtype={"area_fips": str, "industry_code": str,
                                                         "disclosure_code": str})
    frames.append(q[(q.own_code == 5) & (q.industry_code == naics) & (q.year == year) & (q.qtr == qtr)])
q = pd.concat(frames)
t_qcew = time.perf_counter()
disclosed = q[q.disclosure_code.isna() | (q.disclosure_code == "")]
regional = float(disclosed.month3_emplvl.sum())
det["employment"] = det.share * regional
det = det.sort_values(["employment", "occ_code"], ascending=[False, True])
unallocated = regional - det.employment.sum()
t_join = time.perf_counter()
if out:
    det[["occ_code", "occ_title", "employment", "share"]].to_csv(out, index=False)
print(f"rows={len(det)} regional={regional:.0f} unallocated={unallocated:.1f} "
      f"top={det.occ_code.iloc[0]}:{det.employment.iloc[0]:.1f}", file=sys.stderr)
print(f"timing import_pandas={t_import - t0:.4f} read_oews={t_oews - t_import:.4f} "
      f"read_qcew={t_qcew - t_oews:.4f} join={t_join - t_qcew:.4f}", file=sys.stderr)
