//! Membership roles within a partnership (the tenant).
//!
//! Roles are ordered: `Owner > Staff > Partner > Viewer`. A route that requires a role admits any
//! member whose role is at least that one.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A member's role in one partnership. The derive order is the privilege order (lowest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads everything in the partnership, changes nothing.
    Viewer,
    /// A member organization's representative: takes part (votes, comments, own records).
    Partner,
    /// Intermediary staff: runs the partnership day to day.
    Staff,
    /// Owns the partnership: membership and settings.
    Owner,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Staff, Role::Partner, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Partner => "partner",
            Role::Staff => "staff",
            Role::Owner => "owner",
        }
    }

    /// Human label for pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Viewer => "Viewer",
            Role::Partner => "Partner",
            Role::Staff => "Staff",
            Role::Owner => "Owner",
        }
    }

    /// Whether a member with this role may do what `required` allows.
    pub fn allows(self, required: Role) -> bool {
        self >= required
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a role name that is not one of the four.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: expected owner, staff, partner or viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "owner" => Ok(Role::Owner),
            "staff" => Ok(Role::Staff),
            "partner" => Ok(Role::Partner),
            "viewer" => Ok(Role::Viewer),
            _ => Err(UnknownRole(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_privilege_order() {
        assert!(Role::Owner.allows(Role::Staff));
        assert!(Role::Staff.allows(Role::Partner));
        assert!(Role::Partner.allows(Role::Viewer));
        assert!(!Role::Viewer.allows(Role::Partner));
        assert!(!Role::Staff.allows(Role::Owner));
    }

    #[test]
    fn round_trips_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("admin".parse::<Role>().is_err());
    }
}

impl Role {
    /// Whether a member with this role may grant `target` to someone else (invite or change a
    /// member's role). Owners grant any role; staff bring in partners and viewers; others grant
    /// nothing. Decision: staff do the day-to-day inviting of member organizations, but only an
    /// owner can create another owner or staff member.
    pub fn can_grant(self, target: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Staff => matches!(target, Role::Partner | Role::Viewer),
            Role::Partner | Role::Viewer => false,
        }
    }
}

#[cfg(test)]
mod grant_tests {
    use super::*;

    #[test]
    fn who_grants_what() {
        assert!(Role::Owner.can_grant(Role::Owner));
        assert!(Role::Staff.can_grant(Role::Partner));
        assert!(Role::Staff.can_grant(Role::Viewer));
        assert!(!Role::Staff.can_grant(Role::Staff));
        assert!(!Role::Partner.can_grant(Role::Viewer));
    }
}
