//! A throw-away PostgreSQL cluster of the test's own with TLS on, started as
//! `scripts/test-postgres.sh` starts the suite's: in a temporary folder, on a free loopback
//! port, as the `postgres` user when the tests run as root. It accepts TCP connections only
//! over TLS (`hostssl` lines), and is stopped and deleted when dropped, a failed test included.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

use super::certificates::Certificates;

pub struct TlsPostgres {
    pub port: u16,
    pg_ctl: PathBuf,
    data: PathBuf,
    as_root: bool,
    // Deleted after `drop` has stopped the server.
    folder: TempDir,
}

/// Trust for every login (the tests have no passwords), but over TCP only with TLS.
const PG_HBA: &str = "\
local   all all              trust
hostssl all all 127.0.0.1/32 trust
hostssl all all ::1/128      trust
";

impl TlsPostgres {
    /// Starts a cluster that serves `certificates`' server certificate and key.
    pub fn start(certificates: &Certificates) -> Self {
        let bin = server_binaries();
        let as_root = running_as_root();
        // As root, the server runs as `postgres`, which must reach the folder: not a private
        // TMPDIR of root's.
        let folder = if as_root {
            tempfile::tempdir_in("/tmp")
        } else {
            tempfile::tempdir()
        }
        .expect("a temporary folder for PostgreSQL");
        let data = folder.path().join("data");
        let certificate = folder.path().join("server.crt");
        let key = folder.path().join("server.key");
        std::fs::write(&certificate, &certificates.server_certificate).unwrap();
        std::fs::write(&key, &certificates.server_key).unwrap();
        // The server refuses a key that others may read.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
        if as_root {
            let owned = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(folder.path())
                .status()
                .expect("chown runs");
            assert!(
                owned.success(),
                "running as root, but could not give the folder to a `postgres` user: install \
                 the postgresql package (it creates the user) or run the tests as another user"
            );
        }
        let server = |program: &str| server_command(&bin.join(program), as_root);

        let initdb = server("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
            // A cluster that lives for one test needs no fsync.
            .arg("--no-sync")
            .output()
            .expect("initdb runs");
        assert!(
            initdb.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        // Replacing the file keeps its owner: the server can read it.
        std::fs::write(data.join("pg_hba.conf"), PG_HBA).unwrap();

        let log = folder.path().join("postgres.log");
        let mut cluster = Self {
            port: 0,
            pg_ctl: bin.join("pg_ctl"),
            data,
            as_root,
            folder,
        };
        // Another process may take the free port before the server binds it: try again.
        for _ in 0..5 {
            cluster.port = free_port();
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -k {socket_folder} -c ssl=on \
                 -c ssl_cert_file={certificate} -c ssl_key_file={key} -c fsync=off",
                port = cluster.port,
                socket_folder = cluster.folder.path().display(),
                certificate = certificate.display(),
                key = key.display(),
            );
            let started = server("pg_ctl")
                .arg("-D")
                .arg(&cluster.data)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "30", "-o", &options, "start"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("pg_ctl runs");
            if started.success() {
                return cluster;
            }
            cluster.stop();
        }
        panic!(
            "could not start PostgreSQL with TLS; its log: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn stop(&self) {
        let _ = server_command(&self.pg_ctl, self.as_root)
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `program` run as the server must be: not as root, which PostgreSQL refuses.
fn server_command(program: &Path, as_root: bool) -> Command {
    let mut command = if as_root {
        let mut runuser = Command::new("runuser");
        runuser.args(["-u", "postgres", "--"]).arg(program);
        runuser
    } else {
        Command::new(program)
    };
    // The `postgres` user may not be allowed into the test's working folder.
    command.current_dir("/");
    command
}

fn running_as_root() -> bool {
    // Linux gives /proc/self to the process's effective user.
    std::fs::metadata("/proc/self").is_ok_and(|metadata| metadata.uid() == 0)
}

/// The folder of `initdb` and `pg_ctl`, found where scripts/test-postgres.sh looks: pg_config,
/// Debian's /usr/lib/postgresql/<version>/bin (the newest first), then PATH. The test fails
/// without them, as the suite does: it is never skipped.
fn server_binaries() -> PathBuf {
    let has_server =
        |folder: &Path| folder.join("initdb").is_file() && folder.join("pg_ctl").is_file();
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()));
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    debian.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    from_pg_config
        .into_iter()
        .chain(debian.into_iter().map(|(_, folder)| folder))
        .chain(on_path)
        .find(|folder| has_server(folder))
        .expect(
            "no PostgreSQL server binaries (initdb, pg_ctl) were found; the TLS tests need \
             them and are never skipped: install them, e.g. `sudo apt-get install -y postgresql`",
        )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
