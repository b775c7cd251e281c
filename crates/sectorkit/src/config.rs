//! Typed, layered configuration: command-line flags, then `SECTORKIT_*` environment variables
//! (both handled by clap), then an optional TOML file (`--config FILE` or `SECTORKIT_CONFIG`),
//! then built-in defaults.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Options shared by every subcommand that opens the database.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// TOML configuration file (flags and environment variables override it).
    #[arg(long, global = true, env = "SECTORKIT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for sectorkit's own files (the SQLite database by default). Created if missing.
    /// [default: ./sectorkit-data]
    #[arg(long, global = true, env = "SECTORKIT_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: `postgres://user@host:5432/db` for PostgreSQL, or `sqlite:PATH`.
    /// [default: sqlite:DATA_DIR/sectorkit.db]
    #[arg(
        long,
        global = true,
        env = "SECTORKIT_DATABASE_URL",
        value_name = "URL"
    )]
    pub database_url: Option<String>,
}

/// Options of `serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on. [default: 127.0.0.1:8080]
    #[arg(long, env = "SECTORKIT_BIND", value_name = "ADDR:PORT")]
    pub bind: Option<SocketAddr>,
    /// Create (once) a demo partnership and the account demo@example.org, and print its login.
    #[arg(long, env = "SECTORKIT_DEMO")]
    pub demo: bool,
    /// Password of the demo account (random when not given).
    #[arg(
        long,
        env = "SECTORKIT_DEMO_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub demo_password: Option<String>,
    /// Mark cookies Secure; set this when users reach sectorkit over HTTPS.
    #[arg(long, env = "SECTORKIT_COOKIE_SECURE", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub cookie_secure: Option<bool>,
    /// Base URL used in invitation links, e.g. https://sectors.example.org.
    #[arg(long, env = "SECTORKIT_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Trust X-Forwarded-For for the client address (only behind your own reverse proxy).
    #[arg(long, env = "SECTORKIT_TRUST_PROXY", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub trust_proxy: Option<bool>,
    /// How long a login lasts, in hours. [default: 12]
    #[arg(long, env = "SECTORKIT_SESSION_HOURS", value_name = "HOURS")]
    pub session_hours: Option<u64>,
}

/// The TOML file: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub cookie_secure: Option<bool>,
    pub public_url: Option<String>,
    pub trust_proxy: Option<bool>,
    pub session_hours: Option<u64>,
    pub log: Option<String>,
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> Result<FileConfig> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read configuration file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("invalid configuration file {}", path.display()))
    }
}

/// Where the database is, resolved.
#[derive(Debug, Clone)]
pub struct DbConfig {
    pub data_dir: PathBuf,
    pub database_url: String,
}

impl DbConfig {
    pub fn resolve(args: &DbArgs, file: &FileConfig) -> Result<DbConfig> {
        let data_dir = args
            .data_dir
            .clone()
            .or_else(|| file.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("sectorkit-data"));
        let database_url = match args
            .database_url
            .clone()
            .or_else(|| file.database_url.clone())
        {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&data_dir).with_context(|| {
                    format!("cannot create the data folder {}", data_dir.display())
                })?;
                format!("sqlite:{}", data_dir.join("sectorkit.db").display())
            }
        };
        if database_url.trim().is_empty() {
            bail!("the database URL is empty");
        }
        Ok(DbConfig {
            data_dir,
            database_url,
        })
    }
}

/// Settings of `serve`, resolved.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub bind: SocketAddr,
    pub web: sectorkit_web::WebConfig,
}

impl ServeConfig {
    pub fn resolve(args: &ServeArgs, file: &FileConfig) -> Result<ServeConfig> {
        let defaults = sectorkit_web::WebConfig::default();
        let hours = args.session_hours.or(file.session_hours);
        if hours == Some(0) {
            bail!("session hours must be at least 1");
        }
        Ok(ServeConfig {
            bind: args
                .bind
                .or(file.bind)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            web: sectorkit_web::WebConfig {
                cookie_secure: args.cookie_secure.or(file.cookie_secure).unwrap_or(false),
                trust_proxy: args.trust_proxy.or(file.trust_proxy).unwrap_or(false),
                public_url: args.public_url.clone().or_else(|| file.public_url.clone()),
                session_ttl: hours
                    .map(|h| std::time::Duration::from_secs(h * 3600))
                    .unwrap_or(defaults.session_ttl),
                ..defaults
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_and_file_beats_defaults() {
        let file: FileConfig =
            toml::from_str("bind = \"0.0.0.0:9000\"\nsession_hours = 3\ncookie_secure = true\n")
                .unwrap();
        let args = ServeArgs {
            bind: Some("127.0.0.1:7000".parse().unwrap()),
            demo: false,
            demo_password: None,
            cookie_secure: None,
            public_url: None,
            trust_proxy: None,
            session_hours: None,
        };
        let c = ServeConfig::resolve(&args, &file).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:7000");
        assert_eq!(c.web.session_ttl.as_secs(), 3 * 3600);
        assert!(c.web.cookie_secure);
        let c = ServeConfig::resolve(&args, &FileConfig::default()).unwrap();
        assert!(!c.web.cookie_secure);
        assert_eq!(c.web.session_ttl.as_secs(), 12 * 3600);
    }

    #[test]
    fn unknown_file_keys_are_errors() {
        assert!(toml::from_str::<FileConfig>("bnid = \"x\"").is_err());
    }

    #[test]
    fn default_database_is_sqlite_in_data_dir() {
        let dir = std::env::temp_dir().join(format!("sk-cfg-{}", std::process::id()));
        let args = DbArgs {
            config: None,
            data_dir: Some(dir.clone()),
            database_url: None,
        };
        let c = DbConfig::resolve(&args, &FileConfig::default()).unwrap();
        assert!(c.database_url.starts_with("sqlite:"));
        assert!(c.database_url.ends_with("sectorkit.db"));
        assert!(dir.exists());
        std::fs::remove_dir_all(dir).ok();
    }
}
