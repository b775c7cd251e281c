#!/usr/bin/env python3
"""Peer of `sectorkit commute` for bench/commute.sh: the same job in pandas.

Reads LODES OD files (gzip CSV; geocodes as text), aggregates to county pairs (first 5
characters of w_geocode / h_geocode), and computes interior, inflow, outflow and the labor and
commute sheds of a region (METHODS §5.3). Prints the labor shed as CSV `county,jobs,share`
(largest first, ties by code) so that bench/commute.sh can compare it with sectorkit's JSON.
"""
import argparse
import sys

import pandas as pd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--region", required=True, help="comma list of 5-digit county FIPS")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    region = set(a.region.split(","))
    frames = []
    for f in a.files:
        df = pd.read_csv(
            f,
            usecols=["w_geocode", "h_geocode", "S000"],
            dtype={"w_geocode": str, "h_geocode": str, "S000": "int64"},
        )
        df["w"] = df["w_geocode"].str[:5]
        df["h"] = df["h_geocode"].str[:5]
        frames.append(df.groupby(["w", "h"], as_index=False)["S000"].sum())
    pairs = pd.concat(frames).groupby(["w", "h"], as_index=False)["S000"].sum()
    w_in = pairs["w"].isin(region)
    h_in = pairs["h"].isin(region)
    interior = int(pairs.loc[w_in & h_in, "S000"].sum())
    inflow = int(pairs.loc[w_in & ~h_in, "S000"].sum())
    outflow = int(pairs.loc[~w_in & h_in, "S000"].sum())
    shed = pairs.loc[w_in].groupby("h", as_index=False)["S000"].sum()
    shed = shed[shed["S000"] > 0]
    shed["share"] = shed["S000"] / (interior + inflow)
    shed = shed.sort_values(["S000", "h"], ascending=[False, True])
    print(f"# interior={interior} inflow={inflow} outflow={outflow}", file=sys.stderr)
    out = sys.stdout
    out.write("county,jobs,share\n")
    for r in shed.itertuples(index=False):
        out.write(f"{r.h},{r.S000},{r.share:.6f}\n")


if __name__ == "__main__":
    main()
