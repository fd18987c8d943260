use std::path::PathBuf;

use tokio_postgres::config::{Host, SslMode};

use super::*;

/// The readers' settings for `url`, with no `PG*` variables set.
fn config(url: &str) -> Config {
    config_with_env(url, |_| None)
}

fn config_with_env(url: &str, env: impl Fn(&str) -> Option<String>) -> Config {
    PostgresUrl::read_with_env(url, env)
        .unwrap()
        .unwrap()
        .config
}

fn host(config: &Config) -> Host {
    config.get_hosts().first().unwrap().clone()
}

#[test]
fn reads_the_parts_of_the_url_decoded() {
    let config = config("postgres://ada%40home:p%40ss%3Aw%2Frd@db.example.com:6543/my%20app");

    assert_eq!(host(&config), Host::Tcp("db.example.com".into()));
    assert_eq!(config.get_ports(), [6543]);
    assert_eq!(config.get_user(), Some("ada@home"));
    assert_eq!(config.get_password(), Some(b"p@ss:w/rd".as_slice()));
    assert_eq!(config.get_dbname(), Some("my app"));
    assert_eq!(config.get_ssl_mode(), SslMode::Prefer, "sqlx's default");
}

#[test]
fn reads_sqlx_s_parameters_the_last_one_winning() {
    let config = config(
        "postgres://ada@db/app?dbname=other&user=grace&password=secret&port=7000&port=7001\
         &application_name=reader&statement-cache-capacity=5&unknown=ignored&ssl-mode=disable",
    );

    assert_eq!(config.get_dbname(), Some("other"));
    assert_eq!(config.get_user(), Some("grace"));
    assert_eq!(config.get_password(), Some(b"secret".as_slice()));
    assert_eq!(config.get_ports(), [7001]);
    assert_eq!(config.get_application_name(), Some("reader"));
    assert_eq!(config.get_ssl_mode(), SslMode::Disable);
}

#[test]
fn options_add_up_and_the_session_is_in_utc_as_sqlx_s() {
    let config =
        config("postgres://db/app?options=-c%20geqo%3Doff&options[search_path]=a%20b,%5Cc");

    assert_eq!(
        config.get_options(),
        Some(r"-c geqo=off -c search_path=a\ b,\\c -c TimeZone=UTC")
    );
    assert_eq!(
        self::config("postgres://db/app").get_options(),
        Some("-c TimeZone=UTC")
    );
}

#[test]
fn a_host_may_be_an_address_a_parameter_or_a_socket_s_folder() {
    assert_eq!(
        host(&config("postgres://[::1]:5433/app")),
        Host::Tcp("::1".into())
    );
    assert_eq!(
        host(&config("postgres://db/app?hostaddr=10.0.0.7")),
        Host::Tcp("10.0.0.7".into())
    );
    assert_eq!(
        host(&config("postgres://db/app?host=replica")),
        Host::Tcp("replica".into())
    );
    let socket = Host::Unix(PathBuf::from("/var/run/postgresql"));
    assert_eq!(
        host(&config("postgres://%2Fvar%2Frun%2Fpostgresql/app")),
        socket
    );
    assert_eq!(
        host(&config("postgres://db/app?host=/var/run/postgresql")),
        socket
    );
}

#[test]
fn the_variables_count_where_the_url_says_nothing() {
    let env = |name: &str| {
        let value = match name {
            "PGHOST" => "db.internal",
            "PGPORT" => "6000",
            "PGUSER" => "app",
            "PGPASSWORD" => "from-env",
            "PGDATABASE" => "tasks",
            "PGAPPNAME" => "api",
            "PGOPTIONS" => "-c work_mem=8MB",
            "PGSSLMODE" => "require",
            _ => return None,
        };
        Some(value.to_owned())
    };

    let from_env = config_with_env("postgres://", env);
    assert_eq!(host(&from_env), Host::Tcp("db.internal".into()));
    assert_eq!(from_env.get_ports(), [6000]);
    assert_eq!(from_env.get_user(), Some("app"));
    assert_eq!(from_env.get_password(), Some(b"from-env".as_slice()));
    assert_eq!(from_env.get_dbname(), Some("tasks"));
    assert_eq!(from_env.get_application_name(), Some("api"));
    assert_eq!(
        from_env.get_options(),
        Some("-c work_mem=8MB -c TimeZone=UTC")
    );
    assert_eq!(from_env.get_ssl_mode(), SslMode::Require);

    let url_first = config_with_env("postgres://ada@db:5432/app?sslmode=disable", env);
    assert_eq!(host(&url_first), Host::Tcp("db".into()));
    assert_eq!(url_first.get_ports(), [5432]);
    assert_eq!(url_first.get_user(), Some("ada"));
    assert_eq!(url_first.get_dbname(), Some("app"));
    assert_eq!(url_first.get_ssl_mode(), SslMode::Disable);
}

#[test]
fn verifying_modes_require_tls_of_tokio_postgres() {
    for (mode, expected) in [
        ("disable", SslMode::Disable),
        ("allow", SslMode::Disable),
        ("prefer", SslMode::Prefer),
        ("require", SslMode::Require),
        ("verify-ca", SslMode::Require),
        ("verify-full", SslMode::Require),
    ] {
        let config = config(&format!("postgres://db/app?sslmode={mode}"));
        assert_eq!(config.get_ssl_mode(), expected, "{mode}");
    }
}

#[test]
fn what_sqlx_would_refuse_is_refused_with_its_part_named() {
    for (url, message) in [
        (
            "postgres://db/app?port=http",
            "the database URL's port is not valid: \"http\"",
        ),
        (
            "postgres://db/app?hostaddr=db.example.com",
            "the database URL's hostaddr is not valid: \"db.example.com\"",
        ),
        (
            "postgres://ada:%FF@db/app",
            "the database URL's password is not valid: \"%FF\"",
        ),
    ] {
        let error = PostgresUrl::read_with_env(url, |_| None).unwrap_err();
        assert_eq!(error.to_string(), message, "{url}");
    }
}

#[test]
fn other_databases_are_left_alone() {
    for url in [
        "sqlite://data/app.db?port=x",
        "sqlite::memory:",
        "not a url",
    ] {
        assert!(
            PostgresUrl::read_with_env(url, |_| None).unwrap().is_none(),
            "{url}"
        );
    }
}
