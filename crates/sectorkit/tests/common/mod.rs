//! Runs the real `sectorkit` binary for end-to-end tests.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_sectorkit");

/// A scratch folder removed at the end of the test.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "sk-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `sectorkit serve`, killed on drop.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// Everything it printed to standard output up to "listening".
    pub banner: Vec<String>,
    pub started_in: Duration,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `sectorkit serve --bind 127.0.0.1:0 --data-dir DIR ARGS...` and waits for its
/// "listening on" line.
pub fn serve(data_dir: &std::path::Path, args: &[&str]) -> Server {
    let t0 = Instant::now();
    let mut child = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .args(args)
        .env_remove("SECTORKIT_DATABASE_URL")
        .env("SECTORKIT_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn sectorkit");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = Vec::new();
    let base = loop {
        let line = lines
            .next()
            .expect("sectorkit exited before listening")
            .unwrap();
        banner.push(line.clone());
        if let Some(rest) = line.strip_prefix("sectorkit listening on ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    let started_in = t0.elapsed();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        base,
        banner,
        started_in,
    }
}

/// The demo password from the banner.
pub fn banner_value(server: &Server, key: &str) -> String {
    server
        .banner
        .iter()
        .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("no {key} in banner {:?}", server.banner))
}
