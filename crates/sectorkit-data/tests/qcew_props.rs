//! Property tests: any row written in the official untitled annual or quarterly layout (quoted or
//! not, CRLF or LF, with or without a BOM) reads back to the same values under the disclosure
//! rules; and no input, however broken, makes the reader panic.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io::Cursor;

use proptest::prelude::*;
use sectorkit_core::codes::{Ownership, Period, Quarter};
use sectorkit_data::qcew::{
    Disclosure, LocationQuotients, OverTheYear, QcewRow, ReadOptions, read_reader,
};

const ANNUAL: &str = "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,annual_avg_estabs,annual_avg_emplvl,total_annual_wages,taxable_annual_wages,annual_contributions,annual_avg_wkly_wage,avg_annual_pay,lq_disclosure_code,lq_annual_avg_estabs,lq_annual_avg_emplvl,lq_total_annual_wages,lq_taxable_annual_wages,lq_annual_contributions,lq_annual_avg_wkly_wage,lq_avg_annual_pay,oty_disclosure_code,oty_annual_avg_estabs_chg,oty_annual_avg_estabs_pct_chg,oty_annual_avg_emplvl_chg,oty_annual_avg_emplvl_pct_chg,oty_total_annual_wages_chg,oty_total_annual_wages_pct_chg,oty_taxable_annual_wages_chg,oty_taxable_annual_wages_pct_chg,oty_annual_contributions_chg,oty_annual_contributions_pct_chg,oty_annual_avg_wkly_wage_chg,oty_annual_avg_wkly_wage_pct_chg,oty_avg_annual_pay_chg,oty_avg_annual_pay_pct_chg";

const QUARTERLY: &str = "area_fips,own_code,industry_code,agglvl_code,size_code,year,qtr,disclosure_code,qtrly_estabs,month1_emplvl,month2_emplvl,month3_emplvl,total_qtrly_wages,taxable_qtrly_wages,qtrly_contributions,avg_wkly_wage,lq_disclosure_code,lq_qtrly_estabs,lq_month1_emplvl,lq_month2_emplvl,lq_month3_emplvl,lq_total_qtrly_wages,lq_taxable_qtrly_wages,lq_qtrly_contributions,lq_avg_wkly_wage,oty_disclosure_code,oty_qtrly_estabs_chg,oty_qtrly_estabs_pct_chg,oty_month1_emplvl_chg,oty_month1_emplvl_pct_chg,oty_month2_emplvl_chg,oty_month2_emplvl_pct_chg,oty_month3_emplvl_chg,oty_month3_emplvl_pct_chg,oty_total_qtrly_wages_chg,oty_total_qtrly_wages_pct_chg,oty_taxable_qtrly_wages_chg,oty_taxable_qtrly_wages_pct_chg,oty_qtrly_contributions_chg,oty_qtrly_contributions_pct_chg,oty_avg_wkly_wage_chg,oty_avg_wkly_wage_pct_chg";

/// One generated row, as values (None = empty field).
#[derive(Debug, Clone)]
struct Gen {
    area: &'static str,
    own: u8,
    industry: &'static str,
    agglvl: u8,
    size: u8,
    year: i32,
    qtr: u8,
    disc: &'static str,
    lq_disc: &'static str,
    oty_disc: &'static str,
    counts: [Option<u64>; 9],
    lq_hundredths: [Option<u32>; 5],
    chg: [Option<i64>; 5],
    pct_tenths: [Option<i32>; 5],
}

fn u(v: Option<u64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}
fn lq(v: Option<u32>) -> String {
    v.map(|h| format!("{}.{:02}", h / 100, h % 100))
        .unwrap_or_default()
}
fn pct(v: Option<i32>) -> String {
    v.map(|t| {
        format!(
            "{}{}.{}",
            if t < 0 { "-" } else { "" },
            t.unsigned_abs() / 10,
            t.unsigned_abs() % 10
        )
    })
    .unwrap_or_default()
}
fn chg(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}
fn f(text: &str) -> Option<f64> {
    (!text.is_empty()).then(|| text.parse().unwrap())
}

impl Gen {
    /// Column → text, for the columns the reader uses (others are written as `0`).
    fn cells(&self, annual: bool) -> HashMap<&'static str, String> {
        let c = &self.counts;
        let mut m: HashMap<&'static str, String> = HashMap::new();
        m.insert("area_fips", self.area.into());
        m.insert("own_code", self.own.to_string());
        m.insert("industry_code", self.industry.into());
        m.insert("agglvl_code", self.agglvl.to_string());
        m.insert("size_code", self.size.to_string());
        m.insert("year", self.year.to_string());
        m.insert(
            "qtr",
            if annual {
                "A".into()
            } else {
                self.qtr.to_string()
            },
        );
        m.insert("disclosure_code", self.disc.into());
        m.insert("lq_disclosure_code", self.lq_disc.into());
        m.insert("oty_disclosure_code", self.oty_disc.into());
        if annual {
            for (k, v) in [
                ("annual_avg_estabs", c[0]),
                ("annual_avg_emplvl", c[1]),
                ("total_annual_wages", c[4]),
                ("taxable_annual_wages", c[5]),
                ("annual_contributions", c[6]),
                ("annual_avg_wkly_wage", c[7]),
                ("avg_annual_pay", c[8]),
            ] {
                m.insert(k, u(v));
            }
            m.insert("lq_annual_avg_estabs", lq(self.lq_hundredths[0]));
            m.insert("lq_annual_avg_emplvl", lq(self.lq_hundredths[1]));
            m.insert("lq_total_annual_wages", lq(self.lq_hundredths[4]));
            m.insert("oty_annual_avg_estabs_chg", chg(self.chg[0]));
            m.insert("oty_annual_avg_estabs_pct_chg", pct(self.pct_tenths[0]));
            m.insert("oty_annual_avg_emplvl_chg", chg(self.chg[1]));
            m.insert("oty_annual_avg_emplvl_pct_chg", pct(self.pct_tenths[1]));
            m.insert("oty_total_annual_wages_chg", chg(self.chg[4]));
            m.insert("oty_total_annual_wages_pct_chg", pct(self.pct_tenths[4]));
        } else {
            for (k, v) in [
                ("qtrly_estabs", c[0]),
                ("month1_emplvl", c[1]),
                ("month2_emplvl", c[2]),
                ("month3_emplvl", c[3]),
                ("total_qtrly_wages", c[4]),
                ("taxable_qtrly_wages", c[5]),
                ("qtrly_contributions", c[6]),
                ("avg_wkly_wage", c[7]),
            ] {
                m.insert(k, u(v));
            }
            m.insert("lq_qtrly_estabs", lq(self.lq_hundredths[0]));
            for k in 0..3 {
                m.insert(
                    ["lq_month1_emplvl", "lq_month2_emplvl", "lq_month3_emplvl"][k],
                    lq(self.lq_hundredths[1 + k]),
                );
                m.insert(
                    [
                        "oty_month1_emplvl_chg",
                        "oty_month2_emplvl_chg",
                        "oty_month3_emplvl_chg",
                    ][k],
                    chg(self.chg[1 + k]),
                );
                m.insert(
                    [
                        "oty_month1_emplvl_pct_chg",
                        "oty_month2_emplvl_pct_chg",
                        "oty_month3_emplvl_pct_chg",
                    ][k],
                    pct(self.pct_tenths[1 + k]),
                );
            }
            m.insert("lq_total_qtrly_wages", lq(self.lq_hundredths[4]));
            m.insert("oty_qtrly_estabs_chg", chg(self.chg[0]));
            m.insert("oty_qtrly_estabs_pct_chg", pct(self.pct_tenths[0]));
            m.insert("oty_total_qtrly_wages_chg", chg(self.chg[4]));
            m.insert("oty_total_qtrly_wages_pct_chg", pct(self.pct_tenths[4]));
        }
        m
    }

    /// The row the reader must produce (the disclosure rules of METHODS §1.9, restated).
    fn expected(&self, annual: bool) -> QcewRow {
        let d = Disclosure::from_code(self.disc).unwrap();
        let ld = Disclosure::from_code(self.lq_disc).unwrap();
        let od = Disclosure::from_code(self.oty_disc).unwrap();
        let hide = d == Disclosure::Suppressed;
        let hide_lq = hide || ld == Disclosure::Suppressed;
        let hide_oty = hide || od == Disclosure::Suppressed;
        let h = |on: bool, v: Option<u64>| if on { None } else { v };
        let hf = |on: bool, v: Option<f64>| if on { None } else { v };
        let hi = |on: bool, v: Option<i64>| if on { None } else { v };
        let c = &self.counts;
        let lqv = |i: usize| f(&lq(self.lq_hundredths[i]));
        let pv = |i: usize| f(&pct(self.pct_tenths[i]));
        let months = |on: bool| {
            if annual {
                [None; 3]
            } else {
                [h(on, c[1]), h(on, c[2]), h(on, c[3])]
            }
        };
        QcewRow {
            area: self.area.parse().unwrap(),
            ownership: Ownership::from_code(self.own).unwrap(),
            industry: self.industry.parse().unwrap(),
            agglvl: self.agglvl,
            size: self.size,
            period: if annual {
                Period::Year(self.year)
            } else {
                Period::Quarter(self.year, Quarter::from_number(self.qtr).unwrap())
            },
            disclosure: d,
            area_title: None,
            industry_title: None,
            estabs: c[0],
            employment: h(hide, if annual { c[1] } else { c[3] }),
            month_employment: months(hide),
            total_wages: h(hide, c[4]),
            taxable_wages: h(hide, c[5]),
            contributions: h(hide, c[6]),
            avg_weekly_wage: h(hide, c[7]),
            avg_annual_pay: if annual { h(hide, c[8]) } else { None },
            lq: LocationQuotients {
                disclosure: ld,
                estabs: lqv(0),
                employment: hf(hide_lq, if annual { lqv(1) } else { lqv(3) }),
                month_employment: if annual {
                    [None; 3]
                } else {
                    [1, 2, 3].map(|i| hf(hide_lq, lqv(i)))
                },
                total_wages: hf(hide_lq, lqv(4)),
            },
            oty: OverTheYear {
                disclosure: od,
                estabs_chg: self.chg[0],
                estabs_pct_chg: pv(0),
                employment_chg: hi(hide_oty, if annual { self.chg[1] } else { self.chg[3] }),
                employment_pct_chg: hf(hide_oty, if annual { pv(1) } else { pv(3) }),
                month_employment_chg: if annual {
                    [None; 3]
                } else {
                    [1, 2, 3].map(|i| hi(hide_oty, self.chg[i]))
                },
                month_employment_pct_chg: if annual {
                    [None; 3]
                } else {
                    [1, 2, 3].map(|i| hf(hide_oty, pv(i)))
                },
                total_wages_chg: hi(hide_oty, self.chg[4]),
                total_wages_pct_chg: hf(hide_oty, pv(4)),
            },
        }
    }
}

fn gen_row() -> impl Strategy<Value = Gen> {
    let codes = (
        prop::sample::select(vec![
            "39049", "US000", "01001", "C1814", "CS198", "72000", "39999", "USMSA", "09110",
        ]),
        prop::sample::select(vec![0u8, 1, 2, 3, 5, 8, 9]),
        prop::sample::select(vec![
            "10", "101", "1013", "31-33", "44-45", "336", "3361", "238111", "999999", "54",
        ]),
        10u8..=98,
        0u8..=9,
        1990i32..=2030,
        1u8..=4,
    );
    let discs = (
        prop::sample::select(vec!["", "N", "-"]),
        prop::sample::select(vec!["", "N"]),
        prop::sample::select(vec!["", "N"]),
    );
    let count = prop::option::weighted(0.9, 0u64..10_000_000_000_000);
    let values = (
        prop::array::uniform9(count),
        prop::array::uniform5(prop::option::weighted(0.9, 0u32..100_000)),
        prop::array::uniform5(prop::option::weighted(
            0.9,
            -1_000_000_000_000i64..1_000_000_000_000,
        )),
        prop::array::uniform5(prop::option::weighted(0.9, -100_000i32..100_000)),
    );
    (codes, discs, values).prop_map(
        |(
            (area, own, industry, agglvl, size, year, qtr),
            (disc, lq_disc, oty_disc),
            (counts, lq_hundredths, chg, pct_tenths),
        )| Gen {
            area,
            own,
            industry,
            agglvl,
            size,
            year,
            qtr,
            disc,
            lq_disc,
            oty_disc,
            counts,
            lq_hundredths,
            chg,
            pct_tenths,
        },
    )
}

fn write_file(rows: &[Gen], annual: bool, quoted: bool, crlf: bool, bom: bool) -> Vec<u8> {
    let header: Vec<&str> = if annual { ANNUAL } else { QUARTERLY }.split(',').collect();
    let eol = if crlf { "\r\n" } else { "\n" };
    let q = |s: &str| {
        if quoted {
            format!("\"{s}\"")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(&header.iter().map(|h| q(h)).collect::<Vec<_>>().join(","));
    out.push_str(eol);
    for r in rows {
        let cells = r.cells(annual);
        let line: Vec<String> = header
            .iter()
            .map(|h| q(cells.get(h).map(String::as_str).unwrap_or("0")))
            .collect();
        out.push_str(&line.join(","));
        out.push_str(eol);
    }
    out.into_bytes()
}

fn read(bytes: &[u8]) -> Result<Vec<QcewRow>, String> {
    let mut rows = Vec::new();
    read_reader("prop.csv", Cursor::new(bytes), ReadOptions::new(), |r| {
        rows.push(r);
        Ok::<(), Infallible>(())
    })
    .map_err(|e| e.to_string())?;
    Ok(rows)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn written_rows_read_back_identically(
        rows in prop::collection::vec(gen_row(), 1..12),
        annual: bool,
        quoted: bool,
        crlf: bool,
        bom: bool,
    ) {
        let bytes = write_file(&rows, annual, quoted, crlf, bom);
        let got = read(&bytes).map_err(TestCaseError::fail)?;
        let want: Vec<QcewRow> = rows.iter().map(|r| r.expected(annual)).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn broken_input_never_panics(
        prefix in prop::sample::select(vec![&b""[..], b"\x1f\x8b\x08\x00", b"PK\x03\x04", b"PK\x05\x06", b"\xef\xbb\xbf"]),
        header in any::<bool>(),
        junk in prop::collection::vec(any::<u8>(), 0..600),
        annual: bool,
    ) {
        let mut bytes = prefix.to_vec();
        if header {
            bytes.extend_from_slice(if annual { ANNUAL } else { QUARTERLY }.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(&junk);
        let _ = read(&bytes);
    }

    #[test]
    fn mangled_valid_files_never_panic(
        rows in prop::collection::vec(gen_row(), 1..4),
        annual: bool,
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut bytes = write_file(&rows, annual, true, true, false);
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let _ = read(&bytes);
        bytes.truncate(i);
        let _ = read(&bytes);
    }
}
