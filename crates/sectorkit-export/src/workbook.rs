//! The needs-assessment workbook (issue #7, part 1).
//!
//! Tabs: Cover, Employment, Wages, Growth, Projections (only when the table has projections), LQ,
//! Establishments, Factors, Highlighting, Score, and — when the caller passes the occupation
//! report of the shortlisted industries — Staffing (each industry's occupations, regional
//! employment estimate and share of the industry) and Occupations (all of them together with
//! wages, LQ, projections, education and job zone). OEWS special values (top-coded, not
//! released) are written as words, never as numbers.
//!
//! Rules every tab keeps:
//! - **Suppressed is never zero.** A suppressed (or partial) employment, establishments or
//!   wages cell is left empty with a note "suppressed by BLS: unknown, not zero" (and the bounds
//!   the published parts give). Derived values that need a suppressed input are empty.
//! - **Estimates are marked**: shaded italic cells with a note naming the method, and a footnote
//!   at the top of each tab.
//! - **Text is text.** Every text cell goes through [`write_text`], which stores it with
//!   `write_string` (a shared string, never a formula) and, when it begins with `=`, `+`, `-`, `@`,
//!   tab or CR, adds Excel's quote-prefix attribute (the stored `'`), so neither Excel nor a
//!   later CSV export turns it into a formula. The text itself is unchanged.
//! - **Scores are live.** On the Score tab each factor rank is `RANK.AVG` (fractional, the
//!   default) or `RANK.EQ` (competition) over the factor column, the score is
//!   `Σ w·rank / Σ w` over the factors with a rank, with the weights in input cells, and the
//!   position orders the scores with ties broken by industry code. Every formula carries
//!   sectorkit's own result as its cached value, so a reader that does not recalculate shows the
//!   engine's numbers.
//!
//! Known differences from the engine (METHODS §3): sectorkit treats values within a relative
//! 1e-9 as ties; Excel ranks compare exactly (the score is rounded to 9 decimals before the
//! position is taken, which covers floating noise in the score itself). Missing factor values are
//! left out of that factor's ranking (sectorkit's default `MissingPolicy::Exclude`).

use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, DataValidation, DataValidationRule, Format, FormatAlign,
    Formula, Note, Workbook, Worksheet, XlsxError,
};
use sectorkit_core::rank::{Factor, RankMethod, Weights};
use sectorkit_core::targets::{TargetRow, TargetTable};
use sectorkit_core::value::Figure;
use sectorkit_data::oews::OewsValue;
use sectorkit_engine::occupations::OccupationReport;
use sectorkit_engine::targets::{TableSource, TargetRequest};

/// The note on every suppressed cell.
pub const SUPPRESSED_NOTE: &str = "suppressed by BLS: unknown, not zero";

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Everything the workbook shows.
pub struct WorkbookInput<'a> {
    pub table: &'a TargetTable,
    pub region: &'a sectorkit_data::geo::Region,
    /// The settings the table was computed with.
    pub request: &'a TargetRequest,
    /// The QCEW files behind the table (see `sectorkit_engine::targets::table_sources`).
    pub sources: &'a [TableSource],
    /// The occupations of the shortlisted industries in the region (one report over all of
    /// them; `by_industry` splits each occupation by industry), when there is a shortlist and
    /// OEWS staffing patterns are loaded. Adds the Staffing and Occupations tabs.
    pub occupations: Option<&'a OccupationReport>,
    /// The occupation files behind `occupations` (see
    /// `sectorkit_engine::targets::occupation_sources`), listed on the cover after the QCEW files.
    pub occupation_sources: &'a [TableSource],
}

/// True when a text would be read as a formula by a spreadsheet (begins with `=`, `+`, `-`, `@`,
/// tab or carriage return); such cells get the quote prefix.
pub fn neutralise(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

struct Styles {
    title: Format,
    bold: Format,
    header: Format,
    quoted: Format,
    wrap: Format,
    input: Format,
    suppressed: Format,
    /// Number formats by decimals (0, 1, 2, 4), plain and estimated.
    num: [Format; 4],
    est: [Format; 4],
    hl_top: Format,
    hl_median: Format,
    hl_third: Format,
}

fn decimals_index(d: usize) -> usize {
    match d {
        0 => 0,
        1 => 1,
        2 | 3 => 2,
        _ => 3,
    }
}

impl Styles {
    fn new() -> Styles {
        let fmts = ["#,##0", "#,##0.0", "#,##0.00", "0.0000"];
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_align(FormatAlign::Top),
            quoted: Format::new().set_quote_prefix(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            input: Format::new()
                .set_background_color(Color::RGB(0xFFF2CC))
                .set_bold()
                .set_unlocked(),
            suppressed: Format::new().set_background_color(Color::RGB(0xEDEDED)),
            num: fmts.map(|f| Format::new().set_num_format(f)),
            est: fmts.map(|f| {
                Format::new()
                    .set_num_format(f)
                    .set_italic()
                    .set_background_color(Color::RGB(0xFCE4D6))
            }),
            hl_top: Format::new()
                .set_background_color(Color::RGB(0xC6EFCE))
                .set_bold(),
            hl_median: Format::new().set_background_color(Color::RGB(0xDDEBF7)),
            hl_third: Format::new()
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_bold(),
        }
    }
}

/// Writes a text cell safely (see the module docs).
pub fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    fmt: Option<&Format>,
    quoted: &Format,
) -> Result<(), XlsxError> {
    if neutralise(s) {
        ws.write_string_with_format(row, col, s, quoted)?;
    } else if let Some(f) = fmt {
        ws.write_string_with_format(row, col, s, f)?;
    } else {
        ws.write_string(row, col, s)?;
    }
    Ok(())
}

fn note(text: impl Into<String>) -> Note {
    Note::new(text)
        .set_author("sectorkit")
        .add_author_prefix(false)
        .set_width(300)
}

/// Writes a published figure: its value, its estimate (styled, with a note), or nothing with the
/// suppression note.
fn write_figure(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    f: &Figure,
    st: &Styles,
) -> Result<(), XlsxError> {
    let bounds = || {
        let b = f.published().bounds();
        match b.upper() {
            Some(u) => format!("the published parts put it between {} and {u}", b.lower()),
            None => format!("the published parts put it at least {}", b.lower()),
        }
    };
    match f.best() {
        Some(b) if !b.estimated => {
            ws.write_number_with_format(row, col, b.value, &st.num[0])?;
        }
        Some(b) => {
            ws.write_number_with_format(row, col, b.value, &st.est[0])?;
            let method = f
                .estimate()
                .map(|e| e.method.as_str())
                .unwrap_or("estimate");
            ws.insert_note(
                row,
                col,
                &note(format!(
                    "Estimated ({method}): {SUPPRESSED_NOTE}; {}. The estimate never replaces \
                     the published value.",
                    bounds()
                )),
            )?;
        }
        None => {
            ws.write_blank(row, col, &st.suppressed)?;
            let text = if f.published().bounds().lower() > 0.0 {
                format!("{SUPPRESSED_NOTE} ({})", bounds())
            } else {
                SUPPRESSED_NOTE.to_string()
            };
            ws.insert_note(row, col, &note(text))?;
        }
    }
    Ok(())
}

/// Writes a derived number (empty when unknown), styled as an estimate when it rests on one.
fn write_opt(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    decimals: usize,
    estimated: bool,
    st: &Styles,
) -> Result<(), XlsxError> {
    if let Some(x) = v.filter(|x| x.is_finite()) {
        let i = decimals_index(decimals);
        let f = if estimated { &st.est[i] } else { &st.num[i] };
        ws.write_number_with_format(row, col, x, f)?;
    }
    Ok(())
}

const LEGEND: &str = "Empty grey cells with a note: suppressed by BLS — unknown, not zero. \
                      Shaded italic cells: estimates of suppressed figures (METHODS §2.2), labelled \
                      with their method; they never replace published values. Other empty cells: \
                      not available (an input is suppressed or missing).";

/// Title, legend and header row of a data tab; returns the first data row.
fn sheet_head(
    ws: &mut Worksheet,
    title: &str,
    headers: &[&str],
    st: &Styles,
) -> Result<u32, XlsxError> {
    write_text(ws, 0, 0, title, Some(&st.title), &st.quoted)?;
    write_text(ws, 1, 0, LEGEND, None, &st.quoted)?;
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, *h, &st.header)?;
    }
    // Wrapped header labels need the height (LibreOffice does not grow library-written rows).
    ws.set_row_height(3, 30)?;
    ws.set_column_width(0, 9)?;
    ws.set_column_width(1, 44)?;
    for i in 2..headers.len() as u16 {
        ws.set_column_width(i, 14)?;
    }
    ws.set_freeze_panes(4, 2)?;
    Ok(4)
}

fn code_title(ws: &mut Worksheet, row: u32, r: &TargetRow, st: &Styles) -> Result<(), XlsxError> {
    write_text(ws, row, 0, r.industry_code.as_str(), None, &st.quoted)?;
    write_text(ws, row, 1, &r.industry_title, None, &st.quoted)?;
    Ok(())
}

/// Seconds since 1970 → `YYYY-MM-DD HH:MM UTC` (civil-from-days, proleptic Gregorian).
fn utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Column letters of a 0-based column.
fn col_name(mut c: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn cell(c: u16, row: u32) -> String {
    format!("{}{}", col_name(c), row + 1)
}

/// Builds the workbook; returns the xlsx bytes.
pub fn needs_assessment_workbook(input: &WorkbookInput<'_>) -> Result<Vec<u8>, ExportError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    let t = input.table;
    let mut rows: Vec<&TargetRow> = t.rows.iter().collect();
    rows.sort_by(|a, b| a.industry_code.cmp(&b.industry_code));

    cover(wb.add_worksheet().set_name("Cover")?, input, &st)?;

    // Employment.
    {
        let ws = wb.add_worksheet().set_name("Employment")?;
        let title = format!("Employment, {} — {}", t.period, input.region.name);
        let first = sheet_head(
            ws,
            &title,
            &[
                "Code",
                "Industry",
                "Status",
                "Employment",
                "Published lower bound",
                "Published upper bound",
                "Suppressed counties",
                "Estimated",
                "Estimate method",
            ],
            &st,
        )?;
        for (i, r) in rows.iter().enumerate() {
            let row = first + i as u32;
            code_title(ws, row, r, &st)?;
            ws.write_string(row, 2, r.status.as_str())?;
            write_figure(ws, row, 3, &r.employment, &st)?;
            let b = r.employment.published().bounds();
            ws.write_number_with_format(row, 4, b.lower(), &st.num[0])?;
            if let Some(u) = b.upper() {
                ws.write_number_with_format(row, 5, u, &st.num[0])?;
            }
            ws.write_number(row, 6, f64::from(r.suppressed_counties))?;
            ws.write_string(row, 7, if r.estimated { "yes" } else { "no" })?;
            if let Some(e) = r.employment.estimate() {
                ws.write_string(row, 8, e.method.as_str())?;
            }
        }
    }

    // Wages.
    {
        let ws = wb.add_worksheet().set_name("Wages")?;
        let title = format!("Wages, {} — {}", t.period, input.region.name);
        let first = sheet_head(
            ws,
            &title,
            &[
                "Code",
                "Industry",
                "Total wages ($)",
                "Average annual pay ($)",
                "Average weekly wage ($)",
                "LQ, total wages",
            ],
            &st,
        )?;
        for (i, r) in rows.iter().enumerate() {
            let row = first + i as u32;
            code_title(ws, row, r, &st)?;
            write_figure(ws, row, 2, &r.total_wages, &st)?;
            write_opt(ws, row, 3, r.avg_annual_pay, 0, r.estimated, &st)?;
            write_opt(ws, row, 4, r.avg_weekly_wage, 0, r.estimated, &st)?;
            write_opt(ws, row, 5, r.lq_total_wages, 4, r.estimated, &st)?;
        }
    }

    // Growth (historical).
    {
        let ws = wb.add_worksheet().set_name("Growth")?;
        let title = match t.base_period {
            Some(b) => format!(
                "Historical growth, {b}–{} — {}",
                t.period, input.region.name
            ),
            None => format!(
                "Historical growth — no base period chosen (use --base-period), {}",
                input.region.name
            ),
        };
        let first = sheet_head(
            ws,
            &title,
            &[
                "Code",
                "Industry",
                "Base employment",
                "Employment",
                "Change",
                "% change",
                "CAGR %",
                "National share (NS)",
                "Industry mix (IM)",
                "Regional shift (RS)",
                "New industry",
            ],
            &st,
        )?;
        for (i, r) in rows.iter().enumerate() {
            let row = first + i as u32;
            code_title(ws, row, r, &st)?;
            if let Some(b) = &r.base_employment {
                write_figure(ws, row, 2, b, &st)?;
            }
            write_figure(ws, row, 3, &r.employment, &st)?;
            let e = r.estimated;
            write_opt(ws, row, 4, r.change, 0, e, &st)?;
            write_opt(ws, row, 5, r.pct_change, 2, e, &st)?;
            write_opt(ws, row, 6, r.cagr_pct, 2, e, &st)?;
            write_opt(ws, row, 7, r.ns, 0, e, &st)?;
            write_opt(ws, row, 8, r.im, 0, e, &st)?;
            write_opt(ws, row, 9, r.rs, 0, e, &st)?;
            if r.new_industry {
                ws.write_string(row, 10, "yes")?;
            }
        }
    }

    // Projections, when there are any.
    if rows.iter().any(|r| r.projection.is_some()) {
        let ws = wb.add_worksheet().set_name("Projections")?;
        let title = format!("Projected growth — {}", input.region.name);
        let first = sheet_head(
            ws,
            &title,
            &[
                "Code",
                "Industry",
                "Projection industry",
                "Base year",
                "Projected year",
                "Projected % change",
                "Projected CAGR %",
                "Regional projected employment",
            ],
            &st,
        )?;
        for (i, r) in rows.iter().enumerate() {
            let row = first + i as u32;
            code_title(ws, row, r, &st)?;
            if let Some(p) = &r.projection {
                write_text(ws, row, 2, p.source_industry.as_str(), None, &st.quoted)?;
                ws.write_number(row, 3, f64::from(p.base_year))?;
                ws.write_number(row, 4, f64::from(p.projected_year))?;
                write_opt(ws, row, 5, p.pct_change, 2, false, &st)?;
                write_opt(ws, row, 6, p.cagr_pct, 2, false, &st)?;
                write_opt(ws, row, 7, p.regional_projected_employment, 0, false, &st)?;
            }
        }
    }

    // Location quotients.
    {
        let ws = wb.add_worksheet().set_name("LQ")?;
        let title = format!(
            "Location quotients, {} — {} ({:?} convention)",
            t.period, input.region.name, t.lq_convention
        );
        let first = sheet_head(
            ws,
            &title,
            &["Code", "Industry", "LQ, employment", "LQ, total wages"],
            &st,
        )?;
        for (i, r) in rows.iter().enumerate() {
            let row = first + i as u32;
            code_title(ws, row, r, &st)?;
            write_opt(ws, row, 2, r.lq_employment, 4, r.estimated, &st)?;
            write_opt(ws, row, 3, r.lq_total_wages, 4, r.estimated, &st)?;
        }
    }

    // Establishments.
    {
        let ws = wb.add_worksheet().set_name("Establishments")?;
        let title = format!("Establishments, {} — {}", t.period, input.region.name);
        let first = sheet_head(ws, &title, &["Code", "Industry", "Establishments"], &st)?;
        for (i, r) in rows.iter().enumerate() {
            let row = first + i as u32;
            code_title(ws, row, r, &st)?;
            write_figure(ws, row, 2, &r.establishments, &st)?;
        }
    }

    // Factors, all rows.
    {
        let ws = wb.add_worksheet().set_name("Factors")?;
        let title = format!("Ranking factors (METHODS §3.1) — {}", input.region.name);
        let mut headers = vec!["Code", "Industry", "Not ranked because"];
        headers.extend(Factor::ALL.iter().map(|f| f.label()));
        headers.push("Position (engine)");
        let first = sheet_head(ws, &title, &headers, &st)?;
        for (i, r) in rows.iter().enumerate() {
            let row = first + i as u32;
            code_title(ws, row, r, &st)?;
            if let Some(e) = r.excluded {
                ws.write_string(row, 2, format!("{e:?}").to_lowercase())?;
            }
            factor_cells(ws, row, 3, r, &st)?;
            if let Some(p) = r.ranking.as_ref().and_then(|k| k.position) {
                ws.write_number(row, 8, p as f64)?;
            }
        }
    }

    let ranked: Vec<&TargetRow> = rows
        .iter()
        .copied()
        .filter(|r| r.ranking.is_some())
        .collect();
    highlighting(
        wb.add_worksheet().set_name("Highlighting")?,
        input,
        &ranked,
        &st,
    )?;
    score(wb.add_worksheet().set_name("Score")?, input, &ranked, &st)?;
    if let Some(rep) = input.occupations {
        staffing(wb.add_worksheet().set_name("Staffing")?, rep, &st)?;
        occupations(wb.add_worksheet().set_name("Occupations")?, rep, &st)?;
    }

    for ws in wb.worksheets_mut() {
        print_setup(ws)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Page setup for printing (and LibreOffice's PDF): landscape, one page wide, the header row
/// repeated on every page, the tab name and page number in the footer.
fn print_setup(ws: &mut Worksheet) -> Result<(), XlsxError> {
    let name = ws.name();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer(format!(
        "&L&\"-,Regular\"&8sectorkit — {name}&R&8Page &P of &N"
    ));
    ws.set_landscape();
    match name.as_str() {
        "Cover" => {}
        "Score" => {
            ws.set_repeat_rows(4, 4)?;
        }
        _ => {
            ws.set_repeat_rows(3, 3)?;
        }
    }
    Ok(())
}

/// Row height (points) that shows a wrapped text in a column of `width` characters: LibreOffice
/// keeps the stored default height for rows written by a library, so long notes would overlap
/// the next row.
fn wrapped_height(text: &str, width: f64) -> f64 {
    let per_line = (width * 0.95).max(10.0);
    let lines: f64 = text
        .split('\n')
        .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
        .sum();
    15.0 * lines
}

const OCC_LEGEND: &str = "Regional employment by occupation = the industry's regional QCEW \
                          employment × its national OEWS staffing share (METHODS §4.3); the \
                          part of the industry's staffing BLS does not publish by occupation is \
                          the 'Not allocated' line. Words in wage cells are BLS's special values \
                          (top-coded: at or above the top code; not released), never numbers.";

/// An OEWS value: the number, or BLS's special value as words (never a number).
fn write_oews(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: OewsValue,
    fmt: &Format,
    st: &Styles,
) -> Result<(), XlsxError> {
    match v {
        OewsValue::Value(x) => {
            ws.write_number_with_format(row, col, x, fmt)?;
        }
        OewsValue::TopCoded => {
            ws.write_string_with_format(row, col, "top-coded", &st.suppressed)?;
            ws.insert_note(
                row,
                col,
                &note("BLS top-codes this wage: at or above the release's top code"),
            )?;
        }
        OewsValue::Suppressed => {
            ws.write_string_with_format(row, col, "not released", &st.suppressed)?;
        }
        OewsValue::NotAvailable => {
            ws.write_string_with_format(row, col, "not available", &st.suppressed)?;
        }
        OewsValue::LessThanHalf => {
            ws.write_string_with_format(row, col, "< 0.5% reporting", &st.suppressed)?;
        }
        OewsValue::Blank => {}
    }
    Ok(())
}

/// The Staffing tab: one block per shortlisted industry, its occupations largest first.
fn staffing(ws: &mut Worksheet, rep: &OccupationReport, st: &Styles) -> Result<(), XlsxError> {
    let q = &st.quoted;
    write_text(
        ws,
        0,
        0,
        &format!(
            "Staffing patterns of the shortlisted industries, {} — {}",
            rep.period, rep.region_name
        ),
        Some(&st.title),
        q,
    )?;
    write_text(ws, 1, 0, OCC_LEGEND, None, q)?;
    let headers = [
        "Industry",
        "Occupation code",
        "Occupation",
        "Regional employment (est.)",
        "Share of the industry",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, *h, &st.header)?;
    }
    ws.set_row_height(3, 30)?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 12)?;
    ws.set_column_width(2, 48)?;
    ws.set_column_width(3, 16)?;
    ws.set_column_width(4, 14)?;
    ws.set_freeze_panes(4, 0)?;
    let pct = Format::new().set_num_format("0.0%");
    let mut row = 4u32;
    for ind in &rep.industries {
        write_text(
            ws,
            row,
            0,
            &format!("{} {}", ind.naics, ind.title),
            Some(&st.bold),
            q,
        )?;
        match ind.employment {
            Some(e) => {
                ws.write_number_with_format(row, 3, e, &st.num[0])?;
                write_text(
                    ws,
                    row,
                    2,
                    &format!(
                        "Industry employment in the region ({})",
                        ind.employment_basis
                    ),
                    None,
                    q,
                )?;
            }
            None => {
                ws.write_blank(row, 3, &st.suppressed)?;
                ws.insert_note(row, 3, &note(SUPPRESSED_NOTE))?;
            }
        }
        row += 1;
        if let Some(why) = &ind.no_pattern {
            write_text(ws, row, 2, why, None, q)?;
            row += 2;
            continue;
        }
        let mut lines: Vec<(&str, &str, f64)> = rep
            .lines
            .iter()
            .filter_map(|l| {
                l.by_industry
                    .iter()
                    .find(|(n, _)| *n == ind.naics)
                    .map(|(_, e)| (l.code.as_str(), l.title.as_str(), *e))
            })
            .collect();
        lines.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(b.0)));
        let known = ind.employment.filter(|e| *e > 0.0);
        let mut allocated = 0.0;
        for (code, title, e) in &lines {
            write_text(ws, row, 0, &ind.naics, None, q)?;
            write_text(ws, row, 1, code, None, q)?;
            write_text(ws, row, 2, title, None, q)?;
            if known.is_some() {
                ws.write_number_with_format(row, 3, *e, &st.num[0])?;
                ws.write_number_with_format(row, 4, e / known.unwrap_or(1.0), &pct)?;
            }
            allocated += e;
            row += 1;
        }
        if let Some(total) = known {
            write_text(ws, row, 0, &ind.naics, None, q)?;
            ws.write_string(row, 2, "Not allocated to a published occupation")?;
            let rest = (total - allocated).max(0.0);
            ws.write_number_with_format(row, 3, rest, &st.num[0])?;
            ws.write_number_with_format(row, 4, rest / total, &pct)?;
            row += 1;
        }
        row += 1;
    }
    Ok(())
}

/// The Occupations tab: every occupation of the shortlisted industries together.
fn occupations(ws: &mut Worksheet, rep: &OccupationReport, st: &Styles) -> Result<(), XlsxError> {
    let q = &st.quoted;
    let wage_area = rep
        .wage_area
        .as_ref()
        .map(|w| format!("{} ({})", w.title, w.code))
        .unwrap_or_else(|| "no OEWS wage area loaded".into());
    write_text(
        ws,
        0,
        0,
        &format!(
            "Occupations of the shortlisted industries, {} — {}; wages: {}",
            rep.period, rep.region_name, wage_area
        ),
        Some(&st.title),
        q,
    )?;
    write_text(ws, 1, 0, OCC_LEGEND, None, q)?;
    let mut headers = vec![
        "Code",
        "Occupation",
        "Regional employment (est.)",
        "Share",
        "Median hourly wage",
        "Annual wage, 10th pct",
        "Annual wage, 25th pct",
        "Median annual wage",
        "Annual wage, 75th pct",
        "Annual wage, 90th pct",
        "Wages from",
        "LQ",
        "LQ source",
        "Projected growth %",
        "Annual openings (regional est.)",
        "Typical education",
        "Work experience",
        "On-the-job training",
        "Job zone",
    ];
    if rep.living_wage.is_some() {
        headers.push("Median ≥ living wage");
    }
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, i as u16, *h, &st.header)?;
    }
    ws.set_row_height(3, 30)?;
    ws.set_column_width(0, 9)?;
    ws.set_column_width(1, 44)?;
    for i in 2..headers.len() as u16 {
        ws.set_column_width(i, 13)?;
    }
    ws.set_freeze_panes(4, 2)?;
    let pct = Format::new().set_num_format("0.0%");
    let dollars2 = Format::new().set_num_format("$#,##0.00");
    let dollars0 = Format::new().set_num_format("$#,##0");
    for (i, l) in rep.lines.iter().enumerate() {
        let row = 4 + i as u32;
        write_text(ws, row, 0, &l.code, None, q)?;
        write_text(ws, row, 1, &l.title, None, q)?;
        write_opt(ws, row, 2, l.employment, 0, false, st)?;
        ws.write_number_with_format(row, 3, l.share, &pct)?;
        write_oews(ws, row, 4, l.hourly[2], &dollars2, st)?;
        for (k, v) in l.annual.iter().enumerate() {
            write_oews(ws, row, 5 + k as u16, *v, &dollars0, st)?;
        }
        let from = if l.national_wages {
            "national".to_string()
        } else {
            rep.wage_area
                .as_ref()
                .map(|w| w.code.clone())
                .unwrap_or_default()
        };
        write_text(ws, row, 10, &from, None, q)?;
        write_opt(ws, row, 11, l.lq, 2, false, st)?;
        write_text(ws, row, 12, l.lq_source.unwrap_or(""), None, q)?;
        match &l.ep {
            Some(ep) => {
                write_opt(ws, row, 13, ep.growth_pct, 1, false, st)?;
                write_opt(ws, row, 14, ep.regional_openings, 1, false, st)?;
                let text = |o: Option<String>| o.unwrap_or_default();
                write_text(
                    ws,
                    row,
                    15,
                    &text(ep.education.map(|x| x.to_string())),
                    None,
                    q,
                )?;
                write_text(
                    ws,
                    row,
                    16,
                    &text(ep.work_experience.map(|x| x.to_string())),
                    None,
                    q,
                )?;
                write_text(
                    ws,
                    row,
                    17,
                    &text(ep.training.map(|x| x.to_string())),
                    None,
                    q,
                )?;
            }
            None if rep.ep_loaded => {
                ws.write_string_with_format(row, 13, "not in EP", &st.suppressed)?;
            }
            None => {}
        }
        if let Some(z) = l.job_zone {
            write_text(ws, row, 18, &z.to_string(), None, q)?;
        }
        if rep.living_wage.is_some() {
            match l.above_living_wage {
                Some(true) => ws.write_string(row, 19, "yes")?,
                Some(false) => ws.write_string(row, 19, "no")?,
                None => ws.write_string(row, 19, "unknown")?,
            };
        }
    }
    let row = 4 + rep.lines.len() as u32;
    ws.write_string(row, 1, "Not allocated to a published occupation")?;
    ws.write_number_with_format(row, 2, rep.unallocated, &st.num[0])?;
    for (k, n) in rep.notes.iter().enumerate() {
        write_text(ws, row + 2 + k as u32, 0, n, None, q)?;
    }
    Ok(())
}

/// The five factor values of a row from `col` on.
fn factor_cells(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    r: &TargetRow,
    st: &Styles,
) -> Result<(), XlsxError> {
    let v = r.factor_values();
    for (k, f) in Factor::ALL.iter().enumerate() {
        let (d, est) = match f {
            Factor::Employment => (0, r.employment.best().is_some_and(|b| b.estimated)),
            Factor::AvgPay => (0, r.estimated),
            Factor::HistGrowth => (2, r.estimated),
            Factor::ProjGrowth => (2, false),
            Factor::Lq => (4, r.estimated),
        };
        write_opt(ws, row, col + k as u16, *v.get(*f), d, est, st)?;
    }
    Ok(())
}

fn cover(ws: &mut Worksheet, input: &WorkbookInput<'_>, st: &Styles) -> Result<(), XlsxError> {
    let t = input.table;
    let req = input.request;
    let q = &st.quoted;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 70)?;
    ws.set_column_width(2, 66)?;
    ws.set_column_width(3, 20)?;
    ws.set_column_width(4, 16)?;
    ws.set_column_width(5, 12)?;
    ws.set_column_width(6, 20)?;
    ws.set_column_width(7, 20)?;
    write_text(
        ws,
        0,
        0,
        "Regional needs assessment: target industries",
        Some(&st.title),
        q,
    )?;
    let weights = req.weights.unwrap_or_default();
    let counties: Vec<&str> = t.region.iter().map(|c| c.as_str()).collect();
    let parts: Vec<String> = input
        .region
        .parts
        .iter()
        .map(|p| format!("{} ({})", p.title, p.code))
        .collect();
    let fields: Vec<(&str, String)> = vec![
        ("Region", input.region.name.clone()),
        ("Built from", parts.join("; ")),
        ("Counties", counties.join(", ")),
        ("Period", t.period.to_string()),
        (
            "Base period (growth)",
            t.base_period
                .map(|b| b.to_string())
                .unwrap_or_else(|| "none".into()),
        ),
        (
            "Ownership",
            format!("{} ({})", t.ownership.title(), t.ownership.code()),
        ),
        ("Industry level", t.level.label().to_string()),
        ("LQ convention", format!("{:?}", t.lq_convention)),
        (
            "Rank method",
            match req.rank {
                RankMethod::Fractional => "fractional (ties share the mean position, RANK.AVG)",
                RankMethod::Competition => "competition (ties share the first position, RANK.EQ)",
            }
            .to_string(),
        ),
        ("Weights", weights.to_string()),
        ("Top N", req.top.max(1).to_string()),
        (
            "Minimum employment",
            req.min_employment
                .map(|m| m.to_string())
                .unwrap_or_else(|| "none".into()),
        ),
        (
            "Estimates of suppressed cells",
            if req.estimates { "on" } else { "off" }.to_string(),
        ),
        (
            "Region employment",
            sectorkit_engine::table::figure_value(&t.region_employment)
                .map(|v| format!("{v:.0}"))
                .unwrap_or_else(|| SUPPRESSED_NOTE.into()),
        ),
        (
            "Hachman index",
            t.hachman
                .map(|h| format!("{h:.3}"))
                .unwrap_or_else(|| "not available".into()),
        ),
        (
            "Sensitivity",
            format!(
                "each weight ×0.5 and ×1.5 changes at most {} of the top {}",
                t.sensitivity.max_changed(),
                t.sensitivity.top_n
            ),
        ),
    ];
    let mut row = 2u32;
    for (k, v) in &fields {
        ws.write_string_with_format(row, 0, *k, &st.bold)?;
        write_text(ws, row, 1, v, Some(&st.wrap), q)?;
        if v.chars().count() > 66 {
            ws.set_row_height(row, wrapped_height(v, 70.0))?;
        }
        row += 1;
    }
    if let Some(s) = t.estimated_employment_share.filter(|s| *s > 0.0) {
        ws.write_string_with_format(row, 0, "Share of employment estimated", &st.bold)?;
        ws.write_string(row, 1, format!("{:.1}%", s * 100.0))?;
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(row, 0, "Sources", &st.title)?;
    row += 1;
    let heads = [
        "Source",
        "File",
        "SHA-256",
        "Data periods",
        "Layout",
        "Rows",
        "Imported",
        "File date (download)",
    ];
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &st.header)?;
    }
    row += 1;
    if input.sources.is_empty() {
        ws.write_string(row, 1, "no source files recorded")?;
        row += 1;
    }
    for s in input.sources.iter().chain(input.occupation_sources) {
        ws.write_string(row, 0, s.kind)?;
        write_text(ws, row, 1, &s.file, None, q)?;
        match &s.sha256 {
            Some(h) => write_text(ws, row, 2, h, None, q)?,
            None => {
                ws.write_string(row, 2, "read directly (--files), not imported")?;
            }
        }
        if let Some(p) = &s.periods {
            write_text(ws, row, 3, p, None, q)?;
        }
        if let Some(l) = &s.layout {
            write_text(ws, row, 4, l, None, q)?;
        }
        if let Some(n) = s.rows {
            ws.write_number_with_format(row, 5, n as f64, &st.num[0])?;
        }
        if let Some(at) = s.imported_at {
            ws.write_string(row, 6, utc(at))?;
        }
        if let Some(at) = s.modified_at {
            ws.write_string(row, 7, utc(at))?;
        }
        row += 1;
    }
    ws.write_string(
        row,
        1,
        "Data periods are the vintage of the data each file holds. The download date is the \
         file's modification time where sectorkit read the file itself; for imported files the \
         import time is what the database knows.",
    )?;
    row += 1;

    row += 1;
    ws.write_string_with_format(row, 0, "Notes", &st.title)?;
    row += 1;
    let mut notes: Vec<String> = vec![
        format!(
            "Suppression: BLS withholds cells that would disclose an employer. Such cells are \
             empty (grey, with the note \"{SUPPRESSED_NOTE}\") — never 0. Sums over counties \
             with a suppressed member are partial: the note gives the bounds the published parts \
             allow."
        ),
        "Estimates: shaded italic cells estimate suppressed figures (METHODS §2.2: geographic, \
         then industry-hierarchy residuals), each with a note naming its method; they never \
         replace published values."
            .to_string(),
        "Score tab: ranks, scores and positions are formulas. Change the weights in the yellow \
         cells and Excel or LibreOffice recomputes them. Ties: exact comparison in the \
         spreadsheet, sectorkit treats values within a relative 1e-9 as ties."
            .to_string(),
        "Highlighting tab: conditional formats (top N by factor rank, above the median, top \
         third) recompute when N or the values change."
            .to_string(),
    ];
    notes.extend(input.region.notes.iter().cloned());
    notes.extend(t.notes.iter().map(|n| n.to_string()));
    for n in notes {
        write_text(ws, row, 1, &n, Some(&st.wrap), q)?;
        ws.set_row_height(row, wrapped_height(&n, 70.0))?;
        row += 1;
    }
    Ok(())
}

/// Excel's rank function for the method.
fn rank_fn(m: RankMethod) -> &'static str {
    match m {
        RankMethod::Fractional => "_xlfn.RANK.AVG",
        RankMethod::Competition => "_xlfn.RANK.EQ",
    }
}

/// Rank of `x` among the numbers of `range` (best = highest = 1) as a SUMPRODUCT expression,
/// for conditional-format rules (no future functions there).
fn rank_expr(m: RankMethod, x: &str, range: &str) -> String {
    let above = format!("SUMPRODUCT(ISNUMBER({range})*({range}>{x}))");
    match m {
        RankMethod::Fractional => {
            format!("({above}+(SUMPRODUCT(ISNUMBER({range})*({range}={x}))+1)/2)")
        }
        RankMethod::Competition => format!("({above}+1)"),
    }
}

fn highlighting(
    ws: &mut Worksheet,
    input: &WorkbookInput<'_>,
    ranked: &[&TargetRow],
    st: &Styles,
) -> Result<(), XlsxError> {
    let q = &st.quoted;
    let method = input.request.rank;
    write_text(
        ws,
        0,
        0,
        &format!("Highlighting (METHODS §3.3) — {}", input.region.name),
        Some(&st.title),
        q,
    )?;
    ws.write_string(
        1,
        0,
        "Conditional formats over the ranked industries: change N and the highlights follow. \
         Top N: factor rank ≤ N (code and title: position by score ≤ N, see Score). Above median: \
         value > the median of the known values. Top third: rank ≤ ROUNDUP(count/3).",
    )?;
    ws.write_string_with_format(2, 0, "N", &st.bold)?;
    ws.write_number_with_format(2, 1, input.request.top.max(1) as f64, &st.input)?;
    let n_cell = "$B$3";
    let groups = ["Top N", "Above median", "Top third"];
    // Columns: code, title, position, then 3 groups of 5 factors.
    ws.write_string_with_format(4, 0, "Code", &st.header)?;
    ws.write_string_with_format(4, 1, "Industry", &st.header)?;
    ws.write_string_with_format(4, 2, "Position (engine)", &st.header)?;
    for (g, name) in groups.iter().enumerate() {
        let c0 = 3 + (g as u16) * 5;
        ws.write_string_with_format(3, c0, *name, &st.bold)?;
        for (k, f) in Factor::ALL.iter().enumerate() {
            ws.write_string_with_format(4, c0 + k as u16, f.label(), &st.header)?;
            ws.set_column_width(c0 + k as u16, 12)?;
        }
    }
    ws.set_column_width(1, 40)?;
    ws.set_freeze_panes(5, 2)?;
    let first = 5u32;
    for (i, r) in ranked.iter().enumerate() {
        let row = first + i as u32;
        code_title(ws, row, r, st)?;
        if let Some(p) = r.ranking.as_ref().and_then(|k| k.position) {
            ws.write_number(row, 2, p as f64)?;
        }
        for g in 0..3u16 {
            factor_cells(ws, row, 3 + g * 5, r, st)?;
        }
    }
    if ranked.is_empty() {
        return Ok(());
    }
    let last = first + ranked.len() as u32 - 1;
    // Row-level top N by position.
    let pos = format!("${}", cell(2, first));
    let rule = format!("AND(ISNUMBER({pos}),{pos}<={n_cell})");
    ws.add_conditional_format(
        first,
        0,
        last,
        2,
        &ConditionalFormatFormula::new()
            .set_rule(format!("={rule}").as_str())
            .set_format(&st.hl_top),
    )?;
    for g in 0..3u16 {
        for k in 0..5u16 {
            let c = 3 + g * 5 + k;
            let x = cell(c, first);
            let range = format!(
                "{col}${a}:{col}${b}",
                col = col_name(c),
                a = first + 1,
                b = last + 1
            );
            let (rule, fmt) = match g {
                0 => (
                    format!(
                        "AND(ISNUMBER({x}),{}<={n_cell})",
                        rank_expr(method, &x, &range)
                    ),
                    &st.hl_top,
                ),
                1 => (
                    format!("AND(ISNUMBER({x}),{x}>MEDIAN({range}))"),
                    &st.hl_median,
                ),
                _ => (
                    format!(
                        "AND(ISNUMBER({x}),{}<=ROUNDUP(COUNT({range})/3,0))",
                        rank_expr(method, &x, &range)
                    ),
                    &st.hl_third,
                ),
            };
            ws.add_conditional_format(
                first,
                c,
                last,
                c,
                &ConditionalFormatFormula::new()
                    .set_rule(format!("={rule}").as_str())
                    .set_format(fmt),
            )?;
        }
    }
    Ok(())
}

fn score(
    ws: &mut Worksheet,
    input: &WorkbookInput<'_>,
    ranked: &[&TargetRow],
    st: &Styles,
) -> Result<(), XlsxError> {
    let q = &st.quoted;
    let method = input.request.rank;
    let weights: Weights = input.request.weights.unwrap_or_default();
    write_text(
        ws,
        0,
        0,
        &format!(
            "Ranks and weighted score (METHODS §3.2) — {}",
            input.region.name
        ),
        Some(&st.title),
        q,
    )?;
    ws.write_string(
        1,
        0,
        "Rank 1 = best (highest value). Score = Σ weight × rank ÷ Σ weight over the factors with a \
         value; lower is better. Position orders the scores, ties by industry code. Change the \
         yellow weights (≥ 0) and everything recomputes.",
    )?;
    // Columns: A code, B title, C..G factor values, H..L ranks, M score, N position, O order.
    const V0: u16 = 2;
    const R0: u16 = 7;
    const SCORE: u16 = 12;
    const POS: u16 = 13;
    const ORDER: u16 = 14;
    let wrow = 3u32;
    ws.write_string_with_format(wrow, R0 - 1, "Weights →", &st.bold)?;
    for (k, f) in Factor::ALL.iter().enumerate() {
        ws.write_number_with_format(wrow, R0 + k as u16, weights.get(*f), &st.input)?;
    }
    ws.add_data_validation(
        wrow,
        R0,
        wrow,
        R0 + 4,
        &DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_message("A weight is a number ≥ 0.")?,
    )?;
    let hrow = 4u32;
    let mut headers: Vec<String> = vec!["Code".into(), "Industry".into()];
    headers.extend(Factor::ALL.iter().map(|f| f.label().to_string()));
    headers.extend(Factor::ALL.iter().map(|f| format!("Rank: {}", f.label())));
    headers.extend(["Score".into(), "Position".into(), "Code order".into()]);
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(hrow, i as u16, h, &st.header)?;
    }
    ws.set_row_height(hrow, 30)?;
    ws.set_column_width(1, 40)?;
    for c in V0..=ORDER {
        ws.set_column_width(c, 12)?;
    }
    ws.set_freeze_panes(hrow + 1, 2)?;
    let first = hrow + 1;
    if ranked.is_empty() {
        return Ok(());
    }
    let last = first + ranked.len() as u32 - 1;
    let abs_range = |c: u16| {
        format!(
            "{col}${a}:{col}${b}",
            col = col_name(c),
            a = first + 1,
            b = last + 1
        )
    };
    let w_range = format!(
        "${}${}:${}${}",
        col_name(R0),
        wrow + 1,
        col_name(R0 + 4),
        wrow + 1
    );
    for (i, r) in ranked.iter().enumerate() {
        let row = first + i as u32;
        let k = r.ranking.as_ref();
        code_title(ws, row, r, st)?;
        factor_cells(ws, row, V0, r, st)?;
        for (j, f) in Factor::ALL.iter().enumerate() {
            let v = cell(V0 + j as u16, row);
            let formula = format!(
                "=IF(ISNUMBER({v}),{}({v},{},0),\"\")",
                rank_fn(method),
                abs_range(V0 + j as u16)
            );
            let cached = k
                .and_then(|k| *k.ranks.get(*f))
                .map(|x| x.to_string())
                .unwrap_or_default();
            ws.write_formula_with_format(
                row,
                R0 + j as u16,
                Formula::new(formula).set_result(cached),
                &st.num[2],
            )?;
        }
        let ranks = format!("{}:{}", cell(R0, row), cell(R0 + 4, row));
        let den = format!("SUMPRODUCT(ISNUMBER({ranks})*{w_range})");
        let formula = format!("=IF({den}>0,ROUND(SUMPRODUCT({w_range},{ranks})/{den},9),\"\")");
        let cached = r.score().map(|s| s.to_string()).unwrap_or_default();
        ws.write_formula_with_format(
            row,
            SCORE,
            Formula::new(formula).set_result(cached),
            &st.num[3],
        )?;
        let s = cell(SCORE, row);
        let sr = abs_range(SCORE);
        let or = abs_range(ORDER);
        let o = cell(ORDER, row);
        let formula = format!(
            "=IF(ISNUMBER({s}),SUMPRODUCT(ISNUMBER({sr})*({sr}<{s}))+SUMPRODUCT(ISNUMBER({sr})*({sr}={s})*({or}<{o}))+1,\"\")"
        );
        let cached = k
            .and_then(|k| k.position)
            .map(|p| p.to_string())
            .unwrap_or_default();
        ws.write_formula(row, POS, Formula::new(formula).set_result(cached))?;
        ws.write_number(row, ORDER, (i + 1) as f64)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_starts() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(s), "{s:?}");
        }
        for s in ["Manufacturing", "31-33", "", " =x"] {
            assert!(!neutralise(s), "{s:?}");
        }
    }

    #[test]
    fn column_names_and_dates() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(27), "AB");
        assert_eq!(cell(2, 4), "C5");
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13 UTC");
    }
}
