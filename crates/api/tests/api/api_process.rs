//! The real `api` binary as a process of its own, for the tests that need one: a signal, a
//! kill, its stderr, its memory.

use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;

use crate::helpers::JWT_SECRET;
use crate::sql::eventually;

/// A free loopback port (the binary binds it a moment later).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `api serve` on `database_url` and `port`, in a test environment with metrics off (many
/// processes run at once), with `env` on top. Its output goes nowhere unless the caller pipes it.
pub fn command(database_url: &str, port: u16, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_api"));
    command
        .env("DATABASE_URL", database_url)
        .env("APP_ENV", "test")
        .env("JWT_SECRET", JWT_SECRET)
        .env("PORT", port.to_string())
        .env("BCRYPT_COST", "4")
        .env("METRICS_ADDR", "")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

/// A running `api` process, killed if the test ends first.
pub struct ApiProcess {
    pub child: Child,
    pub address: String,
}

impl Drop for ApiProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

impl ApiProcess {
    /// Spawns `command` (from `command`, on `port`) and waits until it answers `/health`.
    pub async fn start(mut command: Command, port: u16) -> Self {
        let child = command.spawn().expect("the api binary starts");
        let process = Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
        };
        let health = format!("{}/health", process.address);
        eventually("the server answers /health", || async {
            let response = reqwest::get(&health).await.ok()?;
            (response.status() == StatusCode::OK).then_some(())
        })
        .await;
        process
    }

    /// The most memory the process has held (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/<pid>/status")
    }
}
