#!/usr/bin/env python3
"""Synthetic national-scale BLS QCEW *annual singlefile* generator (benchmark input).

THE OUTPUT IS SYNTHETIC. It is not BLS data and must never be used for analysis. It imitates the
BLS file `{YEAR}.annual.singlefile.csv` (inside `{YEAR}_annual_singlefile.zip`): 38 untitled
columns in the official order, a header row, code and disclosure fields quoted and numbers bare
exactly as BLS writes them (`"39049","5","541","75","0","2023","A","",1234,...`), rows grouped by
area in ascending `area_fips` order and, inside an area, sorted by (own_code, industry_code) as
BLS sorts them. A full-scale file has ~3.6 million rows and ~1 GB, like the real 2023 file.

What it contains (and what real data each part imitates):

* Areas - the real code lists. Counties (SSCCC, SS999 "unknown" county codes, Puerto Rico
  municipios, Virgin Islands) are the areas of the real 2019 industry-10 all-areas file that also
  appear in `crates/sectorkit-data/data/geo/area_titles.csv` (Connecticut therefore with its 8
  legacy counties, as BLS published 2023 data). States SS000, US000, MSAs and MicroSAs (C####),
  CSAs (CS###) and USMSA/USCMS/USNMS come from the same title list; metro membership is the OMB
  July-2023 delineation shipped in the same folder (QCEW code = "C" + first four CBSA digits, or
  the BLS title match where two CBSAs share them; Connecticut's legacy counties are mapped by hand).
* Aggregation levels as in the real file: US000 at 10-18 (+94/95), states at 50-58 (+96),
  counties at 70-78, MSAs at 40-48, MicroSAs at 80, CSAs at 30, USMSA/USCMS/USNMS at 91/92/93.
  Detailed rows exist by ownership only (own 1, 2, 3, 5); own 0 only for the all-industry total.
* Industry codes: the NAICS-2022 6-digit codes that BLS publishes nationally for each ownership,
  read from the real 2024 Q1 US000 file (`qcew_2024_q1_area_US000.csv.gz`, 1,905 own x 6-digit
  cells), and their real parents: 5/4/3-digit, sectors (31-33, 44-45, 48-49), supersectors
  1011-1029, domains 101/102 and the total 10. Every code is in `industry_titles.csv`.

How the values are drawn (fitted to the real files in /work/shared/data):

1. County size and ownership mix: the county's real 2019 annual own 1/2/3/5 employment and
   average pay (`qcew_2019_annual_industry_10_all_areas.csv.gz`), grown by 3.5% with a 3%
   lognormal jitter (suppressed 2019 cells: establishments x 25). Counties missing there draw
   total employment from the lognormal fitted to that file (log mean 9.17, log sd 1.64).
2. Industry presence and size: for each national (own, 6-digit) cell, the county's expected
   establishment count is the national count times the county's share of that ownership's
   national employment times an industry-specialisation factor (lognormal, sd 1.0, mean 1);
   the count is Poisson. A zero means no row, so small counties have fewer industries (real Ohio
   counties: 85k jobs ~ 1,550 rows, 727k jobs ~ 2,250 rows; the generator gives similar counts).
   Employment = establishments x the national average establishment size of the industry x a
   lognormal(sd 0.6) factor, then rescaled so each ownership sums to the county's step-1 total.
3. Wages: the national average pay of the industry (2024 Q1 wages x 4 / employment) x the
   county's pay ratio to the nation in 2019 (per ownership) x lognormal(sd 0.15).
   Taxable wages: min(pay, state taxable base U[9k, 60k]) x employment (0 for federal);
   contributions 2.5% of taxable (private), 0.5% (state/local), 0 (federal).
4. All parents (5-digit ... 10) are exact sums of their children, the own-0 total is the sum of
   ownerships, states are exact sums of their counties (incl. SS999), MSAs/CSAs of their member
   counties and the nation of all areas - so published totals are consistent.
5. Suppression (disclosure_code "N"): probability by the row's establishment count, fitted on the
   three real 2020 Ohio county annual files (5,249 detailed rows): 1 estab 0.93, 2: 0.96, 3: 0.64,
   4: 0.43, 5: 0.40, 6-7: 0.26, 8-10: 0.22, 11-15: 0.16, 16-20: 0.11, 21-30: 0.08, 31-50: 0.05,
   51-100: 0.04, more: 0.01. The same rule applies to states and MSAs (which have more
   establishments, so fewer N). Federal (own 1) rows are never suppressed (real: 0 of 174),
   ownership totals (x1) at a third of the table's rate, own-0 totals never. Nationally private rows are never suppressed; state
   and local government rows at 3-6 digits are N with probability 0.35 (real 2024 Q1: ~1/3).
   N rows carry 0 in every numeric field except the establishment count (and its LQ and OTY
   change), as BLS writes them: `"N",14,0,0,0,0,0,0,"N",2.81,0,0,0,0,0,0,"N",-1,-6.7,0,...`.
6. lq_* columns: location quotients against the national industry mix of step 2 (base: the
   area's and the nation's own-0 all-industry totals), rounded to hundredths. oty_* columns:
   plausible random over-the-year changes (normal, employment mean +1.5%, sd 8%). Neither is
   meant to be checked.

Deterministic: each area draws from its own `random.Random(f"{seed}:{area}")`, so a given seed,
year and scale always write the same bytes. Writes stream (one state's rows in memory at a time,
plus the MSA accumulators). Python 3 standard library only.

Usage:
  python3 bench/gen_singlefile.py --out /tmp/x/2023.annual.singlefile.csv            # full, ~1 GB
  python3 bench/gen_singlefile.py --out small.csv --scale 0.02                        # ~2% of counties
  python3 bench/gen_singlefile.py --out 2022.csv --year 2022                           # another year
--scale keeps every county of --keep (default: the 10 Columbus, OH MSA counties) plus a seeded
random share of the others; all higher areas are then sums of the kept counties.
"""

import argparse
import csv
import gzip
import math
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEO = os.path.join(REPO, "crates", "sectorkit-data", "data", "geo")
SHARED = "/work/shared/data"
NATIONAL_SEED = os.path.join(SHARED, "bls_qcew_2020_ohio_and_us", "qcew_2024_q1_area_US000.csv.gz")
COUNTY_SEED = os.path.join(SHARED, "bls_qcew_extra", "qcew_2019_annual_industry_10_all_areas.csv.gz")
COLUMBUS = "39041,39045,39049,39073,39089,39097,39117,39127,39129,39159"

HEADER = (
    "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,"
    "annual_avg_estabs,annual_avg_emplvl,total_annual_wages,taxable_annual_wages,"
    "annual_contributions,annual_avg_wkly_wage,avg_annual_pay,lq_disclosure_code,"
    "lq_annual_avg_estabs,lq_annual_avg_emplvl,lq_total_annual_wages,lq_taxable_annual_wages,"
    "lq_annual_contributions,lq_annual_avg_wkly_wage,lq_avg_annual_pay,oty_disclosure_code,"
    "oty_annual_avg_estabs_chg,oty_annual_avg_estabs_pct_chg,oty_annual_avg_emplvl_chg,"
    "oty_annual_avg_emplvl_pct_chg,oty_total_annual_wages_chg,oty_total_annual_wages_pct_chg,"
    "oty_taxable_annual_wages_chg,oty_taxable_annual_wages_pct_chg,oty_annual_contributions_chg,"
    "oty_annual_contributions_pct_chg,oty_annual_avg_wkly_wage_chg,"
    "oty_annual_avg_wkly_wage_pct_chg,oty_avg_annual_pay_chg,oty_avg_annual_pay_pct_chg"
)
QUOTED_HEADER = ",".join('"%s"' % c for c in HEADER.split(","))

SECTOR = {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
          "48": "48-49", "49": "48-49"}
SUPERSECTOR = {"11": "1011", "21": "1011", "23": "1012", "31-33": "1013", "22": "1021",
               "42": "1021", "44-45": "1021", "48-49": "1021", "51": "1022", "52": "1023",
               "53": "1023", "54": "1024", "55": "1024", "56": "1024", "61": "1025",
               "62": "1025", "71": "1026", "72": "1026", "81": "1027", "92": "1028",
               "99": "1029"}
# Connecticut's legacy counties (2023 data) -> QCEW metro codes (OMB 2023 lists planning regions).
CT_LEGACY_CBSA = {"09001": "C1486", "09003": "C2554", "09005": "C4586", "09007": "C2554",
                  "09009": "C3530", "09011": "C3598", "09013": "C2554", "09015": "C4934"}

# P(N | establishments), fitted on the real 2020 Ohio county annual files (see header).
N_TABLE = [(1, 0.93), (2, 0.96), (3, 0.64), (4, 0.43), (5, 0.40), (7, 0.26), (10, 0.22),
           (15, 0.16), (20, 0.11), (30, 0.08), (50, 0.05), (100, 0.04)]
N_LOOKUP = []
for _e in range(101):
    _p = 0.01
    for _lim, _q in N_TABLE:
        if _e <= _lim:
            _p = _q
            break
    N_LOOKUP.append(_p)


def p_suppress(estabs):
    return N_LOOKUP[estabs] if estabs <= 100 else 0.01


def chain(code6):
    """(agglvl offset, code) of a 6-digit code and all its parents, down to the total."""
    sec = SECTOR.get(code6[:2], code6[:2])
    sup = SUPERSECTOR[sec]
    dom = "101" if sup in ("1011", "1012", "1013") else "102"
    return ((8, code6), (7, code6[:5]), (6, code6[:4]), (5, code6[:3]), (4, sec), (3, sup),
            (2, dom), (1, "10"))


def poisson(rng, lam):
    if lam < 30.0:
        limit = math.exp(-lam)
        k, p = 0, rng.random()
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


# ---- inputs ------------------------------------------------------------------------------------

def read_csv_any(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", newline="") as f:
        yield from csv.DictReader(f)


def load_national_mix(path):
    """{own: [(code6, estabs, emp, annual_pay, chain)]} from the real national quarterly file."""
    cells = {}
    for r in read_csv_any(path):
        if r["agglvl_code"] != "18" or r["own_code"] not in ("1", "2", "3", "5"):
            continue
        own = int(r["own_code"])
        est = int(r["qtrly_estabs"])
        if r["disclosure_code"] == "N":
            emp = wages = None
        else:
            emp = (int(r["month1_emplvl"]) + int(r["month2_emplvl"]) + int(r["month3_emplvl"])) / 3.0
            wages = int(r["total_qtrly_wages"]) * 4.0
        cells.setdefault(own, []).append([r["industry_code"], est, emp, wages])
    mix = {}
    for own, rows in cells.items():
        # Impute suppressed national cells from disclosed siblings (same 4-digit parent).
        size4, pay4, sizes, pays = {}, {}, [], []
        for code, est, emp, wages in rows:
            if emp and est:
                size4.setdefault(code[:4], []).append(emp / est)
                pay4.setdefault(code[:4], []).append(wages / emp)
                sizes.append(emp / est)
                pays.append(wages / emp)
        med = lambda v: sorted(v)[len(v) // 2]
        out = []
        for code, est, emp, wages in rows:
            if est <= 0:
                continue
            if not emp:
                emp = est * med(size4.get(code[:4], sizes))
                wages = emp * med(pay4.get(code[:4], pays))
            out.append((code, est, emp, wages / emp, chain(code)))
        mix[own] = out
    return mix


def load_county_seed(path):
    """Real 2019 annual own totals: {area: {own: (emp, pay, estabs)}} and the national row."""
    seed, nation = {}, {}
    for r in read_csv_any(path):
        if r["industry_code"] != "10":
            continue
        agg, own, area = r["agglvl_code"], int(r["own_code"]), r["area_fips"]
        est, emp, pay = int(r["annual_avg_estabs"]), int(r["annual_avg_emplvl"]), int(r["avg_annual_pay"])
        if r["disclosure_code"] == "N":
            emp, pay = None, None
        if agg in ("70", "71"):
            seed.setdefault(area, {})[own] = (emp, pay, est)
        elif agg in ("10", "11"):
            nation[own] = (emp, pay, est)
    return seed, nation


def load_geo():
    titles = {}
    for r in read_csv_any(os.path.join(GEO, "area_titles.csv")):
        titles[r["area_fips"]] = r["area_title"]
    c_by_title = {t: a for a, t in titles.items() if a.startswith("C") and not a.startswith("CS")}
    county_cbsa, county_csa, cbsa_kind = {}, {}, {}
    for r in read_csv_any(os.path.join(GEO, "omb_cbsa_list1_2023_county_to_cbsa.csv")):
        fips = r["FIPS State Code"].zfill(2) + r["FIPS County Code"].zfill(3)
        metro = r["Metropolitan/Micropolitan Statistical Area"].startswith("Metro")
        suffix = " MSA" if metro else " MicroSA"
        code = c_by_title.get(r["CBSA Title"] + suffix, "C" + r["CBSA Code"][:4])
        if code not in titles:
            continue
        county_cbsa[fips] = code
        cbsa_kind[code] = metro
        if r["CSA Code"] and ("CS" + r["CSA Code"]) in titles:
            county_csa[fips] = "CS" + r["CSA Code"]
    for fips, code in CT_LEGACY_CBSA.items():
        if code in titles:
            county_cbsa[fips] = code
            cbsa_kind.setdefault(code, True)
    return titles, county_cbsa, county_csa, cbsa_kind


# ---- the model ---------------------------------------------------------------------------------

class Nation:
    """National reference values (for LQs) per (own, code), from the national mix."""

    def __init__(self, mix):
        self.emp, self.est, self.wages = {}, {}, {}
        for own, rows in mix.items():
            for code, est, emp, pay, ch in rows:
                for _, c in ch:
                    k = (own, c)
                    self.emp[k] = self.emp.get(k, 0.0) + emp
                    self.est[k] = self.est.get(k, 0.0) + est
                    self.wages[k] = self.wages.get(k, 0.0) + emp * pay
        self.tot_emp = sum(self.emp[(o, "10")] for o in mix)
        self.tot_est = sum(self.est[(o, "10")] for o in mix)
        self.tot_wages = sum(self.wages[(o, "10")] for o in mix)
        self.emp[(0, "10")] = self.tot_emp
        self.est[(0, "10")] = self.tot_est
        self.wages[(0, "10")] = self.tot_wages
        self.own_emp = {o: self.emp[(o, "10")] for o in mix}
        self.own_pay = {o: self.wages[(o, "10")] / self.emp[(o, "10")] for o in mix}


def county_cells(area, seed_row, mix, nation, nat2019, state_base, rng):
    """{(own, code): [agglvl_offset, estabs, emp, wages, taxable, contrib]} for one county."""
    growth = 1.035 * math.exp(rng.gauss(0.0, 0.03))
    targets, payf = {}, {}
    if seed_row is None:
        total = math.exp(rng.gauss(9.17, 1.64))
        seed_row = {1: (total * 0.01, None, 3), 2: (total * 0.02, None, 3),
                    3: (total * 0.15, None, 20), 5: (total * 0.82, None, 100)}
    for own in (1, 2, 3, 5):
        emp, pay, est = seed_row.get(own, (None, None, 0))
        if emp is None:
            emp = est * 25.0
        targets[own] = emp * growth
        nat = nat2019.get(own)
        payf[own] = (pay / nat[1]) if (pay and nat and nat[1]) else math.exp(rng.gauss(-0.15, 0.234))
    cells = {}
    rnd, gauss, exp = rng.random, rng.gauss, math.exp
    for own in (1, 2, 3, 5):
        target = targets[own]
        if target < 0.5:
            continue
        share = target / nation.own_emp[own]
        leaves = []
        for code, nest, nemp, npay, ch in mix[own]:
            lam = nest * share * exp(gauss(-0.5, 1.0))
            if lam < 0.05:  # fast path: P(n >= 1) ~ lam, P(n >= 2) negligible
                if rnd() >= lam:
                    continue
                n = 1
            else:
                n = poisson(rng, lam)
                if n == 0:
                    continue
            emp = n * (nemp / nest) * exp(gauss(-0.18, 0.6))
            leaves.append((n, emp, npay, ch))
        if not leaves:
            continue
        scale = target / sum(l[1] for l in leaves)
        pf = payf[own]
        for n, emp, npay, ch in leaves:
            emp = int(round(emp * scale))
            pay = npay * pf * exp(gauss(0.0, 0.15))
            wages = int(round(emp * pay))
            if own == 1:
                taxable = contrib = 0
            else:
                taxable = int(min(pay, state_base) * emp)
                contrib = int(taxable * (0.025 if own == 5 else 0.005))
            for lvl, c in ch:
                k = (own, c)
                v = cells.get(k)
                if v is None:
                    cells[k] = [lvl, n, emp, wages, taxable, contrib]
                else:
                    v[1] += n
                    v[2] += emp
                    v[3] += wages
                    v[4] += taxable
                    v[5] += contrib
    tot = [0, 0, 0, 0, 0, 0]
    for own in (1, 2, 3, 5):
        v = cells.get((own, "10"))
        if v:
            for j in range(1, 6):
                tot[j] += v[j]
    if tot[2] == 0:  # a tiny area with nothing drawn: give it one private establishment
        cells[(5, "10")] = [1, 1, 1, 30000, 9000, 225]
        tot = [0, 1, 1, 30000, 9000, 225]
    cells[(0, "10")] = tot
    return cells


def add_into(acc, cells):
    for k, v in cells.items():
        a = acc.get(k)
        if a is None:
            acc[k] = v[:]
        else:
            a[1] += v[1]
            a[2] += v[2]
            a[3] += v[3]
            a[4] += v[4]
            a[5] += v[5]


def lq2(x):
    return "%.2f" % x


class Writer:
    def __init__(self, out, year, nation):
        self.out, self.year, self.nation = out, year, nation
        self.rows = 0
        self.by_agg = {}
        self.n_by_agg = {}

    def area(self, area, cells, base, rng, kind):
        """Formats every row of one area; kind is 'county', 'state', 'msa', 'nation'."""
        nat = self.nation
        y = self.year
        t = cells[(0, "10")]
        area_est, area_emp, area_wages = t[1] or 1, t[2] or 1, t[3] or 1
        rnd, gauss = rng.random, rng.gauss
        lines = []
        for (own, code) in sorted(cells):
            lvl, est, emp, wages, taxable, contrib = cells[(own, code)]
            agg = base + (0 if own == 0 else lvl)
            # --- suppression
            if own <= 1:  # totals and federal rows are never suppressed (real files: 0 of 174)
                sup = False
            elif kind == "nation":
                sup = own in (2, 3) and lvl >= 5 and rnd() < 0.35
            elif lvl == 1:
                sup = own != 1 and rnd() < p_suppress(est) / 3.0
            else:
                sup = rnd() < p_suppress(est)
            # --- location quotients vs the national mix (base: own-0 totals)
            if kind == "nation":
                lq_est = lq_emp = lq_wag = 1.0
            else:
                k = (own, code)
                ne, nm, nw = nat.est.get(k), nat.emp.get(k), nat.wages.get(k)
                lq_est = (est / area_est) / (ne / nat.tot_est) if ne else 0.0
                lq_emp = (emp / area_emp) / (nm / nat.tot_emp) if nm else 0.0
                lq_wag = (wages / area_wages) / (nw / nat.tot_wages) if nw else 0.0
            # --- over-the-year changes (random, plausible)
            e_pct = max(-60.0, gauss(1.5, 8.0))
            est_chg = int(round(est - est / (1.0 + max(-50.0, gauss(1.0, 5.0)) / 100.0)))
            est_pct = 100.0 * est_chg / (est - est_chg) if est - est_chg > 0 else 0.0
            if sup:
                lines.append(
                    '"%s","%d","%s","%d","0","%d","A","N",%d,0,0,0,0,0,0,"N",%s,0,0,0,0,0,0,'
                    '"N",%d,%.1f,0,0,0,0,0,0,0,0,0,0,0,0'
                    % (area, own, code, agg, y, est, lq2(lq_est), est_chg, est_pct))
                self.n_by_agg[agg] = self.n_by_agg.get(agg, 0) + 1
            else:
                wk = int(round(wages / emp / 52.0)) if emp else 0
                pay = int(round(wages / emp)) if emp else 0
                w_pct = e_pct + gauss(4.5, 4.0)
                emp_chg = int(round(emp - emp / (1.0 + e_pct / 100.0)))
                wag_chg = int(round(wages - wages / (1.0 + w_pct / 100.0)))
                p_pct = (1.0 + w_pct / 100.0) / (1.0 + e_pct / 100.0) * 100.0 - 100.0
                tax_chg = int(taxable * 0.03)
                con_chg = int(contrib * -0.04)
                lq_note = "" if kind == "nation" or rnd() > 0.002 else "N"
                oty_note = "" if rnd() > 0.05 else "N"
                lq_tax = lq_wag * (1.0 + gauss(0.0, 0.1)) if taxable else 0.0
                lq_con = lq_wag * (1.0 + gauss(0.0, 0.2)) if contrib else 0.0
                lq_pay = lq_wag / lq_emp if lq_emp else 0.0
                lines.append(
                    '"%s","%d","%s","%d","0","%d","A","",%d,%d,%d,%d,%d,%d,%d,"%s",%s,%s,%s,%s,%s,'
                    '%s,%s,"%s",%d,%.1f,%d,%.1f,%d,%.1f,%d,3.0,%d,-4.0,%d,%.1f,%d,%.1f'
                    % (area, own, code, agg, y, est, emp, wages, taxable, contrib, wk, pay,
                       lq_note, lq2(lq_est), lq2(lq_emp), lq2(lq_wag), lq2(lq_tax), lq2(lq_con),
                       lq2(lq_pay), lq2(lq_pay), oty_note, est_chg, est_pct, emp_chg, e_pct,
                       wag_chg, w_pct, tax_chg, con_chg, int(wk * p_pct / 100.0), p_pct,
                       int(pay * p_pct / 100.0), p_pct))
            self.by_agg[agg] = self.by_agg.get(agg, 0) + 1
        return lines

    def total_only(self, area, agg, own, t, rng):
        """One all-industry row (CSA 30, MicroSA 80, 9x summary levels)."""
        est, emp, wages, taxable, contrib = t[1], t[2], t[3], t[4], t[5]
        wk = int(round(wages / emp / 52.0)) if emp else 0
        pay = int(round(wages / emp)) if emp else 0
        e_pct = rng.gauss(1.5, 3.0)
        self.by_agg[agg] = self.by_agg.get(agg, 0) + 1
        return ('"%s","%d","10","%d","0","%d","A","",%d,%d,%d,%d,%d,%d,%d,"",1.00,1.00,1.00,1.00,'
                '1.00,1.00,1.00,"",%d,1.0,%d,%.1f,%d,4.5,%d,3.0,%d,-4.0,%d,3.0,%d,3.0'
                % (area, own, agg, self.year, est, emp, wages, taxable, contrib, wk, pay,
                   int(est * 0.01), int(emp * e_pct / 100.0), e_pct, int(wages * 0.045),
                   int(taxable * 0.03), int(contrib * -0.04), int(wk * 0.03), int(pay * 0.03)))


def sum_owns(cells, owns):
    t = [1, 0, 0, 0, 0, 0]
    for o in owns:
        v = cells.get((o, "10"))
        if v:
            for j in range(1, 6):
                t[j] += v[j]
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output CSV path ('-' for stdout)")
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--seed", type=int, default=20230)
    ap.add_argument("--scale", type=float, default=1.0,
                    help="share of counties to keep (the --keep counties always are); 1 = national")
    ap.add_argument("--keep", default=COLUMBUS, help="comma list of counties always generated")
    ap.add_argument("--national-seed", default=NATIONAL_SEED)
    ap.add_argument("--county-seed", default=COUNTY_SEED)
    a = ap.parse_args()
    t0 = time.time()
    # The year changes the draws, so --year Y-1 gives a different (not a consistent prior) file.
    seed = "%d:%d" % (a.seed, a.year)

    mix = load_national_mix(a.national_seed)
    nation = Nation(mix)
    county_seed, nat2019 = load_county_seed(a.county_seed)
    titles, county_cbsa, county_csa, cbsa_kind = load_geo()
    keep = set(x for x in a.keep.split(",") if x)

    counties = sorted(c for c in county_seed if c in titles and not c.endswith("000")
                      and c[2:] not in ("996", "997", "998")
                      and (a.scale >= 1.0 or c in keep
                           or random.Random("%s:pick:%s" % (seed, c)).random() < a.scale))
    states = {}
    for c in counties:
        states.setdefault(c[:2], []).append(c)

    out = sys.stdout if a.out == "-" else open(a.out, "w", buffering=1 << 22, newline="")
    out.write(QUOTED_HEADER + "\n")
    w = Writer(out, a.year, nation)
    msa_acc, csa_acc, micro_acc = {}, {}, {}
    us_acc = {}
    usmsa, uscsa, usnms = [1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]

    def add_tot(dst, t):
        for j in range(1, 6):
            dst[j] += t[j]

    for st in sorted(states):
        srng = random.Random("%s:state:%s" % (seed, st))
        state_base = srng.uniform(9000.0, 60000.0)
        state_acc = {}
        county_lines = []
        for c in states[st]:
            rng = random.Random("%s:%s" % (seed, c))
            cells = county_cells(c, county_seed.get(c), mix, nation, nat2019, state_base, rng)
            county_lines.extend(w.area(c, cells, 70, rng, "county"))
            add_into(state_acc, cells)
            total = cells[(0, "10")]
            cb = county_cbsa.get(c)
            if cb and cbsa_kind.get(cb):
                add_into(msa_acc.setdefault(cb, {}), cells)
                add_tot(usmsa, total)
            else:
                if cb:
                    add_tot(micro_acc.setdefault(cb, [1, 0, 0, 0, 0, 0]), total)
                if c[2:] != "999":
                    add_tot(usnms, total)
            cs = county_csa.get(c)
            if cs:
                add_tot(csa_acc.setdefault(cs, [1, 0, 0, 0, 0, 0]), total)
                add_tot(uscsa, total)
        lines = []
        sa = st + "000"
        if sa in titles:
            lines = w.area(sa, state_acc, 50, srng, "state")
            lines.append(w.total_only(sa, 96, 8, sum_owns(state_acc, (1, 2, 3)), srng))
        # BLS order: "SS000" sorts before "SSCCC" (the 96 row sits in the state's block).
        out.write("\n".join(lines + county_lines))
        out.write("\n")
        add_into(us_acc, state_acc)
        print("  state %s: %d counties, %d rows so far, %.0fs"
              % (st, len(states[st]), sum(w.by_agg.values()), time.time() - t0),
              file=sys.stderr, flush=True)
    # MSAs (C####, with detail), MicroSAs (total only) and CSAs, in area code order.
    meta = []
    for code in set(msa_acc) | set(micro_acc) | set(csa_acc):
        meta.append(code)
    for code in sorted(meta):
        rng = random.Random("%s:%s" % (seed, code))
        if code in msa_acc:
            out.write("\n".join(w.area(code, msa_acc.pop(code), 40, rng, "msa")) + "\n")
        elif code in micro_acc:
            out.write(w.total_only(code, 80, 0, micro_acc[code], rng) + "\n")
        else:
            out.write(w.total_only(code, 30, 0, csa_acc[code], rng) + "\n")
    rng = random.Random("%s:US000" % seed)
    lines = w.area("US000", us_acc, 10, rng, "nation")
    lines.append(w.total_only("US000", 94, 9, sum_owns(us_acc, (2, 3, 5)), rng))
    lines.append(w.total_only("US000", 95, 8, sum_owns(us_acc, (1, 2, 3)), rng))
    lines.append(w.total_only("USCMS", 92, 0, uscsa, rng))
    lines.append(w.total_only("USMSA", 91, 0, usmsa, rng))
    lines.append(w.total_only("USNMS", 93, 0, usnms, rng))
    out.write("\n".join(lines) + "\n")
    if out is not sys.stdout:
        out.close()
    total = sum(w.by_agg.values())
    nsum = sum(w.n_by_agg.values())
    print("wrote %d rows (%d suppressed, %.1f%%), %d counties, %.0f s"
          % (total, nsum, 100.0 * nsum / max(total, 1), len(counties), time.time() - t0),
          file=sys.stderr)
    for agg in sorted(w.by_agg):
        n = w.by_agg[agg]
        print("  agglvl %d: %d rows, %.1f%% N" % (agg, n, 100.0 * w.n_by_agg.get(agg, 0) / n),
              file=sys.stderr)


if __name__ == "__main__":
    main()
