//! Measures the QCEW reader's parse throughput.
//!
//! ```text
//! gzip -dc shared/data/bls_qcew_extra/qcew_2019_annual_industry_10_all_areas.csv.gz > /tmp/qcew2019.csv
//! CARGO_TARGET_DIR=/tmp/target-data cargo run --release -p sectorkit-data --example qcew_throughput -- /tmp/qcew2019.csv 5
//! ```
//!
//! Prints, per pass and in total: CSV megabytes per second and rows per second, for (1) every row
//! parsed into a `QcewRow`, (2) a 10-county region + U.S. query through the early filter, and
//! (3) the bare CSV tokenizer (`csv::ByteRecord`, nothing parsed) as the ceiling.

use std::convert::Infallible;
use std::hint::black_box;
use std::time::{Duration, Instant};

use sectorkit_core::codes::AreaFips;
use sectorkit_data::geo::resolve_region;
use sectorkit_data::qcew::{ReadOptions, RowFilter, read_path};

fn report(label: &str, bytes: u64, rows: u64, took: Duration) {
    let s = took.as_secs_f64();
    println!(
        "{label:<28} {:>8.1} MB/s {:>11.0} rows/s  ({} rows, {:.1} MB, {:.3} s)",
        bytes as f64 / 1e6 / s,
        rows as f64 / s,
        rows,
        bytes as f64 / 1e6,
        s
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: qcew_throughput FILE [PASSES]");
    let passes: u32 = args
        .next()
        .map_or(5, |p| p.parse().expect("PASSES is a number"));

    let mut region = resolve_region("C1814").expect("Columbus MSA").counties;
    region.push(AreaFips::us());
    let filter = RowFilter::all().areas(region);

    for (label, opts) in [
        ("full parse", ReadOptions::new()),
        (
            "filtered (C1814 + US000)",
            ReadOptions::new().filter(&filter),
        ),
    ] {
        let (mut bytes, mut rows, mut total) = (0, 0, Duration::ZERO);
        for pass in 1..=passes {
            let start = Instant::now();
            let mut n = 0u64;
            let s = read_path(&path, opts, |r| {
                black_box(&r);
                n += 1;
                Ok::<(), Infallible>(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
            let took = start.elapsed();
            report(&format!("{label} #{pass}"), s.csv_bytes, s.rows, took);
            assert_eq!(n, s.rows_matched);
            bytes += s.csv_bytes;
            rows += s.rows;
            total += took;
        }
        report(&format!("{label} (all passes)"), bytes, rows, total);
    }

    let (mut bytes, mut rows, mut total) = (0, 0, Duration::ZERO);
    for _ in 0..passes {
        let start = Instant::now();
        let mut rdr = csv::ReaderBuilder::new()
            .buffer_capacity(1 << 18)
            .from_path(&path)
            .expect("open");
        let mut rec = csv::ByteRecord::new();
        let mut n = 0u64;
        while rdr.read_byte_record(&mut rec).expect("csv") {
            black_box(&rec);
            n += 1;
        }
        total += start.elapsed();
        bytes += rdr.position().byte();
        rows += n;
    }
    report("bare csv tokenizer (all)", bytes, rows, total);
}
