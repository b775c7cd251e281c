//! `sectorkit token`: create, list and revoke API tokens from the terminal (the same rules as the
//! web app's tokens page: a token's role is at most its member's role; only the SHA-256 is kept).

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use sectorkit_store::{NewApiToken, PartnershipId, Store};

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a member of a partnership and print it (shown only once).
    ///
    /// Example: sectorkit token create --email ana@example.org --partnership central-ohio --role viewer --name dashboard --days 90
    Create(CreateArgs),
    /// List a partnership's tokens (never the tokens themselves).
    List {
        /// Partnership slug or id.
        #[arg(long)]
        partnership: String,
    },
    /// Revoke a token by its id (from `token list`).
    Revoke {
        /// Partnership slug or id.
        #[arg(long)]
        partnership: String,
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The member the token acts for.
    #[arg(long)]
    pub email: String,
    /// Partnership slug or id.
    #[arg(long)]
    pub partnership: String,
    /// owner, staff, partner or viewer; at most the member's role.
    #[arg(long, default_value = "viewer")]
    pub role: String,
    /// What it is for.
    #[arg(long)]
    pub name: String,
    /// Days until it expires (1–3650); without it the token does not expire.
    #[arg(long)]
    pub days: Option<i64>,
}

/// A partnership by slug or id (the commands' `--partnership`).
pub(crate) async fn partnership_id(store: &Store, key: &str) -> Result<PartnershipId> {
    if let Some(p) = store.partnership_by_slug(key).await? {
        return Ok(p.id);
    }
    if let Ok(id) = key.parse::<i64>()
        && let Ok(p) = store.partnership(PartnershipId(id)).await
    {
        return Ok(p.id);
    }
    bail!("no partnership with the slug or id {key:?}")
}

pub async fn token_cmd(store: &Store, cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Create(a) => {
            let pid = partnership_id(store, &a.partnership).await?;
            let Some(user) = store.user_by_email(&a.email).await? else {
                bail!("no account with the email {}", a.email);
            };
            let Some(member_role) = store.role_in(user.id, pid).await? else {
                bail!("{} is not a member of {}", a.email, a.partnership);
            };
            let days = a.days.map(|d| d.to_string()).unwrap_or_default();
            let (name, role, days) =
                sectorkit_web::check_new_token(member_role, &a.name, &a.role, &days)
                    .map_err(anyhow::Error::msg)?;
            let (token, prefix) = sectorkit_web::api::new_token();
            let id = store
                .create_api_token(&NewApiToken {
                    partnership: pid,
                    user: user.id,
                    name: &name,
                    role,
                    token_hash: &sectorkit_web::auth::token_hash(&token),
                    prefix: &prefix,
                    expires_at: days.map(|d| sectorkit_store::now_unix() + d * 86_400),
                })
                .await
                .context("could not save the token")?;
            eprintln!(
                "Created token {id} ({name}, {role}) for {} in {}. It is shown only now:",
                user.email, a.partnership
            );
            println!("{token}");
            Ok(())
        }
        TokenCommand::List { partnership } => {
            let pid = partnership_id(store, &partnership).await?;
            let now = sectorkit_store::now_unix();
            println!("id\tprefix\tname\tmember\trole\tstate\texpires_at\tlast_used_at");
            for t in store.api_tokens(pid, None).await? {
                let state = if t.revoked_at.is_some() {
                    "revoked"
                } else if t.is_live(now) {
                    "live"
                } else {
                    "expired"
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.prefix,
                    t.name,
                    t.user_name,
                    t.role,
                    state,
                    t.expires_at.map(|x| x.to_string()).unwrap_or_default(),
                    t.last_used_at.map(|x| x.to_string()).unwrap_or_default()
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { partnership, id } => {
            let pid = partnership_id(store, &partnership).await?;
            store
                .revoke_api_token(pid, id, None)
                .await
                .map_err(|e| match e {
                    sectorkit_store::StoreError::NotFound => {
                        anyhow::anyhow!("no live token {id} in {partnership}")
                    }
                    other => other.into(),
                })?;
            println!("Revoked token {id}.");
            Ok(())
        }
    }
}
