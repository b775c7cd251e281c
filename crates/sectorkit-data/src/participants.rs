//! Reader for participant records from a training provider or workforce system (CSV or xlsx),
//! through a column mapping, into [`ParticipantRecord`]s that carry no direct identifier.
//!
//! - **Pseudonymized ids.** The provider's participant id becomes
//!   `HMAC-SHA256(partnership key, id)` (hex): the same person gets the same key on every
//!   re-import of that partnership, the raw id is never stored, and without the key a pseudonym
//!   cannot be checked against a guessed id.
//! - **No Social Security numbers.** A value shaped like one (`123-45-6789`, `123 45 6789`,
//!   anywhere in the file, mapped or not; or nine bare digits in the participant-id column) is
//!   refused with its line and column, and the whole file is refused.
//! - **No birth dates.** A date of birth is reduced to an age band (at exit, else at enrolment,
//!   else on the import day) and dropped.
//! - **A mapping** says which of the file's columns holds each of our fields ([`Field`]); the
//!   default is our field's code as the column name, matched ignoring case, spaces and `_`.
//!
//! Every problem names the line (the header is line 1) and the field, up to [`MAX_ERRORS`];
//! one problem refuses the file (the import is all or nothing). Bounded by [`MAX_ROWS`].

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use sectorkit_core::day::Day;
use sectorkit_core::outcomes::{
    Credential, Demographics, Participant, ParticipantRecord, age_band,
};
use sha2::{Digest, Sha256};

/// The most data rows one import reads.
pub const MAX_ROWS: usize = 50_000;
/// The most problems reported for one file.
pub const MAX_ERRORS: usize = 200;

/// How a field's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    YesNo,
    Dollars,
    Number,
    CredentialKind,
    County,
}

macro_rules! fields {
    ($($v:ident = $code:literal, $label:literal, $kind:ident, $req:literal;)*) => {
        /// One of our fields a column can be mapped to.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field { $($v,)* }
        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$v,)*];
            pub fn code(self) -> &'static str { match self { $(Field::$v => $code,)* } }
            pub fn label(self) -> &'static str { match self { $(Field::$v => $label,)* } }
            pub fn kind(self) -> Kind { match self { $(Field::$v => Kind::$kind,)* } }
            pub fn required(self) -> bool { match self { $(Field::$v => $req,)* } }
            pub fn parse(code: &str) -> Option<Field> {
                Self::ALL.iter().copied().find(|f| f.code() == code)
            }
        }
    };
}

fields! {
    ParticipantId = "participant_id", "Participant id (pseudonymized on import)", Text, true;
    Program = "program", "Program", Text, true;
    EnrolledOn = "enrolled_on", "Enrollment date", Date, false;
    ExitedOn = "exited_on", "Exit date", Date, false;
    Excluded = "excluded", "Excluded from exit-based indicators (yes/no)", YesNo, false;
    InTraining = "in_training", "In education or training, not OJT or customized (yes/no)", YesNo, false;
    Completed = "completed", "Completed the program (yes/no)", YesNo, false;
    CredentialAttained = "credential", "Credential (none, postsecondary, secondary)", CredentialKind, false;
    CredentialOn = "credential_on", "Credential date", Date, false;
    PostsecondaryEnrolled = "postsecondary_enrolled", "Enrolled in postsecondary education within a year of exit (yes/no)", YesNo, false;
    SkillGain = "skill_gain", "Measurable skill gain in the program year (yes/no)", YesNo, false;
    EmployedQ2 = "employed_q2", "Employed in the 2nd quarter after exit (yes/no)", YesNo, false;
    EarningsQ2 = "earnings_q2", "Earnings in the 2nd quarter after exit ($)", Dollars, false;
    EmployerQ2 = "employer_q2", "Employer in the 2nd quarter (FEIN or UI account)", Text, false;
    EmployedQ4 = "employed_q4", "Employed in the 4th quarter after exit (yes/no)", YesNo, false;
    EarningsQ4 = "earnings_q4", "Earnings in the 4th quarter after exit ($)", Dollars, false;
    EmployerQ4 = "employer_q4", "Employer in the 4th quarter (FEIN or UI account)", Text, false;
    SameEmployer = "same_employer", "Same employer in the 2nd and 4th quarters (yes/no)", YesNo, false;
    HourlyWage = "hourly_wage", "Hourly wage at placement ($)", Dollars, false;
    Hours = "hours", "Weekly hours at placement", Number, false;
    WageBefore = "wage_before", "Hourly wage before the program ($)", Dollars, false;
    Benefits = "benefits", "Job offers benefits (yes/no)", YesNo, false;
    Bargaining = "bargaining", "Covered by a bargaining, PLA or CBA agreement (yes/no)", YesNo, false;
    County = "county", "County of residence (5-digit FIPS)", County, false;
    Sex = "sex", "Sex", Text, false;
    RaceEthnicity = "race_ethnicity", "Race / ethnicity", Text, false;
    DateOfBirth = "date_of_birth", "Date of birth (reduced to an age band, never stored)", Date, false;
    AgeBand = "age_band", "Age band (when no date of birth)", Text, false;
    Veteran = "veteran", "Veteran (yes/no)", YesNo, false;
    Disability = "disability", "Disability (yes/no)", YesNo, false;
    LowIncome = "low_income", "Low income (yes/no)", YesNo, false;
    JusticeInvolved = "justice_involved", "Justice-involved (yes/no)", YesNo, false;
    EnglishLearner = "english_learner", "English learner (yes/no)", YesNo, false;
}

/// Which column of the file holds each field (by header text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(pub BTreeMap<Field, String>);

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Mapping {
    /// A mapping for `headers`: the saved one where its column exists in the file, else the
    /// column named like the field.
    pub fn suggest(headers: &[String], saved: &Mapping) -> Mapping {
        let mut m = BTreeMap::new();
        for &f in Field::ALL {
            let pick = saved
                .0
                .get(&f)
                .and_then(|col| headers.iter().find(|h| norm(h) == norm(col)))
                .or_else(|| headers.iter().find(|h| norm(h) == norm(f.code())));
            if let Some(h) = pick {
                m.insert(f, h.clone());
            }
        }
        Mapping(m)
    }

    /// The mapping as `field=column` pairs (for saving).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.0
            .iter()
            .map(|(f, c)| (f.code().to_string(), c.clone()))
            .collect()
    }

    pub fn from_pairs(pairs: &[(String, String)]) -> Mapping {
        Mapping(
            pairs
                .iter()
                .filter(|(_, c)| !c.trim().is_empty())
                .filter_map(|(f, c)| Some((Field::parse(f)?, c.trim().to_string())))
                .collect(),
        )
    }

    /// Required fields with no column.
    pub fn missing(&self) -> Vec<Field> {
        Field::ALL
            .iter()
            .copied()
            .filter(|f| f.required() && !self.0.contains_key(f))
            .collect()
    }
}

/// A problem with one value (or with the file, at line 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// A file read into text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// How the file was read, for the user: "xlsx", or a CSV's encoding and separator
    /// ("UTF-8, comma-separated", "Windows-1252, semicolon-separated" …).
    pub read_as: String,
    pub headers: Vec<String>,
    /// (line number, cells).
    pub rows: Vec<(usize, Vec<String>)>,
}

fn file_error(message: String) -> Vec<RowError> {
    vec![RowError {
        line: 0,
        field: String::new(),
        message,
    }]
}

/// Reads a CSV (UTF-8, BOM allowed) or an xlsx workbook (its first sheet) into text cells.
pub fn read_sheet(file_name: &str, bytes: &[u8]) -> Result<Sheet, Vec<RowError>> {
    let is_xlsx =
        bytes.starts_with(b"PK\x03\x04") || file_name.to_ascii_lowercase().ends_with(".xlsx");
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut read_as = String::from("xlsx");
    if is_xlsx {
        let mut book = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| file_error(format!("{file_name} is not a readable xlsx workbook: {e}")))?;
        let name = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| file_error(format!("{file_name} has no sheet")))?;
        let range = book
            .worksheet_range(&name)
            .map_err(|e| file_error(format!("{file_name}, sheet {name}: {e}")))?;
        for (i, r) in range.rows().enumerate() {
            // The header, MAX_ROWS data rows and one more to tell that there are too many.
            if rows.len() > MAX_ROWS + 1 {
                break;
            }
            rows.push((i + 1, r.iter().map(xlsx_text).collect()));
        }
    } else {
        if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            return Err(file_error(format!(
                "{file_name} is UTF-16 text: save it as CSV UTF-8 (or xlsx)"
            )));
        }
        if let Some(at) = memchr::memchr(0, bytes) {
            return Err(file_error(format!(
                "{file_name} is not a text file (a zero byte at byte {at}): upload a CSV or an xlsx workbook"
            )));
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        // Not UTF-8: read as Windows-1252, what spreadsheet programs on Windows save as "CSV".
        let (text, encoding) = match std::str::from_utf8(body) {
            Ok(t) => (std::borrow::Cow::Borrowed(t), "UTF-8"),
            Err(_) => (std::borrow::Cow::Owned(windows_1252(body)), "Windows-1252"),
        };
        let delimiter = sniff_delimiter(&text);
        read_as = format!(
            "{encoding}, {}-separated",
            match delimiter {
                b';' => "semicolon",
                b'\t' => "tab",
                b'|' => "pipe",
                _ => "comma",
            }
        );
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        for rec in rd.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                vec![RowError {
                    line,
                    field: String::new(),
                    message: format!("{file_name}: not readable as CSV: {e}"),
                }]
            })?;
            if rows.len() > MAX_ROWS + 1 {
                break;
            }
            let line = rec.position().map_or(rows.len() + 1, |p| p.line() as usize);
            rows.push((line, rec.iter().map(str::to_string).collect()));
        }
    }
    rows.retain(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    if rows.is_empty() {
        return Err(file_error(format!("{file_name} is empty")));
    }
    let (_, headers) = rows.remove(0);
    if rows.len() > MAX_ROWS {
        return Err(file_error(format!(
            "{file_name} has more than {MAX_ROWS} rows (the limit of one import): split it"
        )));
    }
    Ok(Sheet {
        read_as,
        headers: headers.into_iter().map(|h| h.trim().to_string()).collect(),
        rows,
    })
}

/// The separator of a CSV: of `,` `;` tab and `|`, the one the first line has most of outside
/// quotes (a comma on a tie or when there is none).
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for b in first.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            b'|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t', b'|'];
    let best = (0..4)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 { b',' } else { seps[best] }
}

/// Windows-1252 bytes as text (0x80–0x9F are its printable extras; the rest is Latin-1).
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn xlsx_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        Data::Float(x) => x.to_string(),
        Data::Int(x) => x.to_string(),
        Data::Bool(b) => if *b { "yes" } else { "no" }.into(),
        // An Excel date serial: days since 1899-12-30 (25,569 of them before 1970-01-01).
        Data::DateTime(d) => {
            Day::from_unix(((d.as_f64().floor() - 25_569.0) * 86_400.0) as i64).to_string()
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The pseudonym of a provider's participant id (trimmed) under the partnership key.
pub fn pseudonym(key: &[u8], participant_id: &str) -> String {
    hex::encode(hmac_sha256(key, participant_id.trim().as_bytes()))
}

/// Whether `v` is shaped like a Social Security number with separators.
pub fn ssn_shaped(v: &str) -> bool {
    let b = v.trim().as_bytes();
    b.len() == 11
        && b.iter().enumerate().all(|(i, c)| match i {
            3 | 6 => *c == b'-' || *c == b' ',
            _ => c.is_ascii_digit(),
        })
        && b[3] == b[6]
}

fn yes_no(v: &str) -> Result<Option<bool>, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "yes" | "y" | "true" | "t" | "1" | "x" => Ok(Some(true)),
        "no" | "n" | "false" | "f" | "0" => Ok(Some(false)),
        other => Err(format!(
            "{other:?} is not yes or no (or empty when not known)"
        )),
    }
}

/// `2024-02-10`, `2/10/2024` or `02/10/2024`.
pub fn date(v: &str) -> Result<Option<Day>, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if let Ok(d) = v.parse::<Day>() {
        return Ok(Some(d));
    }
    let parts: Vec<&str> = v.split('/').collect();
    if let [m, d, y] = parts.as_slice()
        && let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<i32>())
        && y >= 1900
        && let Some(day) = Day::ymd(y, m, d)
    {
        return Ok(Some(day));
    }
    Err(format!("{v:?} is not a date (use 2024-02-10 or 2/10/2024)"))
}

fn dollars(v: &str) -> Result<Option<f64>, String> {
    let t: String = v
        .trim()
        .chars()
        .filter(|c| *c != '$' && *c != ',')
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(Some(x)),
        Ok(_) => Err(format!("{v:?} is negative: amounts are 0 or more")),
        Err(_) => Err(format!("{v:?} is not an amount in dollars")),
    }
}

fn credential(v: &str) -> Result<Option<Credential>, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "none" | "no" | "0" => Ok(Some(Credential::None)),
        "postsecondary"
        | "certificate"
        | "certification"
        | "license"
        | "degree"
        | "associate"
        | "bachelor"
        | "industry credential" => Ok(Some(Credential::Postsecondary)),
        "secondary" | "hs diploma" | "ged" | "hse" | "high school diploma" => {
            Ok(Some(Credential::SecondaryDiploma))
        }
        other => Err(format!(
            "{other:?} is not a credential kind: none, postsecondary (certificate, license, degree) or secondary (HS diploma, GED)"
        )),
    }
}

/// What an import would save: the records, or every problem found.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub records: Vec<ParticipantRecord>,
    /// Rows that had the same participant and program as an earlier row (the later wins).
    pub duplicates: usize,
}

/// Reads `sheet` through `mapping` into records keyed under `key`; `today` is the day an age
/// band falls back to.
pub fn parse(
    sheet: &Sheet,
    mapping: &Mapping,
    key: &[u8],
    today: Day,
) -> Result<Parsed, Vec<RowError>> {
    let mut p = RowParser::new(&sheet.headers, mapping, key, today)?;
    for (line, cells) in &sheet.rows {
        p.push(*line, cells);
    }
    p.finish()
}

/// The row-by-row reader behind [`parse`], for callers that stream a file too large to hold as
/// text (the command line's import): feed it rows, then [`RowParser::finish`].
pub struct RowParser<'k> {
    headers: Vec<String>,
    col: BTreeMap<Field, usize>,
    id_col: usize,
    key: &'k [u8],
    today: Day,
    errors: Vec<RowError>,
    records: Vec<ParticipantRecord>,
    seen: std::collections::HashMap<u64, Vec<usize>>,
    duplicates: usize,
}

impl<'k> RowParser<'k> {
    /// Checks the mapping against the file's header.
    pub fn new(
        headers: &[String],
        mapping: &Mapping,
        key: &'k [u8],
        today: Day,
    ) -> Result<RowParser<'k>, Vec<RowError>> {
        let mut errors: Vec<RowError> = Vec::new();
        let missing = mapping.missing();
        if !missing.is_empty() {
            return Err(missing
                .into_iter()
                .map(|f| RowError {
                    line: 1,
                    field: f.code().into(),
                    message: format!("no column is mapped to {} (required)", f.label()),
                })
                .collect());
        }
        let mut col: BTreeMap<Field, usize> = BTreeMap::new();
        for (f, name) in &mapping.0 {
            match headers.iter().position(|h| norm(h) == norm(name)) {
                Some(i) => {
                    col.insert(*f, i);
                }
                None => errors.push(RowError {
                    line: 1,
                    field: f.code().into(),
                    message: format!("the file has no column {name:?} (mapped to {})", f.label()),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let id_col = col[&Field::ParticipantId];
        Ok(RowParser {
            headers: headers.to_vec(),
            col,
            id_col,
            key,
            today,
            errors: Vec::new(),
            records: Vec::new(),
            seen: std::collections::HashMap::new(),
            duplicates: 0,
        })
    }

    /// Problems found so far (the file is refused if there is any).
    pub fn error_count(&self) -> usize {
        self.errors.len()
    }

    /// Reads one data row (`line` is its line in the file).
    pub fn push(&mut self, line: usize, cells: &[String]) {
        let (col, id_col, key, today, headers) =
            (&self.col, self.id_col, self.key, self.today, &self.headers);
        let errors = &mut self.errors;
        let mut bad = |field: &str, message: String| {
            if errors.len() < MAX_ERRORS {
                errors.push(RowError {
                    line,
                    field: field.to_string(),
                    message,
                });
            }
        };
        // Social Security numbers: anywhere in the row, mapped or not.
        for (i, v) in cells.iter().enumerate() {
            let nine_digits =
                i == id_col && v.trim().len() == 9 && v.trim().bytes().all(|b| b.is_ascii_digit());
            if ssn_shaped(v) || nine_digits {
                let column = headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("column {}", i + 1));
                bad(
                    &column,
                    "looks like a Social Security number: remove it from the file (participant ids must not be SSNs); nothing was imported".into(),
                );
            }
        }
        let get = |f: Field| {
            col.get(&f)
                .and_then(|&i| cells.get(i))
                .map_or("", |s| s.trim())
        };
        let mut r = ParticipantRecord::default();
        let mut o = Participant::default();
        let mut d = Demographics::default();
        let id = get(Field::ParticipantId);
        if id.is_empty() {
            bad(
                Field::ParticipantId.code(),
                "empty: every row needs the provider's participant id".into(),
            );
        }
        r.program = get(Field::Program).to_string();
        if r.program.is_empty() {
            bad(
                Field::Program.code(),
                "empty: every row needs its program".into(),
            );
        } else if r.program.chars().count() > 80 {
            bad(Field::Program.code(), "longer than 80 characters".into());
        }
        let mut birth: Option<Day> = None;
        for &f in Field::ALL {
            let v = get(f);
            let res: Result<(), String> = match f.kind() {
                Kind::YesNo => yes_no(v).map(|b| match f {
                    Field::Excluded => o.excluded = b.unwrap_or(false),
                    Field::InTraining => o.in_training = b.unwrap_or(false),
                    Field::Completed => r.completed = b,
                    Field::PostsecondaryEnrolled => o.postsecondary_enrolled = b,
                    Field::SkillGain => o.skill_gain = b,
                    Field::EmployedQ2 => o.employed_q2 = b,
                    Field::EmployedQ4 => o.employed_q4 = b,
                    Field::SameEmployer => o.same_employer = b,
                    Field::Benefits => o.benefits = b,
                    Field::Bargaining => o.bargaining = b,
                    Field::Veteran => d.veteran = b,
                    Field::Disability => d.disability = b,
                    Field::LowIncome => d.low_income = b,
                    Field::JusticeInvolved => d.justice_involved = b,
                    Field::EnglishLearner => d.english_learner = b,
                    _ => {}
                }),
                Kind::Date => date(v).map(|x| match f {
                    Field::EnrolledOn => r.enrolled_on = x,
                    Field::ExitedOn => o.exited_on = x,
                    Field::CredentialOn => o.credential_on = x,
                    Field::DateOfBirth => birth = x,
                    _ => {}
                }),
                Kind::Dollars | Kind::Number => dollars(v).map(|x| match f {
                    Field::EarningsQ2 => o.earnings_q2 = x,
                    Field::EarningsQ4 => r.earnings_q4 = x,
                    Field::HourlyWage => o.hourly_wage = x,
                    Field::WageBefore => o.wage_before = x,
                    Field::Hours => r.hours = x,
                    _ => {}
                }),
                Kind::CredentialKind => credential(v).map(|c| o.credential = c),
                Kind::County => {
                    if v.is_empty() {
                        Ok(())
                    } else if v.len() == 5 && v.bytes().all(|b| b.is_ascii_digit()) {
                        r.county = Some(v.to_string());
                        Ok(())
                    } else {
                        Err(format!("{v:?} is not a 5-digit county FIPS code"))
                    }
                }
                Kind::Text => {
                    if v.chars().count() > 80 {
                        Err("longer than 80 characters".into())
                    } else {
                        let t = (!v.is_empty()).then(|| v.to_string());
                        match f {
                            Field::EmployerQ2 => r.employer_q2 = t,
                            Field::EmployerQ4 => r.employer_q4 = t,
                            Field::Sex => d.sex = t,
                            Field::RaceEthnicity => d.race_ethnicity = t,
                            Field::AgeBand => d.age_band = t,
                            _ => {}
                        }
                        Ok(())
                    }
                }
            };
            if let Err(m) = res {
                bad(f.code(), m);
            }
        }
        if let (Some(a), Some(b)) = (r.enrolled_on, o.exited_on)
            && b < a
        {
            bad(
                Field::ExitedOn.code(),
                format!("{b} is before the enrollment date {a}"),
            );
        }
        if o.same_employer.is_none()
            && let (Some(a), Some(b)) = (&r.employer_q2, &r.employer_q4)
        {
            o.same_employer = Some(norm(a) == norm(b));
        }
        if let Some(born) = birth {
            let on = o.exited_on.or(r.enrolled_on).unwrap_or(today);
            match age_band(born, on) {
                Some(band) => d.age_band = Some(band.to_string()),
                None => bad(Field::DateOfBirth.code(), format!("{born} is after {on}")),
            }
        }
        if !errors.is_empty() {
            return;
        }
        r.key = pseudonym(key, id);
        r.outcome = o;
        r.demographics = d;
        // Duplicates (same person and program) by a hash of the pair, confirmed on the records
        // themselves: no second copy of a million keys.
        let h = {
            use std::hash::{Hash, Hasher};
            let mut hs = std::collections::hash_map::DefaultHasher::new();
            (&r.key, &r.program).hash(&mut hs);
            hs.finish()
        };
        let bucket = self.seen.entry(h).or_default();
        match bucket
            .iter()
            .copied()
            .find(|&at| self.records[at].key == r.key && self.records[at].program == r.program)
        {
            Some(at) => {
                self.duplicates += 1;
                self.records[at] = r;
            }
            None => {
                bucket.push(self.records.len());
                self.records.push(r);
            }
        }
    }

    /// The records, or every problem found.
    pub fn finish(self) -> Result<Parsed, Vec<RowError>> {
        if self.errors.is_empty() {
            Ok(Parsed {
                records: self.records,
                duplicates: self.duplicates,
            })
        } else {
            Err(self.errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a 131-byte key (hashed first).
        assert_eq!(
            hex::encode(hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn ssn_shapes() {
        assert!(ssn_shaped("123-45-6789"));
        assert!(ssn_shaped(" 123 45 6789 "));
        assert!(!ssn_shaped("123-456-789"));
        assert!(!ssn_shaped("123-45 6789"));
        assert!(!ssn_shaped("P-2024-0001"));
    }

    const CSV: &str = "Client ID,Program Name,Exit Date,Employed Q2,Q2 Earnings,DOB,Gender,Employer Q2,Employer Q4,Employed Q4\n\
        A-1,CNC Bootcamp,2024-02-10,yes,\"$6,000\",2000-06-15,F,11-111,11-111,yes\n\
        A-2,CNC Bootcamp,2/20/2024,no,,1970-01-01,M,,,no\n\
        A-3,CNC Bootcamp,,,,,,,,\n";

    fn mapping() -> Mapping {
        Mapping::from_pairs(&[
            ("participant_id".into(), "client id".into()),
            ("program".into(), "Program Name".into()),
            ("exited_on".into(), "Exit Date".into()),
            ("employed_q2".into(), "Employed Q2".into()),
            ("earnings_q2".into(), "Q2 Earnings".into()),
            ("date_of_birth".into(), "DOB".into()),
            ("sex".into(), "Gender".into()),
            ("employer_q2".into(), "Employer Q2".into()),
            ("employer_q4".into(), "Employer Q4".into()),
            ("employed_q4".into(), "Employed Q4".into()),
        ])
    }

    #[test]
    fn a_mapped_file_becomes_pseudonymous_records() {
        let sheet = read_sheet("p.csv", CSV.as_bytes()).unwrap();
        let p = parse(&sheet, &mapping(), b"key-1", day("2026-01-01")).unwrap();
        assert_eq!(p.records.len(), 3);
        let a1 = &p.records[0];
        assert_eq!(a1.key, pseudonym(b"key-1", "A-1"));
        assert_ne!(
            a1.key,
            pseudonym(b"key-2", "A-1"),
            "another partnership's key"
        );
        assert!(!a1.key.contains("A-1"));
        assert_eq!(a1.outcome.exited_on, Some(day("2024-02-10")));
        assert_eq!(a1.outcome.earnings_q2, Some(6000.0));
        assert_eq!(
            a1.outcome.same_employer,
            Some(true),
            "derived from the employer ids"
        );
        assert_eq!(
            a1.demographics.age_band.as_deref(),
            Some("18-24"),
            "age at exit"
        );
        assert_eq!(a1.demographics.sex.as_deref(), Some("F"));
        let a2 = &p.records[1];
        assert_eq!(a2.outcome.exited_on, Some(day("2024-02-20")));
        assert_eq!(a2.outcome.employed_q2, Some(false));
        assert_eq!(a2.demographics.age_band.as_deref(), Some("45-54"));
        let a3 = &p.records[2];
        assert_eq!(a3.outcome.employed_q2, None, "empty is unknown, not no");
        assert_eq!(a3.demographics.age_band, None);
    }

    #[test]
    fn the_saved_mapping_is_reused_and_names_are_matched_loosely() {
        let sheet = read_sheet("p.csv", CSV.as_bytes()).unwrap();
        let m = Mapping::suggest(&sheet.headers, &mapping());
        assert_eq!(m.0[&Field::ParticipantId], "Client ID");
        assert!(m.missing().is_empty());
        // Without a saved mapping only columns named like our fields are found.
        let bare = Mapping::suggest(&sheet.headers, &Mapping::default());
        assert_eq!(bare.missing(), vec![Field::ParticipantId, Field::Program]);
        let e = parse(&sheet, &bare, b"k", day("2026-01-01")).unwrap_err();
        assert_eq!(e[0].line, 1);
        assert_eq!(e[0].field, "participant_id");
    }

    #[test]
    fn bad_values_are_named_by_line_and_field_and_refuse_the_file() {
        let csv = "participant_id,program,exited_on,enrolled_on,employed_q2,hourly_wage,county,credential\n\
                   P1,CNC,2024-13-01,,maybe,-3,3904,phd\n\
                   P2,CNC,2024-01-01,2024-03-01,,,,\n\
                   ,,,,,,,\n\
                   P4,,,,,,,\n";
        let sheet = read_sheet("p.csv", csv.as_bytes()).unwrap();
        let m = Mapping::suggest(&sheet.headers, &Mapping::default());
        let e = parse(&sheet, &m, b"k", day("2026-01-01")).unwrap_err();
        let got: Vec<(usize, &str)> = e.iter().map(|e| (e.line, e.field.as_str())).collect();
        for want in [
            (2, "exited_on"),
            (2, "employed_q2"),
            (2, "hourly_wage"),
            (2, "county"),
            (2, "credential"),
            (3, "exited_on"),
            (5, "program"),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
        // The all-empty line 4 is skipped, not an error.
        assert!(!got.iter().any(|(l, _)| *l == 4));
    }

    #[test]
    fn social_security_numbers_are_refused_wherever_they_are() {
        let csv = "participant_id,program,notes\nP1,CNC,123-45-6789\n123456789,CNC,\nP3,CNC,fine\n";
        let sheet = read_sheet("p.csv", csv.as_bytes()).unwrap();
        let m = Mapping::suggest(&sheet.headers, &Mapping::default());
        let e = parse(&sheet, &m, b"k", day("2026-01-01")).unwrap_err();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].line, e[0].field.as_str()), (2, "notes"));
        assert_eq!((e[1].line, e[1].field.as_str()), (3, "participant_id"));
        assert!(e[0].message.contains("Social Security"));
    }

    #[test]
    fn duplicates_keep_the_last_row_and_bounds_hold() {
        let csv = "participant_id,program,employed_q2\nP1,CNC,no\nP1,CNC,yes\nP1,Welding,no\n";
        let sheet = read_sheet("p.csv", csv.as_bytes()).unwrap();
        let m = Mapping::suggest(&sheet.headers, &Mapping::default());
        let p = parse(&sheet, &m, b"k", day("2026-01-01")).unwrap();
        assert_eq!((p.records.len(), p.duplicates), (2, 1));
        assert_eq!(p.records[0].outcome.employed_q2, Some(true));
        let mut big = String::from("participant_id,program\n");
        for i in 0..=MAX_ROWS {
            big.push_str(&format!("P{i},X\n"));
        }
        let e = read_sheet("big.csv", big.as_bytes())
            .map(|s| s.rows.len())
            .unwrap_err();
        assert!(e[0].message.contains("more than 50000 rows"), "{e:?}");
        assert!(read_sheet("e.csv", b"\n\n").is_err());
        assert!(
            read_sheet("u16.csv", &[0xff, 0xfe, b'a', 0x00]).unwrap_err()[0]
                .message
                .contains("UTF-16")
        );
        assert!(
            read_sheet("bin.csv", b"ab\x00cd").unwrap_err()[0]
                .message
                .contains("not a text file")
        );
    }

    #[test]
    fn encodings_and_separators_are_detected() {
        // A Windows-1252 file with semicolons: read, and said how.
        let bytes = b"participant_id;program;sex\nP1;Soudure \xe9t\xe9 \x96 niveau 1;F\n";
        let sheet = read_sheet("w.csv", bytes).unwrap();
        assert_eq!(sheet.read_as, "Windows-1252, semicolon-separated");
        assert_eq!(sheet.rows[0].1[1], "Soudure été – niveau 1");
        // UTF-8 with a BOM, and tabs.
        let text = "\u{feff}participant_id\tprogram\nP1\tCNC\n";
        let sheet = read_sheet("t.csv", text.as_bytes()).unwrap();
        assert_eq!(sheet.read_as, "UTF-8, tab-separated");
        assert_eq!(sheet.headers, ["participant_id", "program"]);
        // A separator inside quotes does not count.
        let sheet = read_sheet("q.csv", b"\"a,b\";c;d\n1;2;3\n").unwrap();
        assert_eq!(sheet.headers, ["a,b", "c", "d"]);
    }
}

/// Deterministic synthetic participant records, as a CSV in our field names, for the demo and
/// tests. **No real person is in them**: there is no public participant-level data. Every row's
/// id starts with `SYN-`. The distributions (documented so the demo reads as a plausible
/// manufacturing partnership, not as evidence about one):
///
/// - programs: CNC Machining Bootcamp 40%, Industrial Maintenance Apprenticeship 35%, Welding
///   Certificate 25%; enrolment uniform over 2023-01-02 … 2025-06-30, 90 to 270 days in the
///   program; 8% still enrolled (no exit); 3% excluded from exit-based indicators;
/// - 90% in education or training (the rest OJT); 80% complete; of completers 65% earn a
///   postsecondary credential (dated at exit) and 5% a secondary diploma; 80% of trainees record
///   a measurable skill gain;
/// - employed in Q2 after exit: 74% of completers, 45% of the others; in Q4: 88% of those
///   employed in Q2, 20% of the others; 80% of those employed in both stay with the same employer;
///   an outcome quarter after `as_of` is not known yet (empty);
/// - hourly wage: program mean $21 / $24 / $20, ± up to $6 (uniform), × 40 hours × 13 weeks =
///   Q2 earnings; wage before: $2 to $8 lower; benefits 70%; bargaining 15% (35% for the
///   apprenticeship);
/// - county of residence: the Columbus, OH MSA (Franklin 60%, Delaware 10%, Licking 8%,
///   Fairfield 7%, Pickaway 5%, Madison 4%, Union 3%, Morrow, Perry, Hocking 1% each);
/// - sex M 68% / F 30% / not reported 2%; race/ethnicity White 58%, Black 24%, Hispanic or
///   Latino 8%, Asian 4%, Two or more 4%, not reported 2%; age 18–64 (uniform birth year);
///   veteran 7%, disability 6%, low income 45%, justice-involved 9%, English learner 5%.
pub fn synthetic_csv(rows: usize, seed: u64, as_of: Day) -> String {
    struct Rng(u64);
    impl Rng {
        // splitmix64: small, fast, and the same sequence on every platform.
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
        fn chance(&mut self, p: f64) -> bool {
            self.unit() < p
        }
        fn pick<'a>(&mut self, items: &[(&'a str, f64)]) -> &'a str {
            let mut x = self.unit() * items.iter().map(|i| i.1).sum::<f64>();
            for (v, w) in items {
                if x < *w {
                    return v;
                }
                x -= w;
            }
            items[items.len() - 1].0
        }
        fn range(&mut self, lo: i32, hi: i32) -> i32 {
            lo + (self.next() % (hi - lo + 1) as u64) as i32
        }
    }
    let yn = |b: bool| if b { "yes" } else { "no" };
    let mut rng = Rng(seed);
    let start = Day::ymd(2023, 1, 2).expect("date");
    let span = Day::ymd(2025, 6, 30).expect("date").since(start);
    let mut out = String::from(
        "participant_id,program,enrolled_on,exited_on,excluded,in_training,completed,credential,\
         credential_on,skill_gain,employed_q2,earnings_q2,employer_q2,employed_q4,employer_q4,\
         hourly_wage,hours,wage_before,benefits,bargaining,county,sex,race_ethnicity,\
         date_of_birth,veteran,disability,low_income,justice_involved,english_learner\n",
    );
    for i in 0..rows {
        let program = rng.pick(&[
            ("CNC Machining Bootcamp", 0.40),
            ("Industrial Maintenance Apprenticeship", 0.35),
            ("Welding Certificate", 0.25),
        ]);
        let mean_wage = match program {
            "CNC Machining Bootcamp" => 21.0,
            "Industrial Maintenance Apprenticeship" => 24.0,
            _ => 20.0,
        };
        let enrolled = start.plus(rng.range(0, span));
        let exited = (!rng.chance(0.08)).then(|| enrolled.plus(rng.range(90, 270)));
        let excluded = exited.is_some() && rng.chance(0.03);
        let in_training = rng.chance(0.90);
        let completed = exited.is_some() && rng.chance(0.80);
        let credential = if !completed {
            "none"
        } else {
            rng.pick(&[("postsecondary", 0.65), ("secondary", 0.05), ("none", 0.30)])
        };
        // An outcome quarter is known once it has ended by `as_of`.
        let known = |k: u32| {
            exited.is_some_and(|e| {
                let q = crate::participants::quarter_end(
                    sectorkit_core::outcomes::quarter_after_exit(e, k),
                );
                q <= as_of
            })
        };
        let q2 = rng.chance(if completed { 0.74 } else { 0.45 });
        let q4 = if q2 {
            rng.chance(0.88)
        } else {
            rng.chance(0.20)
        };
        let same = q2 && q4 && rng.chance(0.80);
        let employer = format!("31-{:07}", rng.range(0, 399));
        let employer_q4 = if same {
            employer.clone()
        } else {
            format!("31-{:07}", rng.range(400, 799))
        };
        let wage = (mean_wage + rng.unit() * 12.0 - 6.0).max(12.0);
        let before = wage - 2.0 - rng.unit() * 6.0;
        let employed_any = (known(2) && q2) || (known(4) && q4);
        let bargaining_p = if program.starts_with("Industrial") {
            0.35
        } else {
            0.15
        };
        let county = rng.pick(&[
            ("39049", 60.0),
            ("39041", 10.0),
            ("39089", 8.0),
            ("39045", 7.0),
            ("39129", 5.0),
            ("39097", 4.0),
            ("39159", 3.0),
            ("39117", 1.0),
            ("39127", 1.0),
            ("39073", 1.0),
        ]);
        let sex = rng.pick(&[("M", 68.0), ("F", 30.0), ("", 2.0)]);
        let race = rng.pick(&[
            ("White", 58.0),
            ("Black", 24.0),
            ("Hispanic or Latino", 8.0),
            ("Asian", 4.0),
            ("Two or more", 4.0),
            ("", 2.0),
        ]);
        let (ey, _, _) = enrolled.year_month_day();
        let born = Day::ymd(
            ey - rng.range(18, 64),
            rng.range(1, 12) as u32,
            rng.range(1, 28) as u32,
        )
        .expect("date");
        let d = |x: Option<Day>| x.map(|d| d.to_string()).unwrap_or_default();
        let known_bool = |k: bool, v: bool| if k { yn(v) } else { "" };
        let fields: Vec<String> = vec![
            format!("SYN-{:06}", i + 1),
            program.to_string(),
            enrolled.to_string(),
            d(exited),
            yn(excluded).into(),
            yn(in_training).into(),
            if exited.is_some() {
                yn(completed).into()
            } else {
                String::new()
            },
            if exited.is_some() && in_training {
                credential.into()
            } else {
                String::new()
            },
            if credential != "none" && in_training {
                d(exited)
            } else {
                String::new()
            },
            if in_training {
                yn(rng.chance(0.80)).into()
            } else {
                String::new()
            },
            known_bool(known(2), q2).into(),
            if known(2) && q2 {
                format!("{:.2}", wage * 40.0 * 13.0)
            } else {
                String::new()
            },
            if known(2) && q2 {
                employer.clone()
            } else {
                String::new()
            },
            known_bool(known(4), q4).into(),
            if known(4) && q4 {
                employer_q4
            } else {
                String::new()
            },
            if employed_any {
                format!("{wage:.2}")
            } else {
                String::new()
            },
            if employed_any {
                "40".into()
            } else {
                String::new()
            },
            if employed_any {
                format!("{before:.2}")
            } else {
                String::new()
            },
            if employed_any {
                yn(rng.chance(0.70)).into()
            } else {
                String::new()
            },
            if employed_any {
                yn(rng.chance(bargaining_p)).into()
            } else {
                String::new()
            },
            county.into(),
            sex.into(),
            race.into(),
            born.to_string(),
            yn(rng.chance(0.07)).into(),
            yn(rng.chance(0.06)).into(),
            yn(rng.chance(0.45)).into(),
            yn(rng.chance(0.09)).into(),
            yn(rng.chance(0.05)).into(),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// The last day of a quarter.
pub fn quarter_end(q: sectorkit_core::plan_page::PlanQuarter) -> Day {
    let next = q.next();
    Day::ymd(next.year(), u32::from(next.number()) * 3 - 2, 1)
        .expect("quarter start")
        .plus(-1)
}

#[cfg(test)]
mod synthetic_tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_and_imports_cleanly() {
        let as_of = Day::ymd(2026, 9, 30).unwrap();
        let a = synthetic_csv(300, 7, as_of);
        assert_eq!(a, synthetic_csv(300, 7, as_of), "same seed, same file");
        assert_ne!(a, synthetic_csv(300, 8, as_of));
        let sheet = read_sheet("synthetic.csv", a.as_bytes()).unwrap();
        let m = Mapping::suggest(&sheet.headers, &Mapping::default());
        assert!(m.missing().is_empty());
        let parsed = parse(&sheet, &m, b"demo", as_of).unwrap();
        assert_eq!(parsed.records.len(), 300);
        assert_eq!(parsed.duplicates, 0);
        let exited = parsed
            .records
            .iter()
            .filter(|r| r.outcome.exited_on.is_some())
            .count();
        assert!((250..=296).contains(&exited), "about 92% exit: {exited}");
        let employed = parsed
            .records
            .iter()
            .filter(|r| r.outcome.employed_q2 == Some(true))
            .count();
        assert!(employed > 120 && employed < 250, "{employed}");
    }

    #[test]
    fn quarter_ends() {
        use sectorkit_core::plan_page::PlanQuarter;
        assert_eq!(
            quarter_end(PlanQuarter::new(2024, 1).unwrap()).to_string(),
            "2024-03-31"
        );
        assert_eq!(
            quarter_end(PlanQuarter::new(2024, 4).unwrap()).to_string(),
            "2024-12-31"
        );
    }
}
