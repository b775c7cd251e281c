#!/usr/bin/env python3
"""Checks that sectorkit's target table and the pandas/polars job outputs agree (stdlib only).

  compare_outputs.py SECTORKIT.csv OTHER.csv [OTHER.csv ...]

For every industry: the same set of industry codes; the same disclosed/unknown status of the
region employment; equal employment where disclosed; employment LQ within 0.0001 (sectorkit
prints 4 decimals); and sectorkit's employment_lower (the sum of the disclosed county cells,
without --estimates) equal to the other's employment_disclosed for every industry. Prints the counts compared and exits 1 on any disagreement.
"""

import csv
import sys

TOL = 1e-4


def num(s):
    s = (s or "").strip()
    if s == "" or s.lower() in ("nan", "null", "none", "<na>"):
        return None
    return float(s)


def load(path):
    with open(path, newline="") as f:
        return {r["industry_code"]: (num(r["employment"]), num(r["lq_employment"]),
                                     num(r.get("employment_lower", r.get("employment_disclosed"))))
                for r in csv.DictReader(f)}


def main():
    sk_path, others = sys.argv[1], sys.argv[2:]
    sk = load(sk_path)
    bad = 0
    for path in others:
        o = load(path)
        problems = []
        if set(sk) != set(o):
            problems.append("industry sets differ: only sectorkit %s, only other %s"
                            % (sorted(set(sk) - set(o))[:10], sorted(set(o) - set(sk))[:10]))
        emp_n = lq_n = status_n = part_n = 0
        for code in sorted(set(sk) & set(o)):
            (se, sl, sp), (oe, ol, op) = sk[code], o[code]
            status_n += 1
            if sp is None or op is None or abs(sp - op) > 0.5:
                problems.append("%s: disclosed part %r vs %r" % (code, sp, op))
            else:
                part_n += 1
            if (se is None) != (oe is None):
                problems.append("%s: employment status differs (sectorkit %r, other %r)" % (code, se, oe))
                continue
            if se is not None:
                emp_n += 1
                if abs(se - oe) > 0.5:
                    problems.append("%s: employment %s vs %s" % (code, se, oe))
            if (sl is None) != (ol is None):
                problems.append("%s: LQ presence differs (sectorkit %r, other %r)" % (code, sl, ol))
            elif sl is not None:
                lq_n += 1
                if abs(sl - ol) > TOL:
                    problems.append("%s: LQ %.6f vs %.6f" % (code, sl, ol))
        print("compare %s vs %s: %d industries, %d disclosed employment values, %d LQs, "
              "%d disclosed-part sums compared, %d problems"
              % (sk_path, path, status_n, emp_n, lq_n, part_n, len(problems)))
        for p in problems[:20]:
            print("  MISMATCH " + p)
        if problems or emp_n == 0 or lq_n == 0:
            bad += 1
    if bad:
        print("FAIL: %d output(s) disagree with sectorkit (or compared nothing)" % bad)
        sys.exit(1)
    print("OK: all outputs agree with sectorkit")


if __name__ == "__main__":
    main()
