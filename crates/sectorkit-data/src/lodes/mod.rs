//! A streaming reader of Census LEHD **LODES** origin–destination files
//! (`{st}_od_{main|aux}_{JT}_{year}.csv[.gz]`, LODES 7 and 8) that aggregates block pairs to
//! **county pairs** while reading, and of the block crosswalk `{st}_xwalk.csv[.gz]`
//! ([`xwalk`]: county names and the block vintage, nothing else kept).
//!
//! - Columns are found by header name: `w_geocode, h_geocode, S000, SA01…SA03, SE01…SE03,
//!   SI01…SI03` (`createdate` is not needed). Geocodes are read as 15-character text; the county
//!   is the first 5 characters (METHODS §5.1).
//! - Memory is bounded by the number of county pairs, not rows.
//! - What the file is — state, part, job type, year — comes from its name and/or the caller's
//!   [`OdExpect`]; where both give a value they must agree, or the file is refused. Every row's
//!   workplace block must be in the declared state; in a `main` file the residence block too, and
//!   in an `aux` file the residence must be in another state. Each segment group (age, earnings,
//!   industry) must add up to `S000`. Every error names file, line and field ([`LodesError`]).
//! - Plain or gzip (detected from the magic bytes, not the name); a truncated gzip stream is a
//!   [`LodesErrorKind::Truncated`] error. The SHA-256 of the file as stored is computed while
//!   streaming.
//!
//! Like the rest of this crate, the reader reads, validates and types: the commuting statistics
//! are `sectorkit_core::commute`.

mod error;
pub mod xwalk;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;
use serde::Serialize;
use sha2::{Digest, Sha256};

use sectorkit_core::commute::{Counts, CountyFlow, OdPart, Segment};
use sectorkit_core::us_states::{self, UsState};

pub use error::{LodesError, LodesErrorKind};
pub use xwalk::{Crosswalk, read_xwalk, read_xwalk_path};

/// A LODES job type, `JT00` … `JT05`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct JobType(u8);

impl JobType {
    /// `JT00`, all jobs.
    pub const ALL_JOBS: JobType = JobType(0);

    /// Parses `JT00` … `JT05` (any case).
    pub fn parse(s: &str) -> Option<JobType> {
        let s = s.to_ascii_uppercase();
        let n = s.strip_prefix("JT")?;
        match n {
            "00" | "01" | "02" | "03" | "04" | "05" => n.parse().ok().map(JobType),
            _ => None,
        }
    }

    /// `JT00`.
    pub fn code(self) -> String {
        format!("JT{:02}", self.0)
    }

    /// What the job type counts.
    pub fn title(self) -> &'static str {
        match self.0 {
            0 => "all jobs",
            1 => "primary jobs",
            2 => "all private jobs",
            3 => "private primary jobs",
            4 => "all federal jobs",
            _ => "federal primary jobs",
        }
    }
}

impl std::fmt::Display for JobType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JT{:02}", self.0)
    }
}

/// What an OD file's name says (every part optional: a renamed file says nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OdFileName {
    /// The state of `{st}`.
    pub state: Option<&'static UsState>,
    /// `main` or `aux`.
    pub part: Option<OdPart>,
    /// `JT00` …
    pub job_type: Option<JobType>,
    /// The year.
    pub year: Option<u16>,
}

impl OdFileName {
    /// Parses `{st}_od_{part}_{JT}_{year}.csv[.gz]` (directories ignored). A name of another
    /// shape gives an empty [`OdFileName`].
    pub fn parse(name: &str) -> OdFileName {
        let base = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(name)
            .to_ascii_lowercase();
        let unzipped = base.strip_suffix(".gz").unwrap_or(&base);
        let stem = unzipped.strip_suffix(".csv").unwrap_or(unzipped);
        let parts: Vec<&str> = stem.split('_').collect();
        match parts.as_slice() {
            [st, "od", part, jt, year] => OdFileName {
                state: us_states::by_postal(st),
                part: OdPart::parse(part),
                job_type: JobType::parse(jt),
                year: year.parse().ok().filter(|y: &u16| (2000..2100).contains(y)),
            },
            _ => OdFileName::default(),
        }
    }
}

/// What the caller declares a file to be; `None` = take it from the file name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OdExpect {
    /// State: USPS code (`ri`) or 2-digit FIPS (`44`).
    pub state: Option<String>,
    /// `main` or `aux`.
    pub part: Option<OdPart>,
    /// Job type.
    pub job_type: Option<JobType>,
    /// Year.
    pub year: Option<u16>,
}

/// What an OD file was declared to be (file name and arguments agreeing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OdDeclared {
    /// Two-digit FIPS code of the workplace state.
    pub state: &'static str,
    /// USPS code, upper case.
    pub postal: &'static str,
    /// Main or aux.
    pub part: OdPart,
    /// Job type.
    pub job_type: JobType,
    /// Year.
    pub year: u16,
}

/// A whole OD file, aggregated to county pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct OdFile {
    /// File name without directories.
    pub file_name: String,
    /// SHA-256 (hex) of the file as stored.
    pub sha256: String,
    /// Size in bytes as stored.
    pub bytes: u64,
    /// Whether it was gzipped.
    pub gzip: bool,
    /// State, part, job type and year.
    pub declared: OdDeclared,
    /// Data rows (block pairs) read.
    pub rows: u64,
    /// Sums over all rows: `S000` and each segment.
    pub totals: Counts,
    /// County pairs, sorted by (work, home).
    pub flows: Vec<CountyFlow>,
}

/// The columns every OD file has, in file order after the two geocodes.
const COUNT_COLUMNS: [&str; 10] = [
    "S000", "SA01", "SA02", "SA03", "SE01", "SE02", "SE03", "SI01", "SI02", "SI03",
];

/// Resolves the declaration of `file` from its name and `expect`.
pub fn declare(file: &str, expect: &OdExpect) -> Result<OdDeclared, LodesError> {
    let from_name = OdFileName::parse(file);
    let err = |what: &str, kind: LodesErrorKind| LodesError::new(file, kind).in_field(what);
    let declared_state = match &expect.state {
        None => None,
        Some(s) => Some(
            us_states::by_postal(s)
                .or_else(|| us_states::by_fips(s))
                .ok_or_else(|| {
                    err(
                        "state",
                        LodesErrorKind::BadDeclaration(format!(
                            "{s:?} is not a state (USPS code such as ri, or FIPS such as 44)"
                        )),
                    )
                })?,
        ),
    };
    fn pick<T: PartialEq + Copy>(
        name: Option<T>,
        declared: Option<T>,
        show: impl Fn(T) -> String,
        what: &'static str,
        file: &str,
    ) -> Result<T, LodesError> {
        match (name, declared) {
            (Some(a), Some(b)) if a != b => Err(LodesError::new(
                file,
                LodesErrorKind::Mismatch {
                    in_name: format!("{what} {}", show(a)),
                    declared: format!("{what} {}", show(b)),
                },
            )
            .in_field(what)),
            (Some(a), _) | (None, Some(a)) => Ok(a),
            (None, None) => {
                Err(LodesError::new(file, LodesErrorKind::Undeclared { what }).in_field(what))
            }
        }
    }
    let state = pick(
        from_name.state,
        declared_state,
        |s| format!("{} ({})", s.postal.to_ascii_lowercase(), s.fips),
        "state",
        file,
    )?;
    let part = pick(
        from_name.part,
        expect.part,
        |p| p.as_str().into(),
        "part",
        file,
    )?;
    let job_type = pick(
        from_name.job_type,
        expect.job_type,
        |j| j.code(),
        "job type",
        file,
    )?;
    let year = pick(from_name.year, expect.year, |y| y.to_string(), "year", file)?;
    Ok(OdDeclared {
        state: state.fips,
        postal: state.postal,
        part,
        job_type,
        year,
    })
}

/// Reads an OD file from disk (plain or gzip).
pub fn read_od_path(path: &Path, expect: &OdExpect) -> Result<OdFile, LodesError> {
    let name = file_name(path);
    let f = File::open(path).map_err(|e| LodesError::new(&name, LodesErrorKind::Io(e)))?;
    read_od(&name, f, expect)
}

/// Reads an OD file from any byte stream; `name` is the file name (it declares what the file is
/// unless `expect` does, and it names the file in errors).
pub fn read_od<R: Read>(name: &str, reader: R, expect: &OdExpect) -> Result<OdFile, LodesError> {
    let declared = declare(name, expect)?;
    let mut hashing = HashingRead::new(reader);
    let (gzip, totals, rows, pairs) = {
        let (gzip, input) = open_stream(name, &mut hashing)?;
        let (totals, rows, pairs) = aggregate(name, input, &declared)?;
        (gzip, totals, rows, pairs)
    };
    // Hash whatever the decoder did not need to read (trailing bytes).
    io::copy(&mut hashing, &mut io::sink())
        .map_err(|e| LodesError::new(name, error::classify_io(e)))?;
    let (sha256, bytes) = hashing.finish();
    let mut flows: Vec<CountyFlow> = pairs
        .into_iter()
        .map(|((w, h), counts)| CountyFlow {
            work: format!("{w:05}"),
            home: format!("{h:05}"),
            counts,
        })
        .collect();
    flows.sort_by(|a, b| (&a.work, &a.home).cmp(&(&b.work, &b.home)));
    Ok(OdFile {
        file_name: name.rsplit(['/', '\\']).next().unwrap_or(name).to_string(),
        sha256,
        bytes,
        gzip,
        declared,
        rows,
        totals,
        flows,
    })
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Detects gzip from the first two bytes and returns a buffered stream of the CSV text.
pub(crate) fn open_stream<'a, R: Read + 'a>(
    name: &str,
    reader: R,
) -> Result<(bool, Box<dyn Read + 'a>), LodesError> {
    let mut buf = BufReader::with_capacity(256 * 1024, reader);
    let head = buf
        .fill_buf()
        .map_err(|e| LodesError::new(name, error::classify_io(e)))?;
    if head.is_empty() {
        return Err(LodesError::new(name, LodesErrorKind::Empty));
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok((true, Box::new(MultiGzDecoder::new(buf))))
    } else {
        Ok((false, Box::new(buf)))
    }
}

type Pairs = HashMap<(u32, u32), Counts>;

fn state_label(fips: &str) -> String {
    match us_states::by_fips(fips) {
        Some(s) => format!("{fips} ({})", s.postal),
        None => fips.to_string(),
    }
}

/// The 15-digit geocode, or an error.
fn geocode<'r>(name: &str, line: u64, field: &str, raw: &'r [u8]) -> Result<&'r [u8], LodesError> {
    if raw.len() == 15 && raw.iter().all(u8::is_ascii_digit) {
        Ok(raw)
    } else {
        Err(LodesError::new(
            name,
            LodesErrorKind::BadGeocode(String::from_utf8_lossy(raw).into_owned()),
        )
        .at_line(line)
        .in_field(field))
    }
}

fn county_key(geo: &[u8]) -> u32 {
    geo[..5]
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
}

fn count(name: &str, line: u64, field: &str, raw: &[u8]) -> Result<u64, LodesError> {
    let bad = || {
        LodesError::new(
            name,
            LodesErrorKind::NotANumber(String::from_utf8_lossy(raw).into_owned()),
        )
        .at_line(line)
        .in_field(field)
    };
    if raw.is_empty() || raw.len() > 12 {
        return Err(bad());
    }
    let mut v = 0u64;
    for &b in raw {
        if !b.is_ascii_digit() {
            return Err(bad());
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Ok(v)
}

fn aggregate(
    name: &str,
    input: Box<dyn Read + '_>,
    declared: &OdDeclared,
) -> Result<(Counts, u64, Pairs), LodesError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .buffer_capacity(256 * 1024)
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    let got = rdr
        .read_byte_record(&mut rec)
        .map_err(|e| error::from_csv(name, e, 0))?;
    if !got {
        return Err(LodesError::new(name, LodesErrorKind::Empty));
    }
    let header: Vec<String> = rec
        .iter()
        .map(|f| {
            String::from_utf8_lossy(f)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_string()
        })
        .collect();
    let find = |c: &str| header.iter().position(|h| h.eq_ignore_ascii_case(c));
    let mut missing = Vec::new();
    let mut col = |c: &str| {
        find(c).unwrap_or_else(|| {
            missing.push(c.to_string());
            0
        })
    };
    let w_col = col("w_geocode");
    let h_col = col("h_geocode");
    let count_cols: Vec<usize> = COUNT_COLUMNS.iter().map(|c| col(c)).collect();
    if !missing.is_empty() {
        return Err(LodesError::new(
            name,
            LodesErrorKind::MissingColumns {
                what: "OD",
                missing,
            },
        )
        .at_line(1));
    }
    let fields = header.len();
    let state = declared.state.as_bytes();
    let mut totals = Counts::default();
    let mut pairs: Pairs = HashMap::new();
    let mut rows = 0u64;
    let mut line = 1u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(error::from_csv(name, e, line)),
        }
        line = rec.position().map(|p| p.line()).unwrap_or(line + 1);
        if rec.len() != fields {
            return Err(LodesError::new(
                name,
                LodesErrorKind::FieldCount {
                    expected: fields,
                    found: rec.len(),
                },
            )
            .at_line(line));
        }
        let w = geocode(name, line, "w_geocode", &rec[w_col])?;
        let h = geocode(name, line, "h_geocode", &rec[h_col])?;
        if &w[..2] != state {
            return Err(LodesError::new(
                name,
                LodesErrorKind::WrongState {
                    block: String::from_utf8_lossy(w).into_owned(),
                    found: state_label(&String::from_utf8_lossy(&w[..2])),
                    declared: state_label(declared.state),
                    what: "OD files are organised by workplace state",
                },
            )
            .at_line(line)
            .in_field("w_geocode"));
        }
        let h_in_state = &h[..2] == state;
        match declared.part {
            OdPart::Main if !h_in_state => {
                return Err(LodesError::new(
                    name,
                    LodesErrorKind::WrongState {
                        block: String::from_utf8_lossy(h).into_owned(),
                        found: state_label(&String::from_utf8_lossy(&h[..2])),
                        declared: state_label(declared.state),
                        what: "a main file holds residents of its own state only",
                    },
                )
                .at_line(line)
                .in_field("h_geocode"));
            }
            OdPart::Aux if h_in_state => {
                return Err(LodesError::new(
                    name,
                    LodesErrorKind::ResidenceInAux {
                        block: String::from_utf8_lossy(h).into_owned(),
                        state: state_label(declared.state),
                    },
                )
                .at_line(line)
                .in_field("h_geocode"));
            }
            _ => {}
        }
        let mut c = Counts::default();
        for (i, &ci) in count_cols.iter().enumerate() {
            let v = count(name, line, COUNT_COLUMNS[i], &rec[ci])?;
            if i == 0 {
                c.s000 = v;
            } else {
                c.segments[i - 1] = v;
            }
        }
        for (g, group) in ["SA01+SA02+SA03", "SE01+SE02+SE03", "SI01+SI02+SI03"]
            .into_iter()
            .enumerate()
        {
            let sum: u64 = c.segments[3 * g..3 * g + 3].iter().sum();
            if sum != c.s000 {
                return Err(LodesError::new(
                    name,
                    LodesErrorKind::SegmentSum {
                        group,
                        sum,
                        s000: c.s000,
                    },
                )
                .at_line(line)
                .in_field(Segment::ALL[3 * g + 2].code()));
            }
        }
        totals.add(&c);
        pairs
            .entry((county_key(w), county_key(h)))
            .or_default()
            .add(&c);
        rows += 1;
    }
    if rows == 0 {
        return Err(LodesError::new(name, LodesErrorKind::NoDataRows));
    }
    Ok((totals, rows, pairs))
}

/// Feeds the SHA-256 with every byte read, in order.
pub(crate) struct HashingRead<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingRead<R> {
    pub(crate) fn new(inner: R) -> HashingRead<R> {
        HashingRead {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// (SHA-256 hex, bytes read).
    pub(crate) fn finish(self) -> (String, u64) {
        (hex::encode(self.hasher.finalize()), self.bytes)
    }
}

impl<R: Read> Read for HashingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "w_geocode,h_geocode,S000,SA01,SA02,SA03,SE01,SE02,SE03,SI01,SI02,SI03,createdate\n";

    fn read(name: &str, body: &str, expect: &OdExpect) -> Result<OdFile, LodesError> {
        read_od(name, format!("{HEADER}{body}").as_bytes(), expect)
    }

    #[test]
    fn file_names() {
        let n = OdFileName::parse("/x/ri_od_main_JT00_2019.csv.gz");
        assert_eq!(n.state.map(|s| s.fips), Some("44"));
        assert_eq!(n.part, Some(OdPart::Main));
        assert_eq!(n.job_type, Some(JobType::ALL_JOBS));
        assert_eq!(n.year, Some(2019));
        let n = OdFileName::parse("MA_OD_AUX_JT03_2021.csv");
        assert_eq!(
            (n.state.map(|s| s.postal), n.part, n.year),
            (Some("MA"), Some(OdPart::Aux), Some(2021))
        );
        assert_eq!(n.job_type.map(|j| j.code()), Some("JT03".to_string()));
        assert_eq!(OdFileName::parse("flows.csv"), OdFileName::default());
        assert!(JobType::parse("JT06").is_none());
    }

    #[test]
    fn aggregates_to_county_pairs() {
        let f = read(
            "ri_od_main_JT00_2019.csv",
            "440010301001008,440010301003019,2,1,1,0,1,1,0,0,0,2,20211018\n\
             440010301001009,440010301003020,3,0,3,0,0,0,3,3,0,0,20211018\n\
             440070001001000,440010301003020,1,0,0,1,1,0,0,0,1,0,20211018\n",
            &OdExpect::default(),
        )
        .unwrap();
        assert_eq!(f.rows, 3);
        assert_eq!(f.totals.s000, 6);
        assert_eq!(f.totals.segments, [1, 4, 1, 2, 1, 3, 3, 1, 2]);
        assert_eq!(f.flows.len(), 2);
        assert_eq!(
            (f.flows[0].work.as_str(), f.flows[0].home.as_str()),
            ("44001", "44001")
        );
        assert_eq!(f.flows[0].counts.s000, 5);
        assert_eq!(f.flows[1].work, "44007");
        assert!(!f.gzip);
        assert_eq!(f.sha256.len(), 64);
    }

    #[test]
    fn refuses_rows_of_another_state() {
        let body = "440010301001008,440010301003019,1,1,0,0,1,0,0,0,0,1,20211018\n";
        let e = read("ma_od_main_JT00_2019.csv", body, &OdExpect::default()).unwrap_err();
        assert_eq!((e.line(), e.field()), (Some(2), Some("w_geocode")));
        let msg = e.to_string();
        assert!(
            msg.starts_with("ma_od_main_JT00_2019.csv: line 2, field w_geocode:"),
            "{msg}"
        );
        assert!(msg.contains("44 (RI)") && msg.contains("25 (MA)"), "{msg}");

        // A main file with an out-of-state residence.
        let body = "440010301001008,440010301003019,1,1,0,0,1,0,0,0,0,1,20211018\n\
                    440010301001008,250056321001012,1,1,0,0,1,0,0,0,0,1,20211018\n";
        let e = read("ri_od_main_JT00_2019.csv", body, &OdExpect::default()).unwrap_err();
        assert_eq!((e.line(), e.field()), (Some(3), Some("h_geocode")));
        // The same rows declared aux: the in-state residence is refused.
        let e = read("ri_od_aux_JT00_2019.csv", body, &OdExpect::default()).unwrap_err();
        assert_eq!((e.line(), e.field()), (Some(2), Some("h_geocode")));
        assert!(e.to_string().contains("aux file"), "{e}");
    }

    #[test]
    fn declarations_must_agree_with_the_name() {
        let body = "440010301001008,440010301003019,1,1,0,0,1,0,0,0,0,1,20211018\n";
        let e = read(
            "ri_od_main_JT00_2019.csv",
            body,
            &OdExpect {
                year: Some(2018),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("year"));
        assert!(e.to_string().contains("year 2019") && e.to_string().contains("year 2018"));
        let e = read("flows.csv", body, &OdExpect::default()).unwrap_err();
        assert!(e.to_string().contains("cannot tell the state"), "{e}");
        let ok = read(
            "flows.csv",
            body,
            &OdExpect {
                state: Some("44".into()),
                part: Some(OdPart::Main),
                job_type: Some(JobType::ALL_JOBS),
                year: Some(2019),
            },
        )
        .unwrap();
        assert_eq!(ok.declared.postal, "RI");
    }

    #[test]
    fn bad_values_name_line_and_field() {
        for (row, field, what) in [
            (
                "440010301001008,440010301003019,1x,1,0,0,1,0,0,0,0,1,0\n",
                "S000",
                "job count",
            ),
            (
                "440010301001008,440010301003019,1,1,0,0,1,0,0,0,0,-1,0\n",
                "SI03",
                "job count",
            ),
            (
                "44001030100100,440010301003019,1,1,0,0,1,0,0,0,0,1,0\n",
                "w_geocode",
                "15-digit",
            ),
            (
                "440010301001008,440010301003019,2,1,0,0,2,0,0,0,0,2,0\n",
                "SA03",
                "add up",
            ),
            (
                "440010301001008,440010301003019,1,1,0,0,1,0,0,0,0,1\n",
                "",
                "fields",
            ),
        ] {
            let e = read("ri_od_main_JT00_2019.csv", row, &OdExpect::default()).unwrap_err();
            assert_eq!(e.line(), Some(2), "{e}");
            if !field.is_empty() {
                assert_eq!(e.field(), Some(field), "{e}");
            }
            assert!(e.to_string().contains(what), "{e}");
        }
        let e = read_od(
            "ri_od_main_JT00_2019.csv",
            "w_geocode,h_geocode,S000\n".as_bytes(),
            &OdExpect::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("lacks SA01"), "{e}");
        let e = read("ri_od_main_JT00_2019.csv", "", &OdExpect::default()).unwrap_err();
        assert!(matches!(e.kind(), LodesErrorKind::NoDataRows));
    }

    #[test]
    fn gzip_and_truncated_gzip() {
        use flate2::{Compression, write::GzEncoder};
        use std::io::Write;
        let mut text = String::from(HEADER);
        for i in 0..5000 {
            text.push_str(&format!(
                "4400103010{i:05},440010301003019,1,1,0,0,1,0,0,0,0,1,20211018\n"
            ));
        }
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(text.as_bytes()).unwrap();
        let gz = enc.finish().unwrap();
        let f = read_od(
            "ri_od_main_JT00_2019.csv.gz",
            gz.as_slice(),
            &OdExpect::default(),
        )
        .unwrap();
        assert!(f.gzip);
        assert_eq!((f.rows, f.totals.s000), (5000, 5000));
        assert_eq!(f.bytes, gz.len() as u64);
        let cut = &gz[..gz.len() / 2];
        let e = read_od("ri_od_main_JT00_2019.csv.gz", cut, &OdExpect::default()).unwrap_err();
        assert!(matches!(e.kind(), LodesErrorKind::Truncated(_)), "{e}");
        assert!(e.to_string().contains("truncated"), "{e}");
        assert!(e.line().is_some());
    }
}
