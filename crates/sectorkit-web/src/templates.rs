//! Page templates (askama, checked at compile time) and the data every page shares.

use crate::auth::Auth;
use crate::error::AppError;
use askama::Template;
use axum::response::Html;
use sectorkit_core::role::Role;
use sectorkit_store::{Invitation, Member, MyPartnership, Partnership, User};

/// A section of a partnership's workspace, in lifecycle order.
pub struct Section {
    pub slug: &'static str,
    pub title: &'static str,
    /// What the section is for, in a sentence.
    pub purpose: &'static str,
    /// What it will contain once built (shown while it is not built).
    pub planned: &'static [&'static str],
    pub built: bool,
}

/// The workspace navigation: Overview, then these, in the order of the partnership lifecycle.
pub const SECTIONS: &[Section] = &[
    Section {
        slug: "region",
        title: "Region & industries",
        purpose: "Assess regional needs with public data: which industries matter here.",
        planned: &[
            "Your region, built from counties or a metro area",
            "The target-industry table from BLS QCEW: employment, wages, growth, location quotients, shift-share, projections, ranks and scores",
            "Charts and a county map; the partnership's shortlist of target industries",
        ],
        built: true,
    },
    Section {
        slug: "occupations",
        title: "Occupations",
        purpose: "Which occupations the target industries need, what they pay, and where workers commute from.",
        planned: &[
            "Staffing patterns of target industries from BLS OEWS",
            "Wages, projections, openings, education and training, career ladders",
            "Commuting sheds from Census LODES",
        ],
        built: true,
    },
    Section {
        slug: "partners",
        title: "Partners",
        purpose: "Convene the table: employers, education, workforce, labor and community partners.",
        planned: &[
            "Organizations and contacts, with CSV import",
            "A composition check of who is missing, and a readiness assessment",
            "Meetings, engagement and employer outreach",
        ],
        built: true,
    },
    Section {
        slug: "plan",
        title: "Plan",
        purpose: "Industry issues, a few priorities picked and kept, plan on a page, logic model, action plan.",
        planned: &[
            "Industry issues linked to their evidence",
            "Prioritization rounds and the plan on a page",
            "Logic model and action plan",
        ],
        built: true,
    },
    Section {
        slug: "funding",
        title: "Funding",
        purpose: "Fund and sustain the work: funding streams braided into budgets, commitments.",
        planned: &["Funding streams and commitments", "Budgets by phase"],
        built: true,
    },
    Section {
        slug: "metrics",
        title: "Metrics",
        purpose: "Measure progress, outcomes and impact, job quality and equity, and the WIOA indicators.",
        planned: &[
            "Framework and indicators with targets and actuals",
            "Participant outcomes with small-cell suppression",
            "Dashboards and a public scorecard",
        ],
        built: true,
    },
    Section {
        slug: "guide",
        title: "Guide",
        purpose: "The partnership lifecycle in plain words, linked to the pages that do the work.",
        planned: &[
            "Twelve chapters from deciding on a sector approach to learning from the work",
            "A getting-started checklist and an inventory of tools",
            "Keyword search across the guide and your records",
        ],
        built: false,
    },
];

pub fn section(slug: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.slug == slug)
}

/// The partnership a page belongs to, for the navigation.
pub struct NavPartnership {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// The active nav entry: "" for the overview, a section slug, or "members".
    pub active: String,
}

/// What the layout needs on every page.
pub struct Chrome {
    pub user_name: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
    pub nav: Option<NavPartnership>,
    pub sections: &'static [Section],
}

impl Chrome {
    pub fn new(auth: Option<&Auth>, nav: Option<NavPartnership>) -> Self {
        let user = auth.and_then(|a| a.user.as_ref());
        Chrome {
            user_name: user.map(|u| {
                if u.name.is_empty() {
                    u.email.clone()
                } else {
                    u.name.clone()
                }
            }),
            is_admin: user.is_some_and(|u| u.is_admin),
            csrf: auth.map(|a| a.csrf.clone()).unwrap_or_default(),
            nav,
            sections: SECTIONS,
        }
    }

    pub fn for_partnership(auth: &Auth, p: &Partnership, role: Role, active: &str) -> Self {
        Chrome::new(
            Some(auth),
            Some(NavPartnership {
                id: p.id.0,
                name: p.name.clone(),
                role,
                active: active.to_string(),
            }),
        )
    }
}

/// Renders a template to a string; a rendering failure becomes a short plain message.
pub fn render_string<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template rendering failed");
        "Internal error while rendering the page.".to_string()
    })
}

/// Renders a template as an HTML response.
pub fn page<T: Template>(t: &T) -> Result<Html<String>, AppError> {
    t.render()
        .map(Html)
        .map_err(|e| AppError::Internal(format!("template rendering failed: {e}")))
}

/// Formats Unix seconds as a UTC date, e.g. `2026-11-23`.
pub fn date(ts: &i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(*ts)
        .map(|t| {
            t.format(&time::macros::format_description!("[year]-[month]-[day]"))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Formats Unix seconds as a UTC date and time.
pub fn datetime(ts: &i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(*ts)
        .map(|t| {
            t.format(&time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .unwrap_or_default()
        })
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    pub chrome: Chrome,
    pub status: u16,
    pub title: String,
    pub message: String,
    pub request_id: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginTemplate {
    pub chrome: Chrome,
    pub next: String,
    pub email: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomeTemplate {
    pub chrome: Chrome,
    pub user: User,
    pub partnerships: Vec<MyPartnership>,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountTemplate {
    pub chrome: Chrome,
    pub user: User,
    pub notice: Option<String>,
    pub error_current: Option<String>,
    pub error_new: Option<String>,
}

#[derive(Template)]
#[template(path = "partnership_new.html")]
pub struct NewPartnershipTemplate {
    pub chrome: Chrome,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub error_name: Option<String>,
    pub error_slug: Option<String>,
}

#[derive(Template)]
#[template(path = "overview.html")]
pub struct OverviewTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub role: Role,
    pub member_count: usize,
    pub open_invitations: usize,
    pub by_role: Vec<(Role, usize)>,
    /// Engagement red flags from the partnership's records.
    pub flags: Vec<crate::handlers::convening::FlagView>,
    /// Meetings held, action items open and overdue.
    pub meetings_held: usize,
    pub open_actions: usize,
    pub overdue_actions: usize,
}

#[derive(Template)]
#[template(path = "members.html")]
pub struct MembersTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub role: Role,
    pub me: i64,
    pub members: Vec<Member>,
    pub invitations: Vec<Invitation>,
    pub grantable: Vec<Role>,
    pub all_roles: &'static [Role],
    pub new_link: Option<String>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub form_email: String,
}

#[derive(Template)]
#[template(path = "section.html")]
pub struct SectionTemplate {
    pub chrome: Chrome,
    pub partnership: Partnership,
    pub section: &'static Section,
}

/// What the invitation page shows.
pub enum InviteState {
    /// Open; the visitor is signed out and no account has the email: offer to create one.
    SignUp,
    /// Open; an account has the email but the visitor is signed out: ask to sign in.
    SignIn,
    /// Open; signed in as the invited email: offer to accept.
    Accept,
    /// Open; signed in as someone else.
    WrongAccount(String),
    /// Used, revoked, expired or unknown.
    Closed,
}

#[derive(Template)]
#[template(path = "invite.html")]
pub struct InviteTemplate {
    pub chrome: Chrome,
    pub token: String,
    pub partnership_name: String,
    pub email: String,
    pub role: Role,
    pub state: InviteState,
    pub name: String,
    pub error_name: Option<String>,
    pub error_password: Option<String>,
}
