//! `sectorkit`: the one binary. `serve` runs the web app; the other subcommands do data and admin
//! work from a terminal. This file only parses arguments, resolves configuration and wires crates
//! together; errors reach the user as one clear line and a non-zero exit code.

mod commute_cmd;
mod config;
mod demo;
mod demo_data;
mod demo_partners;
mod demo_plan;
mod export_cmd;
mod occ_cmd;
mod participants_cmd;
mod qcew_cmd;
mod token_cmd;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use config::{DbArgs, DbConfig, FileConfig, ServeArgs, ServeConfig};
use sectorkit_store::Store;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

/// sectorkit runs a regional sector partnership from first data to measured outcomes:
/// labor-market data, partners, plans, funding and metrics, in one open, offline-capable app.
///
/// Start with `sectorkit serve --demo` and open http://127.0.0.1:8080.
#[derive(Debug, Parser)]
#[command(name = "sectorkit", version, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web app (applies pending database migrations first).
    ///
    /// Examples:
    ///   sectorkit serve --demo
    ///   sectorkit serve --bind 0.0.0.0:8080 --database-url postgres://sectorkit@db/sectorkit
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Create, list and revoke API tokens (for the JSON API under /api/v1).
    #[command(subcommand)]
    Token(token_cmd::TokenCommand),
    /// Import, list and verify official BLS QCEW files.
    #[command(subcommand)]
    Qcew(QcewCommand),
    /// Compute the target-industry table for a region: employment, wages, growth, location
    /// quotients, shift-share, ranks and scores.
    ///
    /// Examples:
    ///   sectorkit targets --region C1814 --period 2020Q1
    ///   sectorkit targets --region 39049,39041 --period 2020Q1 --format csv --files US000.csv.gz 39049.csv 39041.csv
    Targets(qcew_cmd::TargetsArgs),
    /// Import and list industry employment projections (state or sub-state), which give the
    /// target table its projected-growth factor.
    #[command(subcommand)]
    Projections(ProjectionsCommand),
    /// Import OEWS files (occupational employment and wages) and compare occupational location
    /// quotients with BLS's.
    #[command(subcommand)]
    Oews(OewsCommand),
    /// Import the BLS Employment Projections occupation workbook (occupation.xlsx).
    #[command(subcommand)]
    Ep(RefImportCommand),
    /// Import O*NET job zones (Job Zones.txt).
    #[command(subcommand)]
    Onet(RefImportCommand),
    /// The occupations of an industry (or several) in a region: staffing pattern applied to
    /// the region's employment, wages, LQ, projections, education and job zone.
    ///
    /// Examples:
    ///   sectorkit occupations --region C1814 --industry 3361
    ///   sectorkit occupations --region 39049,39041 --industry 6221,5415 --format csv
    Occupations(occ_cmd::OccupationsArgs),
    /// Commuting flows of a region from Census LODES origin-destination files: interior, inflow,
    /// outflow, the labor shed (where its workers live) and the commute shed (where its residents
    /// work), by segment, with a report of which states' files are loaded or missing.
    ///
    /// CSV is a long format: measure, county, county_name, segment, jobs, share (measure =
    /// interior | inflow | outflow | employed_in_region | residents_employed | labor_shed |
    /// commute_shed; segment = S000 or SA01..SI03; share is a fraction).
    ///
    /// Examples:
    ///   sectorkit commute --region 44007 --od ri_od_main_JT00_2019.csv.gz ri_od_aux_JT00_2019.csv.gz --xwalk ri_xwalk.csv.gz
    ///   sectorkit commute --region C3930 --format json        (LODES data imported into the database)
    Commute(commute_cmd::CommuteArgs),
    /// Import and list Census LODES origin-destination files (aggregated to county pairs).
    #[command(subcommand)]
    Lodes(LodesCommand),
    /// Files for people: the needs-assessment workbook.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Export imported data for other tools.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Participant outcomes from the terminal: synthetic files, large imports, every indicator
    /// with its breakdowns (after disclosure control) as CSV.
    #[command(subcommand)]
    Participants(participants_cmd::ParticipantsCommand),
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// The needs-assessment workbook (xlsx) of a region: cover with settings and sources,
    /// employment, wages, growth, projections, LQ, establishments, all factors, highlighting
    /// (conditional formats) and a score tab whose ranks and scores are formulas over the
    /// factors with the weights in input cells.
    ///
    /// Examples:
    ///   sectorkit report workbook --region C1814 --period 2023 --base-period 2018 --out columbus.xlsx
    ///   sectorkit report workbook --region 39049,39041 --period 2020Q1 --files US000.csv.gz 39049.csv 39041.csv --out region.xlsx
    Workbook(qcew_cmd::WorkbookArgs),
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// The imported QCEW cells as a Hive-partitioned Parquet dataset
    /// (DIR/year=2020/area_type=county/part-0.parquet) for DuckDB or Spark; schema and example
    /// queries in docs/parquet.md. Suppressed values are NULL, never 0.
    ///
    /// Examples:
    ///   sectorkit export parquet --out qcew-parquet
    ///   sectorkit export parquet --out qcew-2020 --years 2020 --areas US000,39049,39041
    Parquet(export_cmd::ParquetArgs),
}

#[derive(Debug, Subcommand)]
enum LodesCommand {
    /// Import LODES OD files ({st}_od_{main|aux}_{JT}_{year}.csv[.gz]) with their block
    /// crosswalk. Each file is imported atomically; importing the same file again changes nothing.
    ///
    /// Example: sectorkit lodes import --od ri_od_main_JT00_2019.csv.gz ri_od_aux_JT00_2019.csv.gz --xwalk ri_xwalk.csv.gz
    Import(commute_cmd::LodesImportArgs),
    /// List the imported LODES files.
    Datasets {
        #[arg(long, value_enum, default_value = "table")]
        format: qcew_cmd::OutputFormat,
    },
}

#[derive(Debug, Subcommand)]
enum OewsCommand {
    /// Import OEWS files: national industry-specific (staffing patterns), national
    /// cross-industry, state, metro/nonmetro. Atomic per file; the same file again is a no-op.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
    },
    /// List the imported occupation reference files (OEWS, EP, O*NET).
    Datasets {
        #[arg(long, value_enum, default_value = "table")]
        format: qcew_cmd::OutputFormat,
    },
    /// Occupational location quotients of an OEWS area: BLS's published `loc_quotient` and
    /// sectorkit's recomputation from the published figures (`computed_loc_quotient`).
    ///
    /// Example: sectorkit oews lq --area 0018140 --files oews_msa.csv.gz oews_national.csv.gz --format csv
    Lq {
        /// OEWS area code: 0018140 (metro), 3900000 (state).
        #[arg(long, value_name = "CODE")]
        area: String,
        /// Read these files (the area's and the national cross-industry file) instead of the
        /// database.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        files: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: qcew_cmd::OutputFormat,
    },
}

#[derive(Debug, Subcommand)]
enum RefImportCommand {
    /// Import the file (atomic; the same file again is a no-op).
    Import {
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ProjectionsCommand {
    /// Import projections files in sectorkit's CSV template (see `projections template`).
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
    },
    /// List the projection areas imported.
    List,
    /// Print the CSV template (header and an example row) to fill with a state's projections.
    Template,
}

#[derive(Debug, Subcommand)]
enum QcewCommand {
    /// Import QCEW files (.csv, .csv.gz or BLS .zip; annual or quarterly; any official layout).
    /// Each file is imported atomically; importing the same file again changes nothing.
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
        /// Refuse files with more rows than this.
        #[arg(long, value_name = "N", default_value_t = qcew_cmd::DEFAULT_MAX_ROWS)]
        max_rows: u64,
        /// Threads that parse records (default: the number of cores, at most 4; 1 parses on
        /// the reading thread). Rows are stored in file order either way.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
        threads: Option<u16>,
    },
    /// List the imported datasets.
    Datasets {
        #[arg(long, value_enum, default_value = "table")]
        format: qcew_cmd::OutputFormat,
    },
    /// Recompute BLS's location quotients, over-the-year changes and average pay from the files
    /// and report how many cells agree with the columns BLS published. Give the area files and
    /// the national (US000) file of the same period, and the prior year's files for OTY.
    Verify {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: qcew_cmd::OutputFormat,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account. The password is asked for on the terminal, or read from standard
    /// input with --password-stdin.
    ///
    /// Example: sectorkit user add ana@example.org --name "Ana Ruiz" --admin
    Add {
        /// The account's email (used to sign in).
        email: String,
        /// Display name. [default: the part of the email before @]
        #[arg(long)]
        name: Option<String>,
        /// Make the account a site administrator (may create partnerships).
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password for an account (ends its sessions).
    Passwd {
        /// The account's email.
        email: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// mimalloc instead of the system allocator. Decision, measured (release, the synthetic national
/// singlefile of bench/, `qcew import`): glibc's malloc/free and the page faults of its trimming
/// took about a tenth of the import, whose parsing threads allocate each row's code strings and
/// the store's task frees them. See ARCHITECTURE.md (parallel QCEW reader) for the numbers.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `sectorkit targets … | head` closes the pipe early: that is not an error.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<csv::Error>().is_some_and(|ce| {
                        matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
                    })
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(file: &FileConfig) {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("SECTORKIT_LOG")
        .ok()
        .or_else(|| file.log.clone())
        .unwrap_or_else(|| "info,sqlx=warn,tower_http=info".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .try_init();
}

async fn open_store(db: &DbConfig) -> Result<Store> {
    let store = Store::connect(&db.database_url).await?;
    store.migrate().await?;
    Ok(store)
}

async fn run(cli: Cli) -> Result<()> {
    let file = FileConfig::load(cli.db.config.as_deref())?;
    init_tracing(&file);
    // Commands that work on files alone never open (or create) a database.
    match &cli.command {
        Command::Qcew(QcewCommand::Verify { files, format }) => {
            return qcew_cmd::verify_cmd(files, *format);
        }
        Command::Projections(ProjectionsCommand::Template) => {
            println!("{}", sectorkit_data::projections::TEMPLATE_HEADER);
            println!("39000,Ohio,3361,Motor vehicle manufacturing,2022,18250,2032,17440");
            return Ok(());
        }
        Command::Participants(participants_cmd::ParticipantsCommand::Synth {
            rows,
            seed,
            as_of,
            out,
        }) => {
            return participants_cmd::synth(*rows, *seed, as_of, out);
        }
        Command::Targets(args) if !args.table.files.is_empty() => {
            return qcew_cmd::targets_cmd(None, args).await;
        }
        Command::Oews(OewsCommand::Lq {
            area,
            files,
            format,
        }) if !files.is_empty() => {
            return occ_cmd::oews_lq_cmd(None, area, files, *format).await;
        }
        Command::Report(ReportCommand::Workbook(args))
            if !args.table.files.is_empty() && args.shortlist.is_empty() =>
        {
            return qcew_cmd::workbook_cmd(None, args).await;
        }
        Command::Commute(args) if !args.od.is_empty() => {
            return commute_cmd::commute_cmd(None, args).await;
        }
        _ => {}
    }
    let db = DbConfig::resolve(&cli.db, &file)?;
    match cli.command {
        Command::Serve(args) => serve(&db, &args, &file).await,
        Command::Migrate => {
            let store = Store::connect(&db.database_url).await?;
            let n = store.migrate().await?;
            println!(
                "{}: {n} migration(s) applied; schema is up to date.",
                store.kind().as_str()
            );
            store.close().await;
            Ok(())
        }
        Command::User(cmd) => user(&db, cmd).await,
        Command::Qcew(QcewCommand::Import {
            files,
            max_rows,
            threads,
        }) => {
            let store = open_store(&db).await?;
            let r = qcew_cmd::import_cmd(&store, &files, max_rows, threads.map(usize::from)).await;
            store.close().await;
            r
        }
        Command::Qcew(QcewCommand::Datasets { format }) => {
            let store = open_store(&db).await?;
            qcew_cmd::datasets_cmd(&store, format).await
        }
        Command::Qcew(QcewCommand::Verify { .. }) => unreachable!("handled above"),
        Command::Targets(args) => {
            let store = open_store(&db).await?;
            qcew_cmd::targets_cmd(Some(&store), &args).await
        }
        Command::Projections(ProjectionsCommand::Import { files }) => {
            let store = open_store(&db).await?;
            qcew_cmd::projections_import_cmd(&store, &files).await
        }
        Command::Projections(ProjectionsCommand::List) => {
            let store = open_store(&db).await?;
            qcew_cmd::projections_list_cmd(&store).await
        }
        Command::Projections(ProjectionsCommand::Template) => unreachable!("handled above"),
        Command::Oews(OewsCommand::Import { files }) => {
            let store = open_store(&db).await?;
            occ_cmd::oews_import_cmd(&store, &files).await
        }
        Command::Oews(OewsCommand::Datasets { format }) => {
            let store = open_store(&db).await?;
            occ_cmd::occ_datasets_cmd(&store, format).await
        }
        Command::Oews(OewsCommand::Lq { area, format, .. }) => {
            let store = open_store(&db).await?;
            occ_cmd::oews_lq_cmd(Some(&store), &area, &[], format).await
        }
        Command::Ep(RefImportCommand::Import { file }) => {
            let store = open_store(&db).await?;
            occ_cmd::ep_import_cmd(&store, &file).await
        }
        Command::Onet(RefImportCommand::Import { file }) => {
            let store = open_store(&db).await?;
            occ_cmd::onet_import_cmd(&store, &file).await
        }
        Command::Occupations(args) => {
            let store = open_store(&db).await?;
            occ_cmd::occupations_cmd(&store, &args).await
        }
        Command::Commute(args) => {
            let store = open_store(&db).await?;
            let r = commute_cmd::commute_cmd(Some(&store), &args).await;
            store.close().await;
            r
        }
        Command::Lodes(LodesCommand::Import(args)) => {
            let store = open_store(&db).await?;
            let r = commute_cmd::lodes_import_cmd(&store, &args).await;
            store.close().await;
            r
        }
        Command::Lodes(LodesCommand::Datasets { format }) => {
            let store = open_store(&db).await?;
            commute_cmd::lodes_datasets_cmd(&store, format).await
        }
        Command::Report(ReportCommand::Workbook(args)) => {
            let store = open_store(&db).await?;
            let r = qcew_cmd::workbook_cmd(Some(&store), &args).await;
            store.close().await;
            r
        }
        Command::Participants(cmd) => {
            let store = open_store(&db).await?;
            let r = participants_cmd::run(&store, &cmd).await;
            store.close().await;
            r
        }
        Command::Token(cmd) => {
            let store = open_store(&db).await?;
            let r = token_cmd::token_cmd(&store, cmd).await;
            store.close().await;
            r
        }
        Command::Export(ExportCommand::Parquet(args)) => {
            let store = open_store(&db).await?;
            let r = export_cmd::parquet_cmd(&store, &args).await;
            store.close().await;
            r
        }
    }
}

async fn serve(db: &DbConfig, args: &ServeArgs, file: &FileConfig) -> Result<()> {
    let cfg = ServeConfig::resolve(args, file)?;
    let store = open_store(db).await?;
    let listener = tokio::net::TcpListener::bind(cfg.bind)
        .await
        .with_context(|| format!("cannot listen on {}", cfg.bind))?;
    let addr = listener.local_addr()?;
    if args.demo {
        let info = demo::ensure(&store, args.demo_password.as_deref()).await?;
        println!("Demo partnership: {}", info.partnership_name);
        println!(
            "Demo data: {} real BLS QCEW files for Central Ohio ({} imported now)",
            info.qcew_files, info.qcew_imported
        );
        println!(
            "Demo occupations: {} real OEWS, Employment Projections and O*NET files ({} imported now)",
            info.occ_files, info.occ_imported
        );
        println!("Sign in at http://{addr}/login");
        println!("  email:    {}", info.email);
        println!("  password: {}", info.password);
    }
    println!(
        "sectorkit listening on http://{addr} ({} database; data folder {})",
        store.kind().as_str(),
        db.data_dir.display()
    );
    tracing::info!(%addr, backend = store.kind().as_str(), "listening");
    let state = sectorkit_web::AppState::new(store.clone(), cfg.web);
    sectorkit_web::serve(listener, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

fn read_password(from_stdin: bool) -> Result<String> {
    let password = if from_stdin || !std::io::stdin().is_terminal() {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the password from standard input")?;
        s.lines().next().unwrap_or("").to_string()
    } else {
        let a = rpassword::prompt_password("Password: ")?;
        let b = rpassword::prompt_password("Repeat password: ")?;
        if a != b {
            bail!("the two passwords differ");
        }
        a
    };
    if let Some(problem) = sectorkit_web::auth::password_problem(&password) {
        bail!("password refused: {problem}");
    }
    Ok(password)
}

async fn user(db: &DbConfig, cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add {
            email,
            name,
            admin,
            password_stdin,
        } => {
            if !sectorkit_web::auth::looks_like_email(&email) {
                bail!("{email:?} is not an email address");
            }
            let store = open_store(db).await?;
            if store.user_by_email(&email).await?.is_some() {
                bail!("an account with the email {email} already exists");
            }
            let password = read_password(password_stdin)?;
            let hash = sectorkit_web::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
            let id = store.create_user(&email, &name, &hash, admin).await?;
            println!(
                "Created {}account {} (id {}).",
                if admin { "administrator " } else { "" },
                sectorkit_store::normalize_email(&email),
                id.0
            );
            store.close().await;
            Ok(())
        }
        UserCommand::Passwd {
            email,
            password_stdin,
        } => {
            let store = open_store(db).await?;
            let Some(user) = store.user_by_email(&email).await? else {
                bail!("no account with the email {email}");
            };
            let password = read_password(password_stdin)?;
            let hash = sectorkit_web::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
            store.set_password(user.id, &hash).await?;
            println!(
                "Password changed for {}; its sessions were ended.",
                user.email
            );
            store.close().await;
            Ok(())
        }
    }
}
