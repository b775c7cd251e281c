//! The route table and the layer stack.
//!
//! Routes are added through [`Routes::add`], which records each (method, pattern) it registers so
//! that tests can enumerate every registered route and check it against
//! [`crate::policy::POLICIES`].

use crate::api;
use crate::error::error_page_layer;
use crate::handlers::{
    account, alignment, commute, convening, data, funding, health, invite, occupations, outcomes,
    partners, partners_import, partnerships, plan, plan_page, plan_records, readiness, records,
    region, reports, statics, sustain, tokens,
};
use crate::policy::policy_layer;
use crate::{AppState, auth};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderName, Method, Request};
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodFilter, on};
use tower::ServiceBuilder;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

/// A router that remembers what was registered.
pub struct Routes {
    router: Router<AppState>,
    registered: Vec<(Method, &'static str)>,
}

impl Routes {
    fn new() -> Self {
        Routes {
            router: Router::new(),
            registered: Vec::new(),
        }
    }

    fn add<H, T>(mut self, method: Method, pattern: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("standard method");
        self.router = self.router.route(pattern, on(filter, handler));
        self.registered.push((method, pattern));
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, p: &'static str, h: H) -> Self {
        self.add(Method::GET, p, h)
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, p: &'static str, h: H) -> Self {
        self.add(Method::POST, p, h)
    }
}

fn table() -> Routes {
    Routes::new()
        .get("/healthz", health::healthz)
        .get("/static/{file}", statics::asset)
        .get("/login", account::login_page)
        .post("/login", account::login)
        .post("/logout", account::logout)
        .get("/", partnerships::home)
        .get("/account", account::account_page)
        .post("/account/password", account::change_password)
        .get("/invite/{token}", invite::invite_page)
        .post("/invite/{token}", invite::accept)
        .get("/partnerships/new", partnerships::new_page)
        .post("/partnerships", partnerships::create)
        .get("/p/{pid}", partnerships::overview)
        .get("/p/{pid}/members", partnerships::members_page)
        .post("/p/{pid}/invitations", partnerships::invite)
        .post(
            "/p/{pid}/invitations/{id}/revoke",
            partnerships::revoke_invitation,
        )
        .post("/p/{pid}/members/{uid}/role", partnerships::change_role)
        .post("/p/{pid}/members/{uid}/remove", partnerships::remove_member)
        .get("/p/{pid}/region", region::home)
        .get("/p/{pid}/region/data", data::data_page)
        .post(
            "/p/{pid}/region/data",
            data::upload.layer(DefaultBodyLimit::max(data::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .post("/p/{pid}/regions", region::create_region)
        .get("/p/{pid}/regions/{rid}", region::table)
        .get("/p/{pid}/regions/{rid}/industries/{code}", region::industry)
        .get("/p/{pid}/regions/{rid}/report", reports::needs_assessment)
        .get("/p/{pid}/one-pager", reports::one_pager)
        .post("/p/{pid}/regions/{rid}/primary", region::make_primary)
        .post("/p/{pid}/regions/{rid}/delete", region::delete_region)
        .post("/p/{pid}/shortlist", region::add_to_shortlist)
        .post(
            "/p/{pid}/shortlist/{sid}/remove",
            region::remove_from_shortlist,
        )
        .post("/p/{pid}/shortlist/{sid}/comments", region::comment)
        .get("/p/{pid}/occupations", occupations::occupations)
        .get("/p/{pid}/commute", commute::commute)
        .post(
            "/p/{pid}/occupations/living-wages",
            occupations::import_living_wages
                .layer(DefaultBodyLimit::max(occupations::MAX_LW_BYTES + 64 * 1024)),
        )
        .get("/p/{pid}/tokens", tokens::tokens_page)
        .post("/p/{pid}/tokens", tokens::create)
        .post("/p/{pid}/tokens/{tid}/revoke", tokens::revoke)
        .get("/p/{pid}/partners", partners::partners_page)
        .post(
            "/p/{pid}/partners/organizations",
            partners::create_organization,
        )
        .get(
            "/p/{pid}/partners/organizations/{oid}",
            partners::organization_page,
        )
        .post(
            "/p/{pid}/partners/organizations/{oid}",
            partners::update_organization,
        )
        .post(
            "/p/{pid}/partners/organizations/{oid}/archive",
            partners::archive_organization,
        )
        .post(
            "/p/{pid}/partners/organizations/{oid}/restore",
            partners::restore_organization,
        )
        .post("/p/{pid}/partners/contacts", partners::create_contact)
        .post(
            "/p/{pid}/partners/import",
            partners_import::upload.layer(DefaultBodyLimit::max(
                partners_import::MAX_IMPORT_BYTES + 64 * 1024,
            )),
        )
        .post("/p/{pid}/partners/import/confirm", partners_import::confirm)
        .post(
            "/p/{pid}/partners/contacts/{cid}/archive",
            partners::archive_contact,
        )
        .get("/p/{pid}/partners/meetings", convening::meetings_page)
        .post("/p/{pid}/partners/meetings", convening::create_meeting)
        .get("/p/{pid}/partners/meetings/{mid}", convening::meeting_page)
        .post(
            "/p/{pid}/partners/meetings/{mid}",
            convening::update_meeting,
        )
        .post(
            "/p/{pid}/partners/meetings/{mid}/attendance",
            convening::save_attendance,
        )
        .post(
            "/p/{pid}/partners/meetings/{mid}/actions",
            convening::create_action,
        )
        .post(
            "/p/{pid}/partners/actions/{aid}/status",
            convening::action_status,
        )
        .post("/p/{pid}/partners/settings", convening::save_settings)
        .get("/p/{pid}/partners/readiness", readiness::readiness_page)
        .post("/p/{pid}/partners/readiness", readiness::save_readiness)
        .get("/p/{pid}/funding", funding::funding_page)
        .get("/p/{pid}/funding/catalog", funding::catalog_page)
        .post("/p/{pid}/funding/streams", funding::create_stream)
        .post(
            "/p/{pid}/funding/streams/{sid}/archive",
            funding::archive_stream,
        )
        .post("/p/{pid}/funding/lines", funding::create_line)
        .post(
            "/p/{pid}/funding/lines/{lid}/archive",
            funding::archive_line,
        )
        .post(
            "/p/{pid}/funding/lines/{lid}/allocations",
            funding::set_allocation,
        )
        .post("/p/{pid}/funding/commitments", funding::create_commitment)
        .post(
            "/p/{pid}/funding/commitments/{cid}/status",
            funding::commitment_status,
        )
        .get("/p/{pid}/plan", plan::plan_page)
        .get("/p/{pid}/plan/page", plan_page::plan_on_a_page)
        .post("/p/{pid}/plan/page", plan_page::save_plan_page)
        .get("/p/{pid}/plan/roadmap", plan_page::roadmap)
        .get("/p/{pid}/plan/logic", plan_page::logic_model)
        .post("/p/{pid}/plan/logic", plan_page::create_logic_element)
        .get("/p/{pid}/plan/actions", plan_page::action_plan)
        .post("/p/{pid}/plan/actions", plan_page::create_key_action)
        .post("/p/{pid}/plan/actions/{aid}", plan_page::set_action_plan)
        .post("/p/{pid}/plan/strategies", plan_page::create_strategy)
        .post("/p/{pid}/plan/milestones", plan_page::create_milestone)
        .get("/p/{pid}/plan/marketing", sustain::marketing_page)
        .post("/p/{pid}/plan/marketing/messages", sustain::create_message)
        .post("/p/{pid}/plan/marketing/items", sustain::create_comms_item)
        .post(
            "/p/{pid}/plan/marketing/case-story",
            sustain::draft_case_story,
        )
        .get("/p/{pid}/plan/products", sustain::products_page)
        .post("/p/{pid}/plan/products", sustain::create_product)
        .post(
            "/p/{pid}/plan/products/{prid}/status",
            sustain::product_status,
        )
        .post("/p/{pid}/plan/capacity", sustain::create_capacity_role)
        .get("/p/{pid}/plan/lessons", sustain::lessons_page)
        .post("/p/{pid}/plan/lessons", sustain::create_lesson)
        .get("/p/{pid}/plan/alignment", alignment::alignment_page)
        .post("/p/{pid}/plan/alignment/links", alignment::create_link)
        .post(
            "/p/{pid}/plan/alignment/agreements",
            alignment::create_agreement,
        )
        .get(
            "/p/{pid}/plan/alignment/agreements/{gid}/file",
            plan_records::download_agreement_file,
        )
        .post(
            "/p/{pid}/plan/alignment/agreements/{gid}/file",
            plan_records::upload_agreement_file.layer(DefaultBodyLimit::max(
                plan_records::MAX_AGREEMENT_FILE_BYTES + 64 * 1024,
            )),
        )
        .get("/p/{pid}/plan/records", plan_records::records_page)
        .post(
            "/p/{pid}/plan/records/{kind}/{rid}/archive",
            plan_records::archive_record,
        )
        .post(
            "/p/{pid}/plan/records/{kind}/{rid}/restore",
            plan_records::restore_record,
        )
        .get("/p/{pid}/plan/search", plan_records::search_page)
        .get("/p/{pid}/metrics", outcomes::metrics_page)
        .post(
            "/p/{pid}/metrics/participants",
            outcomes::upload_participants.layer(DefaultBodyLimit::max(
                outcomes::MAX_PARTICIPANT_FILE_BYTES + 64 * 1024,
            )),
        )
        .get(
            "/p/{pid}/metrics/participants/{uid}",
            outcomes::mapping_page,
        )
        .post(
            "/p/{pid}/metrics/participants/{uid}",
            outcomes::confirm_import,
        )
        .post("/p/{pid}/plan/settings", plan::save_plan_settings)
        .post("/p/{pid}/plan/issues", plan::create_issue)
        .get("/p/{pid}/plan/issues/{iid}", plan::issue_page)
        .post("/p/{pid}/plan/issues/{iid}", plan::update_issue)
        .post("/p/{pid}/plan/issues/{iid}/archive", plan::archive_issue)
        .post("/p/{pid}/plan/issues/{iid}/restore", plan::restore_issue)
        .post("/p/{pid}/plan/issues/{iid}/evidence", plan::add_evidence)
        .post(
            "/p/{pid}/plan/issues/{iid}/evidence/{eid}/remove",
            plan::remove_evidence,
        )
        .post("/p/{pid}/plan/rounds", plan::create_round)
        .get("/p/{pid}/plan/rounds/{rid}", plan::round_page)
        .post("/p/{pid}/plan/rounds/{rid}/ballot", plan::cast_ballot)
        .post("/p/{pid}/plan/rounds/{rid}/close", plan::close_round)
        .post("/p/{pid}/plan/rounds/{rid}/confirm", plan::confirm_round)
        .post(
            "/p/{pid}/plan/priorities/{prid}/retire",
            plan::retire_priority,
        )
        .get("/p/{pid}/partners/history", records::history_page)
        .get("/p/{pid}/partners/actions/{aid}", records::action_page)
        .post("/p/{pid}/partners/actions/{aid}", records::update_action)
        .get("/p/{pid}/partners/outreach/{tid}", records::touch_page)
        .post("/p/{pid}/partners/outreach/{tid}", records::update_touch)
        .post(
            "/p/{pid}/partners/outreach/{tid}/archive",
            records::archive_touch,
        )
        .post(
            "/p/{pid}/partners/outreach/{tid}/restore",
            records::restore_touch,
        )
        .get("/p/{pid}/partners/voice/{fid}", records::finding_page)
        .post("/p/{pid}/partners/voice/{fid}", records::update_finding)
        .post(
            "/p/{pid}/partners/voice/{fid}/archive",
            records::archive_finding,
        )
        .post(
            "/p/{pid}/partners/voice/{fid}/restore",
            records::restore_finding,
        )
        .get("/p/{pid}/partners/outreach", convening::outreach_page)
        .post("/p/{pid}/partners/outreach", convening::create_touch)
        .get("/p/{pid}/partners/voice", convening::voice_page)
        .post("/p/{pid}/partners/voice", convening::create_finding)
        .get("/p/{pid}/{section}", partnerships::section)
        // The JSON API: every path here is also in api::ApiDoc (a test checks both ways).
        .get("/api/v1/openapi.json", api::openapi_json)
        .get("/api/v1/partnerships/{pid}", api::partnership)
        .get("/api/v1/partnerships/{pid}/regions", api::regions)
        .get("/api/v1/partnerships/{pid}/regions/{rid}", api::region)
        .get(
            "/api/v1/partnerships/{pid}/regions/{rid}/targets",
            api::targets,
        )
        .get("/api/v1/partnerships/{pid}/shortlist", api::shortlist)
        .get("/api/v1/partnerships/{pid}/occupations", api::occupations)
}

/// Every registered (method, pattern), for the route-policy test.
pub fn registered() -> Vec<(Method, &'static str)> {
    table().registered
}

#[derive(Clone, Default)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let id = &auth::random_token()[..16];
        Some(RequestId::new(id.parse().ok()?))
    }
}

/// Builds the full application router with its layers.
pub fn build(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let routes = table();
    routes
        .router
        .route_layer(from_fn_with_state(state.clone(), policy_layer))
        .fallback(handler_404)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), RandomRequestId))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                        let id = req
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("-");
                        tracing::info_span!("request", id, method = %req.method(), path = %req.uri().path())
                    }),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(from_fn_with_state(state.clone(), auth::session_layer))
                .layer(from_fn_with_state(state.clone(), error_page_layer))
                .layer(from_fn_with_state(state.clone(), auth::csrf_layer)),
        )
        .with_state(state)
}

async fn handler_404() -> crate::error::AppError {
    crate::error::AppError::NotFound
}

#[cfg(test)]
mod tests {
    use crate::policy::{POLICIES, policy_for};

    /// Every registered route has a declared policy, and every declared policy names a route.
    #[test]
    fn every_route_has_a_policy() {
        let routes = super::registered();
        assert!(routes.len() >= 10);
        for (method, pattern) in &routes {
            assert!(
                policy_for(method, pattern).is_some(),
                "route {method} {pattern} has no policy in POLICIES"
            );
        }
        for (m, p, _) in POLICIES {
            assert!(
                routes.iter().any(|(rm, rp)| rm.as_str() == *m && rp == p),
                "policy for {m} {p} names no registered route"
            );
        }
    }

    /// The OpenAPI document describes exactly the registered API routes, with their methods.
    #[test]
    fn openapi_document_matches_the_api_routes() {
        let doc: serde_json::Value = serde_json::from_str(crate::api::openapi_text()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        let mut documented: Vec<(String, String)> = paths
            .iter()
            .flat_map(|(p, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.to_uppercase(), p.clone()))
            })
            .collect();
        let mut registered: Vec<(String, String)> = super::registered()
            .into_iter()
            .filter(|(_, p)| p.starts_with("/api/"))
            .map(|(m, p)| (m.as_str().to_string(), p.to_string()))
            .collect();
        documented.sort();
        registered.sort();
        assert_eq!(documented, registered);
        // Every operation but the document itself requires the bearer token.
        for (p, ops) in paths {
            for (m, op) in ops.as_object().unwrap() {
                let secured = op.get("security").is_some();
                assert_eq!(secured, p != "/api/v1/openapi.json", "{m} {p}");
                assert!(
                    op["responses"].get("401").is_some() || !secured,
                    "{m} {p} lists 401"
                );
            }
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    }
}
