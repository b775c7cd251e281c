//! The JSON API against its own OpenAPI document, end to end: `sectorkit serve --demo` on a
//! random port, a viewer token made with `sectorkit token create`, and schemathesis
//! (`schemathesis run --checks all`: no server errors, no schema violations, statuses and content
//! types as documented, invalid input refused, valid input accepted, auth enforced).
//!
//! schemathesis comes from `.ci/python-venv` (cached in the target folder). Under CI (`CI` set) a
//! venv that cannot be set up fails the test; locally (e.g. offline) the test prints SKIPPED.

mod common;

use common::{BIN, TempDir, serve};
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The venv's `schemathesis`, or why there is none.
fn schemathesis() -> Result<PathBuf, String> {
    let target = Path::new(BIN).parent().and_then(Path::parent).unwrap();
    let out = Command::new("bash")
        .arg(workspace().join(".ci/python-venv"))
        .env("VENV", target.join("py-venv"))
        .output()
        .map_err(|e| format!("cannot run .ci/python-venv: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            ".ci/python-venv failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let python = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    Ok(python.parent().unwrap().join("schemathesis"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_conforms_to_its_openapi_document() {
    let st = match schemathesis() {
        Ok(p) => p,
        Err(reason) if std::env::var_os("CI").is_some() => {
            panic!("CI needs schemathesis for the API test: {reason}")
        }
        Err(reason) => {
            eprintln!("SKIPPED the schemathesis API test: {reason}");
            return;
        }
    };
    let dir = TempDir::new("api");
    let server = serve(
        dir.path(),
        &["--demo", "--demo-password", "a long enough password"],
    );
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "token",
            "create",
            "--email",
            "demo@example.org",
            "--partnership",
            "demo",
            "--role",
            "viewer",
            "--name",
            "schemathesis",
            "--days",
            "1",
        ])
        .env_remove("SECTORKIT_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("skt_"), "{token}");

    // The document's examples name the demo partnership (id 1 in a fresh database) and its
    // primary region, so that schemathesis reaches real tables, not only 404s.
    let http = reqwest::Client::new();
    let r = http
        .get(format!("{}/api/v1/partnerships/1/regions/1", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the demo partnership and region are id 1");

    let report = dir.path().join("schemathesis-report");
    let out = Command::new(&st)
        .arg("--config-file")
        .arg(workspace().join("crates/sectorkit/tests/schemathesis.toml"))
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", server.base))
        .args(["--checks", "all"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args([
            "--max-examples",
            "50",
            "--seed",
            "20261207",
            "--workers",
            "2",
        ])
        .args(["--report", "ndjson", "--report-dir"])
        .arg(&report)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .output()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("No issues found"), "{stdout}");
    assert!(stdout.contains("6 selected / 6 total"), "{stdout}");
    // It exercised real data: many answers were 200s (not only refusals).
    let ndjson = std::fs::read_dir(&report)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<String>();
    let ok = ndjson.matches("\"status_code\":200").count();
    let server_errors = (500..600)
        .map(|s| ndjson.matches(&format!("\"status_code\":{s}")).count())
        .sum::<usize>();
    assert_eq!(server_errors, 0);
    assert!(ok >= 100, "only {ok} successful responses:\n{stdout}");
    eprintln!("schemathesis: {ok} successful responses\n{stdout}");
}
