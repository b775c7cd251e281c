//! End-to-end tests of the `sectorkit` binary: configuration, errors, users, the demo.

mod common;

use common::{BIN, TempDir, banner_value, serve};
use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("SECTORKIT_DATABASE_URL")
        .env("SECTORKIT_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn csrf(html: &str) -> String {
    let i = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    html[i..i + 64].to_string()
}

async fn login(base: &str, email: &str, password: &str) -> (reqwest::Client, u16) {
    let c = client();
    let page = c
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = c
        .post(format!("{base}/login"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &csrf(&page)),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (c, status)
}

#[test]
fn help_is_useful() {
    let (code, out, _) = run(&["--help"], None);
    assert_eq!(code, 0);
    for word in [
        "serve",
        "migrate",
        "user",
        "--database-url",
        "--data-dir",
        "--config",
    ] {
        assert!(out.contains(word), "--help mentions {word}:\n{out}");
    }
    let (code, out, _) = run(&["serve", "--help"], None);
    assert_eq!(code, 0);
    for word in [
        "--bind",
        "--demo",
        "--demo-password",
        "SECTORKIT_BIND",
        "127.0.0.1:8080",
    ] {
        assert!(out.contains(word), "serve --help mentions {word}:\n{out}");
    }
    let (code, out, _) = run(&["user", "add", "--help"], None);
    assert_eq!(code, 0);
    assert!(out.contains("--admin"));
}

#[test]
fn bad_database_urls_fail_with_one_clear_line() {
    for (url, expect) in [
        ("mysql://x", "bad database URL"),
        (
            "postgres://u:hunter2@127.0.0.1:1/db",
            "cannot open PostgreSQL at 127.0.0.1:1",
        ),
        ("sqlite:/no/such/dir/x.db", "does not exist"),
    ] {
        let (code, _, err) = run(&["migrate", "--database-url", url], None);
        assert_ne!(code, 0, "{url}");
        let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line for {url}: {err}");
        assert!(lines[0].starts_with("error: "), "{err}");
        assert!(lines[0].contains(expect), "{url}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!err.contains("hunter2"), "password leaked: {err}");
    }
}

#[test]
fn config_file_is_read_and_flags_win() {
    let dir = TempDir::new("cfg");
    let cfg = dir.path().join("sectorkit.toml");
    std::fs::write(&cfg, "database_url = \"mysql://from-file\"\n").unwrap();
    let (code, _, err) = run(&["migrate", "--config", cfg.to_str().unwrap()], None);
    assert_ne!(code, 0);
    assert!(err.contains("mysql://from-file"), "file value used: {err}");
    let db = format!("sqlite:{}", dir.path().join("x.db").display());
    let (code, out, err) = run(
        &[
            "migrate",
            "--config",
            cfg.to_str().unwrap(),
            "--database-url",
            &db,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("migration(s) applied"));
    std::fs::write(&cfg, "databse_url = \"typo\"\n").unwrap();
    let (code, _, err) = run(&["migrate", "--config", cfg.to_str().unwrap()], None);
    assert_ne!(code, 0);
    assert!(
        err.contains("invalid configuration file") && err.contains("databse_url"),
        "{err}"
    );
}

#[test]
fn migrate_is_idempotent() {
    let dir = TempDir::new("mig");
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = run(&["migrate", "--data-dir", d], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("sqlite: "), "{out}");
    assert!(
        !out.starts_with("sqlite: 0 "),
        "first run applies migrations: {out}"
    );
    let (code, out, _) = run(&["migrate", "--data-dir", d], None);
    assert_eq!(code, 0);
    assert!(out.starts_with("sqlite: 0 migration(s) applied"), "{out}");
    assert!(dir.path().join("sectorkit.db").exists());
}

#[test]
fn participants_synth_import_and_indicators() {
    let dir = TempDir::new("participants");
    let d = dir.path().to_str().unwrap();
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    for f in [&a, &b] {
        let (code, _, err) = run(
            &[
                "participants",
                "synth",
                "--rows",
                "300",
                "--seed",
                "5",
                "--out",
                f.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "deterministic"
    );
    let (code, _, err) = run(
        &[
            "participants",
            "synth",
            "--rows",
            "3",
            "--as-of",
            "soon",
            "--out",
            b.to_str().unwrap(),
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("--as-of") && err.contains("soon"), "{err}");
    // Importing needs a partnership and a staff member: unknown ones are named.
    let (code, _, err) = run(
        &[
            "--data-dir",
            d,
            "participants",
            "import",
            a.to_str().unwrap(),
            "--partnership",
            "nope",
            "--email",
            "x@example.org",
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("no partnership") && err.contains("nope"),
        "{err}"
    );
    let (code, _, err) = run(
        &[
            "--data-dir",
            d,
            "participants",
            "indicators",
            "--partnership",
            "nope",
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("nope"), "{err}");
}

#[tokio::test]
async fn user_add_and_passwd_then_sign_in() {
    let dir = TempDir::new("user");
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = run(
        &[
            "user",
            "add",
            "Boss@Example.org",
            "--admin",
            "--name",
            "The Boss",
            "--password-stdin",
            "--data-dir",
            d,
        ],
        Some("first long password\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Created administrator account boss@example.org"),
        "{out}"
    );
    // Duplicate and weak passwords are refused clearly.
    let (code, _, err) = run(
        &[
            "user",
            "add",
            "boss@example.org",
            "--password-stdin",
            "--data-dir",
            d,
        ],
        Some("another long password\n"),
    );
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = run(
        &[
            "user",
            "add",
            "new@example.org",
            "--password-stdin",
            "--data-dir",
            d,
        ],
        Some("short\n"),
    );
    assert_ne!(code, 0);
    assert!(err.contains("password refused"), "{err}");
    let (code, _, err) = run(
        &[
            "user",
            "passwd",
            "boss@example.org",
            "--password-stdin",
            "--data-dir",
            d,
        ],
        Some("second long password\n"),
    );
    assert_eq!(code, 0, "{err}");

    let server = serve(dir.path(), &[]);
    let (_, s) = login(&server.base, "boss@example.org", "first long password").await;
    assert_eq!(s, 401, "old password no longer works");
    let (c, s) = login(&server.base, "boss@example.org", "second long password").await;
    assert_eq!(s, 303);
    let r = c
        .get(format!("{}/partnerships/new", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "admin may create partnerships");
}

#[tokio::test]
async fn demo_serves_and_is_idempotent() {
    let dir = TempDir::new("demo");
    let first = serve(
        dir.path(),
        &["--demo", "--demo-password", "demo password one"],
    );
    eprintln!("demo server started in {:?}", first.started_in);
    assert_eq!(banner_value(&first, "email:"), "demo@example.org");
    assert_eq!(banner_value(&first, "password:"), "demo password one");
    let base = first.base.clone();
    let h = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(h.status(), 200);
    let anon = client().get(format!("{base}/p/1")).send().await.unwrap();
    assert_eq!(anon.status(), 303);
    assert!(
        anon.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    let (c, s) = login(&base, "demo@example.org", "demo password one").await;
    assert_eq!(s, 303);
    let home = c
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        home.matches("Advanced Manufacturing Partnership (demo)")
            .count(),
        1
    );
    // The demo's convening records: every panel of the Partners section shows something.
    for (path, needles) in [
        (
            "/p/1/partners",
            &[
                "Scioto Mutual Insurance (fictional)",
                "Maya Okafor",
                "present at 3 of 3 meetings",
            ][..],
        ),
        (
            "/p/1/partners/meetings",
            &[
                "Claims talent working group",
                "Employer attendance is falling: 4 → 3 → 2",
                "3 action items are past due",
            ][..],
        ),
        ("/p/1/partners/outreach", &["Host the next site tour"][..]),
        (
            "/p/1/partners/voice",
            &["Entry-level claims adjusters leave within a year"][..],
        ),
        ("/p/1", &["Employer attendance is falling"][..]),
        // The demo's plan: issues with evidence, a finished round, two priorities kept.
        (
            "/p/1/plan",
            &[
                "Claims adjusters leave within their first year",
                "Priorities (2 of at most 3)",
                "First prioritization round",
            ][..],
        ),
        (
            "/p/1/plan/issues/1",
            &[
                "Target-industry figures",
                "New hires lack estimating-software",
                "SOC 13-1031",
            ][..],
        ),
        (
            "/p/1/plan/rounds/1",
            &[">Employer</th>", "closed · 4 voter(s)"][..],
        ),
        // The plan on a page, the roadmap and the logic model.
        (
            "/p/1/plan/page",
            &[
                "Vision:</strong> Every Central Ohio insurer",
                "Shared onboarding and mentoring for new adjusters",
                "Design the shared onboarding curriculum",
                "Columbus Area Technical College (fictional)",
                "Apprenticeship registered",
                "Long-term impact:",
            ][..],
        ),
        (
            "/p/1/plan/roadmap",
            &["◆ Onboarding model adopted by four carriers"][..],
        ),
        (
            "/p/1/plan/logic",
            &[
                "Carrier HR staff and mentors",
                "A stable insurance workforce",
            ][..],
        ),
        // Marketing, products and capacity, lessons.
        (
            "/p/1/plan/marketing",
            &[
                "Employer breakfast: the onboarding model",
                "family-supporting wages",
            ][..],
        ),
        (
            "/p/1/plan/products",
            &[
                "Shared onboarding curriculum for adjusters",
                "<strong>0.75</strong>",
            ][..],
        ),
        (
            "/p/1/plan/lessons",
            &["Meet over lunch, with an online option"][..],
        ),
        // Funding: the braided budget with its unfunded gap; alignment with its expiry flag.
        ("/p/1/funding", &["$167,000", "$39,000"][..]),
        (
            "/p/1/plan/alignment",
            &[
                "Comprehensive Economic Development Strategy",
                "Underwriting apprenticeship as a talent-pipeline goal",
                "UI wage-record match for completers",
                "expires in 45 days",
            ][..],
        ),
        // Every plan record in one place, and the plan search.
        (
            "/p/1/plan/records",
            &[
                "Shared onboarding curriculum for adjusters",
                "Nothing is archived.",
            ][..],
        ),
        (
            "/p/1/plan/search?q=onboarding",
            &["<mark>onboarding</mark>", "records found"][..],
        ),
        // Participant outcomes from the synthetic cohort, labelled synthetic, small cells
        // suppressed.
        (
            "/p/1/metrics",
            &[
                "Synthetic records.",
                "Employment rate, 2nd quarter after exit",
                "suppressed",
                "synthetic-participants.csv",
            ][..],
        ),
    ] {
        let page = c
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for n in needles {
            assert!(page.contains(n), "{path}: {n}");
        }
    }
    drop(first);

    // Second start on the same folder: same single demo partnership; a random password when
    // none is given, printed, and it works.
    let second = serve(dir.path(), &["--demo"]);
    let pw = banner_value(&second, "password:");
    assert!(pw.len() >= 16 && pw != "demo password one");
    let (c, s) = login(&second.base, "demo@example.org", &pw).await;
    assert_eq!(s, 303);
    let home = c
        .get(format!("{}/", second.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        home.matches("Advanced Manufacturing Partnership (demo)")
            .count(),
        1,
        "demo created once"
    );
    let (_, s) = login(&second.base, "demo@example.org", "demo password one").await;
    assert_eq!(s, 401, "old demo password replaced");
}
