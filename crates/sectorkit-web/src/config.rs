//! Settings of the web layer, already resolved from flags, environment and file by the binary.

use std::time::Duration;

/// Web-layer settings.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub cookie_secure: bool,
    /// How long a login lasts.
    pub session_ttl: Duration,
    /// How long an invitation link stays valid.
    pub invitation_ttl: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    /// Base URL used in invitation links, e.g. `https://sectors.example.org`. When absent, the
    /// request's `Host` header is used.
    pub public_url: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            cookie_secure: false,
            session_ttl: Duration::from_secs(12 * 3600),
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            trust_proxy: false,
            public_url: None,
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}
