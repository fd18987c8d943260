//! The dependency rule of Clean Architecture, checked against the Cargo manifests.
//!
//! Every bounded context is split into one crate per layer so that the compiler enforces
//! the dependency rule: code cannot `use` a crate its manifest does not list. That
//! guarantee is only as strong as the manifests themselves. A single careless line in a
//! `Cargo.toml` (a domain crate pulling in sea-orm, a handler crate reaching for a
//! repository adapter, one context importing another) compiles fine and silently undoes
//! it. These tests read the manifests through `cargo metadata` and fail CI when one of them
//! breaks the rule, listing every violation in a single run.

use std::process::Command;

use serde_json::{Value, json};

/// The bounded contexts, plus the shared kernel that all of them build on.
const CONTEXTS: [&str; 3] = ["shared-kernel", "accounts", "projects"];
const SHARED_KERNEL: &str = "shared-kernel";

/// Workspace crates outside the `<context>-<layer>` scheme that must still exist.
const OTHER_CRATES: [&str; 2] = ["api", "migration"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Domain,
    Application,
    Infrastructure,
    Entrypoints,
}

impl Layer {
    const ALL: [Self; 4] = [
        Self::Domain,
        Self::Application,
        Self::Infrastructure,
        Self::Entrypoints,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Domain => "domain",
            Self::Application => "application",
            Self::Infrastructure => "infrastructure",
            Self::Entrypoints => "entrypoints",
        }
    }

    /// Distance from the centre of the onion. Infrastructure and entrypoints share the
    /// outer ring: adapters on either side of the use cases, never aware of each other.
    fn ring(self) -> u8 {
        match self {
            Self::Domain => 0,
            Self::Application => 1,
            Self::Infrastructure | Self::Entrypoints => 2,
        }
    }

    /// What a crate of this layer may use among its normal and build dependencies, and
    /// why. `{context}` stands for the crate's own context.
    fn policy(self) -> (Policy, &'static str) {
        match self {
            Self::Domain => (
                Policy::Only(&["shared-kernel-domain", "uuid", "chrono", "thiserror"]),
                "the domain is plain Rust, testable without a database, a web server or a runtime",
            ),
            Self::Application => (
                Policy::Only(&[
                    "{context}-domain",
                    "shared-kernel-domain",
                    "shared-kernel-application",
                    "async-trait",
                    "thiserror",
                    "uuid",
                    "chrono",
                ]),
                "use cases reach the outside world only through the ports they define",
            ),
            Self::Infrastructure => (
                Policy::Never(&["*-entrypoints", "actix-*", "utoipa*", "api"]),
                "adapters to databases and services know nothing of HTTP or of the composition root",
            ),
            Self::Entrypoints => (
                Policy::Never(&[
                    "*-infrastructure",
                    "sea-orm",
                    "sea-orm-migration",
                    "sqlx*",
                    "rusqlite",
                    "migration",
                    "bcrypt",
                    "jsonwebtoken",
                    "api",
                ]),
                "handlers call use cases; persistence, hashing and tokens stay behind the ports",
            ),
        }
    }
}

/// An allowlist or a denylist of crate names; a leading or trailing `*` is a wildcard.
enum Policy {
    Only(&'static [&'static str]),
    Never(&'static [&'static str]),
}

/// The schema crate must stay runnable on its own, so it only needs the migration tooling.
const MIGRATION_ALLOWED: [&str; 1] = ["sea-orm-migration"];

/// Splits `accounts-domain` into `("accounts", Layer::Domain)`; `None` for crates outside
/// the layered scheme (third-party crates, `api`, `migration`).
fn layered(name: &str) -> Option<(&str, Layer)> {
    let (context, layer) = name.rsplit_once('-')?;
    let layer = Layer::ALL.into_iter().find(|l| l.name() == layer)?;
    CONTEXTS.contains(&context).then_some((context, layer))
}

fn matches(pattern: &str, name: &str) -> bool {
    if let Some(suffix) = pattern.strip_prefix('*') {
        name.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        name.starts_with(prefix)
    } else {
        pattern == name
    }
}

/// Every rule that `package` depending on `dependency` breaks; empty when it is allowed.
fn broken_rules(package: &str, dependency: &str, kind: &str) -> Vec<String> {
    let mut broken = Vec::new();
    let build_or_normal = kind != "dev";

    let Some((context, layer)) = layered(package) else {
        // `api` is the composition root: wiring every layer together is its job.
        if package == "migration" && build_or_normal && !MIGRATION_ALLOWED.contains(&dependency) {
            broken.push(format!(
                "migration may only use {}",
                MIGRATION_ALLOWED.join(", ")
            ));
        }
        return broken;
    };
    let target = layered(dependency);

    // Context boundaries hold even for tests: a dev-dependency on another context couples
    // the two just as surely, and the shared kernel must stay usable by every context.
    if let Some((target_context, _)) = target {
        if context == SHARED_KERNEL && target_context != SHARED_KERNEL {
            broken.push("the shared kernel must not depend on any bounded context".to_owned());
        } else if context != SHARED_KERNEL
            && target_context != SHARED_KERNEL
            && target_context != context
        {
            broken.push(
                "bounded contexts never depend on each other (share through the shared kernel)"
                    .to_owned(),
            );
        }
    }

    // Tests may use whatever they need (a database, an async runtime); only the code that
    // ships has to respect the layers.
    if !build_or_normal {
        return broken;
    }

    let (policy, why) = layer.policy();
    let resolve = |pattern: &str| pattern.replace("{context}", context);
    let listed = |patterns: &[&str]| patterns.iter().any(|p| matches(&resolve(p), dependency));
    let allowed = match policy {
        Policy::Only(patterns) => listed(patterns),
        Policy::Never(patterns) => !listed(patterns),
    };
    if !allowed {
        let (verb, patterns) = match policy {
            Policy::Only(patterns) => ("may only use", patterns),
            Policy::Never(patterns) => ("must never use", patterns),
        };
        let patterns: Vec<String> = patterns.iter().map(|p| resolve(p)).collect();
        broken.push(format!(
            "{} crates {verb} {} ({why})",
            layer.name(),
            patterns.join(", ")
        ));
    }

    // Within its own context a crate only looks inward; the shared kernel's crates of the
    // same layer are fine too, as they are that layer's common building blocks.
    if let Some((target_context, target_layer)) = target {
        let inward = target_layer.ring() < layer.ring();
        let points_inward = if context == target_context {
            inward
        } else {
            target_context == SHARED_KERNEL && (inward || target_layer == layer)
        };
        if (context == target_context || target_context == SHARED_KERNEL) && !points_inward {
            broken.push(format!(
                "{} crates may only depend on inner layers (domain <- application <- \
                 infrastructure / entrypoints)",
                layer.name()
            ));
        }
    }

    broken
}

/// Every dependency-rule violation in `cargo metadata --format-version 1` output.
fn violations(metadata: &Value) -> Vec<String> {
    let packages = metadata["packages"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let mut found = Vec::new();

    // A renamed or deleted layer crate would otherwise escape every rule above unnoticed.
    let expected = CONTEXTS
        .iter()
        .flat_map(|context| Layer::ALL.map(|layer| format!("{context}-{}", layer.name())))
        .chain(OTHER_CRATES.map(str::to_owned));
    for name in expected {
        if !packages
            .iter()
            .any(|package| package["name"] == name.as_str())
        {
            found.push(format!(
                "workspace crate {name} is missing: the architecture rules are keyed on crate names"
            ));
        }
    }

    for package in packages {
        let name = package["name"].as_str().unwrap_or_default();
        let dependencies = package["dependencies"].as_array().into_iter().flatten();
        for dependency in dependencies {
            let target = dependency["name"].as_str().unwrap_or_default();
            let kind = dependency["kind"].as_str().unwrap_or("normal");
            let broken = broken_rules(name, target, kind);
            if !broken.is_empty() {
                let optional = if dependency["optional"] == true {
                    ", optional"
                } else {
                    ""
                };
                found.push(format!(
                    "{name} depends on {target} ({kind}{optional}): {}",
                    broken.join("; ")
                ));
            }
        }
    }
    found
}

#[test]
fn workspace_manifests_keep_the_dependency_rule() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata should run");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata should print JSON");

    let violations = violations(&metadata);
    assert!(
        violations.is_empty(),
        "{} violation(s) of the dependency rule in the Cargo manifests:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// `cargo metadata` output for a workspace that keeps every rule, plus `extra`
/// dependencies given as `(package, dependency, kind)`.
fn metadata_with(extra: &[(&str, &str, Option<&str>)]) -> Value {
    let clean: &[(&str, &[&str])] = &[
        ("shared-kernel-domain", &["uuid", "chrono", "thiserror"]),
        (
            "shared-kernel-application",
            &["shared-kernel-domain", "async-trait"],
        ),
        (
            "shared-kernel-infrastructure",
            &["shared-kernel-application", "sea-orm"],
        ),
        (
            "shared-kernel-entrypoints",
            &["shared-kernel-application", "actix-web"],
        ),
        ("accounts-domain", &["shared-kernel-domain", "chrono"]),
        (
            "accounts-application",
            &["accounts-domain", "shared-kernel-application"],
        ),
        (
            "accounts-infrastructure",
            &[
                "accounts-application",
                "shared-kernel-infrastructure",
                "bcrypt",
            ],
        ),
        (
            "accounts-entrypoints",
            &[
                "accounts-application",
                "shared-kernel-entrypoints",
                "utoipa",
            ],
        ),
        ("projects-domain", &["shared-kernel-domain"]),
        ("projects-application", &["projects-domain", "async-trait"]),
        (
            "projects-infrastructure",
            &["projects-domain", "projects-application", "sea-orm"],
        ),
        (
            "projects-entrypoints",
            &["projects-application", "actix-web"],
        ),
        ("migration", &["sea-orm-migration"]),
        (
            "api",
            &[
                "accounts-infrastructure",
                "accounts-entrypoints",
                "migration",
                "actix-web",
            ],
        ),
    ];
    let packages: Vec<Value> = clean
        .iter()
        .map(|(name, dependencies)| {
            let mut dependencies: Vec<Value> = dependencies
                .iter()
                .map(|d| json!({ "name": d, "kind": null, "optional": false }))
                .collect();
            for (package, dependency, kind) in extra {
                if package == name {
                    dependencies
                        .push(json!({ "name": dependency, "kind": kind, "optional": false }));
                }
            }
            json!({ "name": name, "dependencies": dependencies })
        })
        .collect();
    json!({ "packages": packages })
}

#[test]
fn a_clean_workspace_has_no_violations() {
    // Dev-dependencies may cross layers (a database for the domain's tests is fine).
    let metadata = metadata_with(&[("accounts-domain", "tokio", Some("dev"))]);
    assert_eq!(violations(&metadata), Vec::<String>::new());
}

#[test]
fn every_broken_manifest_is_reported_in_one_run() {
    let metadata = metadata_with(&[
        ("accounts-domain", "sea-orm", None),
        ("accounts-application", "projects-domain", None),
        ("accounts-entrypoints", "accounts-infrastructure", None),
        (
            "shared-kernel-infrastructure",
            "accounts-domain",
            Some("dev"),
        ),
    ]);
    let found = violations(&metadata);
    let reported = |prefix: &str| found.iter().any(|v| v.starts_with(prefix));

    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        reported("accounts-domain depends on sea-orm (normal)"),
        "{found:#?}"
    );
    assert!(
        reported("accounts-application depends on projects-domain (normal)"),
        "{found:#?}"
    );
    assert!(
        reported("accounts-entrypoints depends on accounts-infrastructure (normal)"),
        "{found:#?}"
    );
    assert!(
        reported("shared-kernel-infrastructure depends on accounts-domain (dev)"),
        "{found:#?}"
    );
}

#[test]
fn a_renamed_layer_crate_is_reported_missing() {
    let mut metadata = metadata_with(&[]);
    metadata["packages"][4]["name"] = json!("accounts-core");
    let found = violations(&metadata);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("accounts-domain is missing"),
        "{found:#?}"
    );
}
