//! The Funding section: the partnership's funding streams, budget lines by phase, allocations
//! of streams to lines, and partners' commitments — with the braided view (which stream pays
//! which phase, unfunded gaps, over-committed and expiring streams) computed by
//! `sectorkit_core::funding::braid`, whose totals reconcile to the cent.
//!
//! Roles: every member reads; staff and owners write. Bad input is refused with the field
//! named: a negative or malformed amount, dates out of order. A commitment larger than its
//! stream's available amount (counting the stream's other commitments) is saved and flagged.

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::handlers::convening::{choices, parse_id, today};
use crate::handlers::downloads::{csv_file, unknown_table};
use crate::handlers::occupations::Choice;
use crate::policy::Tenant;
use crate::templates::{Chrome, page};
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sectorkit_core::day::Day;
use sectorkit_core::funding::{
    Braid, Commitment, CommitmentKind, CommitmentStatus, DEFAULT_EXPIRING_WITHIN_DAYS, Money,
    Phase, StreamKind, braid, check_commitment, commitment_totals,
};
use sectorkit_core::role::Role;
use sectorkit_store::{CommitmentFields, Partnership, StoreError, StreamFields};
use serde::Deserialize;

const MAX_NAME: usize = 200;

type FieldErrors = Vec<(String, String)>;

fn parse_money(field: &str, v: &str, errors: &mut FieldErrors) -> Option<Money> {
    match Money::parse(v) {
        Ok(m) => Some(m),
        Err(e) => {
            errors.push((field.into(), e.to_string()));
            None
        }
    }
}

fn parse_opt_day(field: &str, v: &str, errors: &mut FieldErrors) -> Option<Day> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<Day>() {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push((field.into(), e.to_string()));
            None
        }
    }
}

fn check_name(field: &str, v: &str, what: &str, errors: &mut FieldErrors) -> String {
    let v = v.trim();
    if v.is_empty() {
        errors.push((field.into(), format!("Name the {what}.")));
    } else if v.chars().count() > MAX_NAME {
        errors.push((field.into(), format!("At most {MAX_NAME} characters.")));
    }
    v.to_string()
}

fn dates_in_order(start: Option<Day>, end: Option<Day>, field: &str, errors: &mut FieldErrors) {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.push((
            field.into(),
            format!("Dates out of order: it ends ({e}) before it starts ({s})."),
        ));
    }
}

// ----- forms -----

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StreamForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub catalog_code: String,
    #[serde(default)]
    pub available: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LineForm {
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub amount: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentForm {
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub stream: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AllocationForm {
    #[serde(default)]
    pub stream: String,
    #[serde(default)]
    pub amount: String,
}

/// Which form a page's errors belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormName {
    #[default]
    None,
    Stream,
    Line,
    Commitment,
    Allocation,
}

// ----- the page -----

pub struct MatrixRowView {
    pub phase: &'static str,
    pub cells: Vec<String>,
    pub unfunded: String,
    pub amount: String,
}

pub struct LineView {
    pub id: i64,
    pub phase: &'static str,
    pub name: String,
    pub amount: String,
    pub funded: String,
    pub unfunded: String,
    pub gap: bool,
    pub over: Option<String>,
    /// "Stream: $x" per allocation.
    pub paid_by: String,
}

pub struct StreamView {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub available: String,
    pub allocated: String,
    pub remaining: String,
    pub ends_on: String,
    pub warn: Option<String>,
}

pub struct CommitmentView {
    pub id: i64,
    pub organization: String,
    pub stream: String,
    pub kind: &'static str,
    pub amount: String,
    pub status: &'static str,
    pub period: String,
    pub warning: Option<String>,
}

#[derive(Template)]
#[template(path = "funding.html")]
pub struct FundingTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub can_edit: bool,
    pub total: String,
    pub funded: String,
    pub unfunded: String,
    pub stream_names: Vec<String>,
    pub stream_totals: Vec<String>,
    pub matrix: Vec<MatrixRowView>,
    pub lines: Vec<LineView>,
    pub streams: Vec<StreamView>,
    pub flags: Vec<String>,
    pub commitments: Vec<CommitmentView>,
    pub commitment_totals: Vec<(&'static str, String)>,
    pub commitment_total: String,
    pub stream_choices: Vec<Choice>,
    pub org_choices: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub phases: Vec<Choice>,
    pub commitment_kinds: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub catalog: Vec<Choice>,
    pub stream_form: StreamForm,
    pub line_form: LineForm,
    pub commitment_form: CommitmentForm,
    pub errors: FieldErrors,
    pub error_form: FormName,
    pub notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct FundingQuery {
    format: Option<String>,
    table: Option<String>,
    notice: Option<String>,
}

/// What the page computes from the records.
struct Computed {
    braid: Braid,
    streams: Vec<sectorkit_store::FundingStream>,
    commitments: Vec<sectorkit_store::StoredCommitment>,
    allocations: Vec<sectorkit_core::funding::Allocation>,
}

async fn compute(state: &AppState, tenant: &Tenant) -> Result<Computed, AppError> {
    let streams = state.store.streams(tenant.id).await?;
    let lines = state.store.budget_lines(tenant.id).await?;
    let allocations = state.store.allocations(tenant.id).await?;
    let core: Vec<_> = streams.iter().map(|s| s.as_core()).collect();
    let braid = braid(
        &core,
        &lines,
        &allocations,
        today(),
        DEFAULT_EXPIRING_WITHIN_DAYS,
    );
    let commitments = state.store.commitments(tenant.id).await?;
    Ok(Computed {
        braid,
        streams,
        commitments,
        allocations,
    })
}

fn as_core_commitment(c: &sectorkit_store::StoredCommitment) -> Commitment {
    Commitment {
        partner: c.organization.clone(),
        stream_id: c.fields.stream_id,
        kind: c.fields.kind,
        amount: c.fields.amount,
        status: c.fields.status,
        starts_on: c.fields.starts_on,
        ends_on: c.fields.ends_on,
    }
}

/// The warning of one stored commitment (larger than its stream, with the stream's others).
fn commitment_warning(c: &sectorkit_store::StoredCommitment, all: &Computed) -> Option<String> {
    let sid = c.fields.stream_id?;
    let available = all
        .streams
        .iter()
        .find(|s| s.id == sid)
        .map(|s| s.fields.available);
    let others: Money = all
        .commitments
        .iter()
        .filter(|o| o.id != c.id && o.fields.stream_id == Some(sid))
        .map(|o| o.fields.amount)
        .sum();
    check_commitment(&as_core_commitment(c), available, others)
        .into_iter()
        .find(|i| !i.is_error())
        .map(|i| i.message())
}

#[allow(clippy::too_many_arguments)]
async fn funding_view(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    stream_form: StreamForm,
    line_form: LineForm,
    commitment_form: CommitmentForm,
    errors: FieldErrors,
    error_form: FormName,
    notice: Option<String>,
) -> Result<FundingTemplate, AppError> {
    let partnership = state.store.partnership(tenant.id).await?;
    let all = compute(state, tenant).await?;
    let b = &all.braid;
    let name_of = |sid: i64| {
        all.streams
            .iter()
            .find(|s| s.id == sid)
            .map(|s| s.fields.name.clone())
            .unwrap_or_default()
    };
    let lines = b
        .lines
        .iter()
        .map(|l| LineView {
            id: l.line_id,
            phase: l.phase.label(),
            name: l.name.clone(),
            amount: l.amount.to_string(),
            funded: l.funded.to_string(),
            unfunded: l.unfunded.to_string(),
            gap: l.unfunded > Money::ZERO,
            over: (l.over_allocated > Money::ZERO).then(|| l.over_allocated.to_string()),
            paid_by: all
                .allocations
                .iter()
                .filter(|a| a.line_id == l.line_id)
                .map(|a| format!("{}: {}", name_of(a.stream_id), a.amount))
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let streams = b
        .streams
        .iter()
        .map(|s| StreamView {
            id: s.stream_id,
            name: s.name.clone(),
            kind: s.kind.label(),
            available: s.available.to_string(),
            allocated: s.allocated.to_string(),
            remaining: s.remaining.to_string(),
            ends_on: all
                .streams
                .iter()
                .find(|x| x.id == s.stream_id)
                .and_then(|x| x.fields.ends_on)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            warn: if s.expired {
                Some("expired".into())
            } else if s.over_committed {
                Some("over-committed".into())
            } else if s.expiring {
                Some(format!("ends in {} days", s.days_left.unwrap_or(0)))
            } else {
                None
            },
        })
        .collect();
    let totals = commitment_totals(
        &all.commitments
            .iter()
            .map(as_core_commitment)
            .collect::<Vec<_>>(),
    );
    let commitments = all
        .commitments
        .iter()
        .map(|c| CommitmentView {
            id: c.id,
            organization: c.organization.clone(),
            stream: c.stream.clone().unwrap_or_default(),
            kind: c.fields.kind.label(),
            amount: c.fields.amount.to_string(),
            status: c.fields.status.label(),
            period: match (c.fields.starts_on, c.fields.ends_on) {
                (None, None) => String::new(),
                (s, e) => format!(
                    "{} – {}",
                    s.map(|d| d.to_string()).unwrap_or_default(),
                    e.map(|d| d.to_string()).unwrap_or_default()
                ),
            },
            warning: commitment_warning(c, &all),
        })
        .collect();
    let orgs = state.store.organizations(tenant.id, None, false).await?;
    Ok(FundingTemplate {
        chrome: Chrome::for_partnership(auth, &partnership, tenant.role, "funding"),
        pid: tenant.id.0,
        can_edit: tenant.role >= Role::Staff,
        total: b.total.to_string(),
        funded: b.funded.to_string(),
        unfunded: b.unfunded.to_string(),
        stream_names: b.streams.iter().map(|s| s.name.clone()).collect(),
        stream_totals: b.streams.iter().map(|s| s.funded.to_string()).collect(),
        matrix: b
            .matrix
            .iter()
            .zip(&b.phases)
            .map(|(m, p)| MatrixRowView {
                phase: m.phase.label(),
                cells: m.cells.iter().map(|c| c.to_string()).collect(),
                unfunded: p.unfunded.to_string(),
                amount: p.amount.to_string(),
            })
            .collect(),
        lines,
        streams,
        flags: b.flags.iter().map(|f| f.message()).collect(),
        commitments,
        commitment_totals: CommitmentStatus::ALL
            .iter()
            .map(|s| {
                (
                    s.label(),
                    totals
                        .by_status
                        .get(s)
                        .copied()
                        .unwrap_or(Money::ZERO)
                        .to_string(),
                )
            })
            .collect(),
        commitment_total: totals.total.to_string(),
        stream_choices: all
            .streams
            .iter()
            .map(|s| Choice {
                value: s.id.to_string(),
                label: s.fields.name.clone(),
                selected: commitment_form.stream == s.id.to_string(),
            })
            .collect(),
        org_choices: orgs
            .iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: o.fields.name.clone(),
                selected: commitment_form.organization == o.id.to_string(),
            })
            .collect(),
        kinds: choices(
            StreamKind::ALL,
            StreamKind::code,
            StreamKind::label,
            &stream_form.kind,
        ),
        phases: choices(Phase::ALL, Phase::code, Phase::label, &line_form.phase),
        commitment_kinds: choices(
            CommitmentKind::ALL,
            CommitmentKind::code,
            CommitmentKind::label,
            &commitment_form.kind,
        ),
        statuses: choices(
            CommitmentStatus::ALL,
            CommitmentStatus::code,
            CommitmentStatus::label,
            &commitment_form.status,
        ),
        catalog: sectorkit_core::funding_catalog::CATALOG
            .iter()
            .map(|c| Choice {
                value: c.code.into(),
                label: c.name.into(),
                selected: stream_form.catalog_code == c.code,
            })
            .collect(),
        stream_form,
        line_form,
        commitment_form,
        errors,
        error_form,
        notice,
        partnership,
    })
}

#[allow(clippy::too_many_arguments)]
async fn refuse(
    state: &AppState,
    auth: &Auth,
    tenant: &Tenant,
    which: FormName,
    errors: FieldErrors,
    stream_form: StreamForm,
    line_form: LineForm,
    commitment_form: CommitmentForm,
) -> Result<Response, AppError> {
    let t = funding_view(
        state,
        auth,
        tenant,
        stream_form,
        line_form,
        commitment_form,
        errors,
        which,
        None,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&t)?).into_response())
}

fn back(tenant: &Tenant, notice: &str, anchor: &str) -> Response {
    Redirect::to(&format!(
        "/p/{}/funding?notice={notice}#{anchor}",
        tenant.id
    ))
    .into_response()
}

/// `GET /p/{pid}/funding`: the braided budget, lines, streams, commitments. CSV with
/// `format=csv&table=braid|lines|streams|commitments`.
pub async fn funding_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<FundingQuery>,
) -> Result<Response, AppError> {
    if q.format.as_deref() == Some("csv") {
        let all = compute(&state, &tenant).await?;
        let b = &all.braid;
        // Exact decimal dollars from whole cents (no floating point).
        let cents = |m: Money| format!("{}.{:02}", m.cents() / 100, m.cents() % 100);
        return match q.table.as_deref().unwrap_or("braid") {
            "braid" => {
                let mut header = vec!["phase".to_string()];
                header.extend(b.streams.iter().map(|s| s.name.clone()));
                header.extend(["unfunded".into(), "total".into()]);
                let mut rows: Vec<Vec<String>> = b
                    .matrix
                    .iter()
                    .zip(&b.phases)
                    .map(|(m, p)| {
                        let mut r = vec![m.phase.code().to_string()];
                        r.extend(m.cells.iter().map(|c| cents(*c)));
                        r.extend([cents(p.unfunded), cents(p.amount)]);
                        r
                    })
                    .collect();
                let mut t = vec!["total".to_string()];
                t.extend(b.streams.iter().map(|s| cents(s.funded)));
                t.extend([cents(b.unfunded), cents(b.total)]);
                rows.push(t);
                let h: Vec<&str> = header.iter().map(String::as_str).collect();
                csv_file("braided-budget.csv", &h, rows)
            }
            "lines" => csv_file(
                "budget-lines.csv",
                &[
                    "phase",
                    "line",
                    "amount",
                    "funded",
                    "unfunded",
                    "over_allocated",
                ],
                b.lines.iter().map(|l| {
                    vec![
                        l.phase.code().into(),
                        l.name.clone(),
                        cents(l.amount),
                        cents(l.funded),
                        cents(l.unfunded),
                        cents(l.over_allocated),
                    ]
                }),
            ),
            "streams" => csv_file(
                "funding-streams.csv",
                &[
                    "stream",
                    "kind",
                    "available",
                    "allocated",
                    "remaining",
                    "ends_on",
                ],
                b.streams.iter().map(|s| {
                    vec![
                        s.name.clone(),
                        s.kind.code().into(),
                        cents(s.available),
                        cents(s.allocated),
                        cents(s.remaining),
                        all.streams
                            .iter()
                            .find(|x| x.id == s.stream_id)
                            .and_then(|x| x.fields.ends_on)
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                    ]
                }),
            ),
            "commitments" => csv_file(
                "commitments.csv",
                &[
                    "organization",
                    "stream",
                    "kind",
                    "amount",
                    "status",
                    "starts_on",
                    "ends_on",
                ],
                all.commitments.iter().map(|c| {
                    vec![
                        c.organization.clone(),
                        c.stream.clone().unwrap_or_default(),
                        c.fields.kind.code().into(),
                        cents(c.fields.amount),
                        c.fields.status.code().into(),
                        c.fields
                            .starts_on
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        c.fields.ends_on.map(|d| d.to_string()).unwrap_or_default(),
                    ]
                }),
            ),
            other => Err(unknown_table(
                other,
                &["braid", "lines", "streams", "commitments"],
            )),
        };
    }
    let notice = q.notice.as_deref().map(|n| match n {
        "stream" => "Stream saved.".to_string(),
        "line" => "Budget line saved.".to_string(),
        "allocation" => "Allocation saved.".to_string(),
        "commitment" => "Commitment saved.".to_string(),
        "archived" => "Archived; its history is kept.".to_string(),
        other => format!("Saved ({other})."),
    });
    let t = funding_view(
        &state,
        &auth,
        &tenant,
        StreamForm {
            kind: "federal".into(),
            ..StreamForm::default()
        },
        LineForm::default(),
        CommitmentForm {
            kind: "cash".into(),
            status: "pledged".into(),
            ..CommitmentForm::default()
        },
        Vec::new(),
        FormName::None,
        notice,
    )
    .await?;
    Ok(page(&t)?.into_response())
}

/// `POST /p/{pid}/funding/streams`.
pub async fn create_stream(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(f): Form<StreamForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let name = check_name("name", &f.name, "stream", &mut errors);
    let kind = match f.kind.parse::<StreamKind>() {
        Ok(k) => Some(k),
        Err(e) => {
            errors.push(("kind".into(), e.to_string()));
            None
        }
    };
    let available = parse_money("available", &f.available, &mut errors);
    let code = f.catalog_code.trim();
    if !code.is_empty() && sectorkit_core::funding_catalog::find(code).is_none() {
        errors.push((
            "catalog_code".into(),
            format!("{code:?} is not an entry of the funding catalog."),
        ));
    }
    let starts_on = parse_opt_day("starts_on", &f.starts_on, &mut errors);
    let ends_on = parse_opt_day("ends_on", &f.ends_on, &mut errors);
    dates_in_order(starts_on, ends_on, "ends_on", &mut errors);
    match (kind, available, errors.is_empty()) {
        (Some(kind), Some(available), true) => {
            let fields = StreamFields {
                name,
                kind,
                catalog_code: f.catalog_code.trim().to_string(),
                available,
                starts_on,
                ends_on,
                notes: f.notes.trim().to_string(),
            };
            state
                .store
                .create_stream(tenant.id, &fields, tenant.user.id)
                .await?;
            Ok(back(&tenant, "stream", "streams"))
        }
        _ => {
            refuse(
                &state,
                &auth,
                &tenant,
                FormName::Stream,
                errors,
                f,
                LineForm::default(),
                CommitmentForm::default(),
            )
            .await
        }
    }
}

/// `POST /p/{pid}/funding/lines`.
pub async fn create_line(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(f): Form<LineForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let name = check_name("name", &f.name, "budget line", &mut errors);
    let phase = match f.phase.parse::<Phase>() {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(("phase".into(), e.to_string()));
            None
        }
    };
    let amount = parse_money("amount", &f.amount, &mut errors);
    match (phase, amount, errors.is_empty()) {
        (Some(phase), Some(amount), true) => {
            state
                .store
                .create_line(tenant.id, phase, &name, amount, tenant.user.id)
                .await?;
            Ok(back(&tenant, "line", "lines"))
        }
        _ => {
            refuse(
                &state,
                &auth,
                &tenant,
                FormName::Line,
                errors,
                StreamForm::default(),
                f,
                CommitmentForm::default(),
            )
            .await
        }
    }
}

/// `POST /p/{pid}/funding/lines/{lid}/allocations`: how much of the line a stream pays
/// (0 removes it).
pub async fn set_allocation(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Path((_, lid)): Path<(i64, i64)>,
    Form(f): Form<AllocationForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let stream = parse_id(&f.stream);
    if stream.is_none() {
        errors.push(("stream".into(), "Choose the stream that pays.".into()));
    }
    let amount = parse_money("amount", &f.amount, &mut errors);
    if let (Some(stream), Some(amount), true) = (stream, amount, errors.is_empty()) {
        match state
            .store
            .set_allocation(tenant.id, lid, stream, amount, tenant.user.id)
            .await
        {
            Ok(()) => return Ok(back(&tenant, "allocation", "lines")),
            Err(StoreError::NotFound) => errors.push((
                "stream".into(),
                "That line or stream is not one of this partnership's.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    refuse(
        &state,
        &auth,
        &tenant,
        FormName::Allocation,
        errors,
        StreamForm::default(),
        LineForm::default(),
        CommitmentForm::default(),
    )
    .await
}

/// `POST /p/{pid}/funding/commitments`.
pub async fn create_commitment(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Form(f): Form<CommitmentForm>,
) -> Result<Response, AppError> {
    let mut errors = Vec::new();
    let organization = parse_id(&f.organization);
    if organization.is_none() {
        errors.push(("organization".into(), "Choose the partner.".into()));
    }
    let kind = f
        .kind
        .parse::<CommitmentKind>()
        .map_err(|e| errors.push(("kind".into(), e.to_string())))
        .ok();
    let status = f
        .status
        .parse::<CommitmentStatus>()
        .map_err(|e| errors.push(("status".into(), e.to_string())))
        .ok();
    let amount = parse_money("amount", &f.amount, &mut errors);
    let starts_on = parse_opt_day("starts_on", &f.starts_on, &mut errors);
    let ends_on = parse_opt_day("ends_on", &f.ends_on, &mut errors);
    dates_in_order(starts_on, ends_on, "ends_on", &mut errors);
    if let (Some(organization_id), Some(kind), Some(status), Some(amount), true) =
        (organization, kind, status, amount, errors.is_empty())
    {
        let fields = CommitmentFields {
            organization_id,
            stream_id: parse_id(&f.stream),
            kind,
            amount,
            status,
            starts_on,
            ends_on,
            notes: f.notes.trim().to_string(),
        };
        match state
            .store
            .create_commitment(tenant.id, &fields, tenant.user.id)
            .await
        {
            Ok(_) => return Ok(back(&tenant, "commitment", "commitments")),
            Err(StoreError::NotFound) => errors.push((
                "organization".into(),
                "That partner or stream is not one of this partnership's.".into(),
            )),
            Err(e) => return Err(e.into()),
        }
    }
    refuse(
        &state,
        &auth,
        &tenant,
        FormName::Commitment,
        errors,
        StreamForm::default(),
        LineForm::default(),
        f,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

/// `POST /p/{pid}/funding/commitments/{cid}/status`.
pub async fn commitment_status(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, cid)): Path<(i64, i64)>,
    Form(f): Form<StatusForm>,
) -> Result<Response, AppError> {
    let status = f
        .status
        .parse::<CommitmentStatus>()
        .map_err(|e| AppError::Unprocessable(format!("status: {e}")))?;
    state
        .store
        .set_commitment_status(tenant.id, cid, status, tenant.user.id)
        .await?;
    Ok(back(&tenant, "commitment", "commitments"))
}

/// `POST /p/{pid}/funding/streams/{sid}/archive`.
pub async fn archive_stream(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    state
        .store
        .archive_funding_record(tenant.id, "funding_stream", sid, tenant.user.id)
        .await?;
    Ok(back(&tenant, "archived", "streams"))
}

/// `POST /p/{pid}/funding/lines/{lid}/archive`.
pub async fn archive_line(
    State(state): State<AppState>,
    tenant: Tenant,
    Path((_, lid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    state
        .store
        .archive_funding_record(tenant.id, "budget_line", lid, tenant.user.id)
        .await?;
    Ok(back(&tenant, "archived", "lines"))
}

// ----- the reference catalog -----

#[derive(Template)]
#[template(path = "funding_catalog.html")]
pub struct CatalogTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub pid: i64,
    pub q: String,
    pub kinds: Vec<Choice>,
    pub entries: Vec<&'static sectorkit_core::funding_catalog::CatalogStream>,
    pub caution: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct CatalogQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
}

/// `GET /p/{pid}/funding/catalog[?q=words&kind=K]`: the reference catalog of funding streams,
/// searchable and filterable by type.
pub async fn catalog_page(
    State(state): State<AppState>,
    Extension(auth): Extension<Auth>,
    tenant: Tenant,
    Query(q): Query<CatalogQuery>,
) -> Result<Response, AppError> {
    use sectorkit_core::funding_catalog::{CAUTION, search};
    let kind = match q.kind.trim() {
        "" => None,
        k => Some(
            k.parse::<StreamKind>()
                .map_err(|e| AppError::Unprocessable(format!("kind: {e}")))?,
        ),
    };
    let partnership = state.store.partnership(tenant.id).await?;
    let entries = search(&q.q)
        .into_iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .collect();
    let t = CatalogTemplate {
        chrome: Chrome::for_partnership(&auth, &partnership, tenant.role, "funding"),
        pid: tenant.id.0,
        kinds: choices(
            StreamKind::ALL,
            StreamKind::code,
            StreamKind::label,
            &q.kind,
        ),
        q: q.q,
        entries,
        caution: CAUTION,
        partnership,
    };
    Ok(page(&t)?.into_response())
}
