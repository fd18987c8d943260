//! The dependency rule of Clean Architecture and the boundaries between bounded contexts,
//! checked against the Cargo manifests.
//!
//! Every bounded context is split into one crate per layer so that the compiler enforces
//! the dependency rule: code cannot `use` a crate its manifest does not list. That
//! guarantee is only as strong as the manifests themselves. A single careless line in a
//! `Cargo.toml` (a domain crate pulling in sea-orm, a handler crate reaching for a
//! repository adapter, one context importing another's internals) compiles fine and
//! silently undoes it. These tests read the manifests through `cargo metadata` and fail CI
//! when one of them breaks a rule, listing every violation in a single run.
//!
//! The contexts are not listed here: every folder of `crates/` but `shared_kernel`,
//! `platform` and `api` is one, and its crates are checked by where they sit.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

/// The folders of `crates/` that are not bounded contexts.
const SHARED_KERNEL_DIR: &str = "shared_kernel";
const PLATFORM_DIR: &str = "platform";
const API_DIR: &str = "api";

/// A layer of the shared kernel or of a context, innermost first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Layer {
    /// A context's published language: the events other contexts may hear.
    Contracts,
    Domain,
    Application,
    Infrastructure,
    Entrypoints,
    /// The context's layers wired together for the composition root.
    Module,
}

impl Layer {
    const ALL: [Self; 6] = [
        Self::Contracts,
        Self::Domain,
        Self::Application,
        Self::Infrastructure,
        Self::Entrypoints,
        Self::Module,
    ];
    /// What every context has; `contracts` only a context that publishes events does.
    const REQUIRED: [Self; 5] = [
        Self::Domain,
        Self::Application,
        Self::Infrastructure,
        Self::Entrypoints,
        Self::Module,
    ];
    /// The shared kernel's four.
    const SHARED_KERNEL: [Self; 4] = [
        Self::Domain,
        Self::Application,
        Self::Infrastructure,
        Self::Entrypoints,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Contracts => "contracts",
            Self::Domain => "domain",
            Self::Application => "application",
            Self::Infrastructure => "infrastructure",
            Self::Entrypoints => "entrypoints",
            Self::Module => "module",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|layer| layer.name() == name)
    }

    /// Distance from the centre of the onion. The published language is as plain as the
    /// domain and sits beneath it; infrastructure and entrypoints share the outer ring
    /// (adapters on either side of the use cases, never aware of each other); the module
    /// wires them all.
    fn ring(self) -> u8 {
        match self {
            Self::Contracts => 0,
            Self::Domain => 1,
            Self::Application => 2,
            Self::Infrastructure | Self::Entrypoints => 3,
            Self::Module => 4,
        }
    }

    /// What a crate of this layer may use among its normal and build dependencies, and why.
    /// `{context}` stands for the crate's own context.
    fn policy(self) -> (Policy, &'static str) {
        match self {
            Self::Contracts => (
                Policy::Only(&["shared-kernel-domain", "uuid", "chrono", "thiserror"]),
                "a published language depends on nothing another context would have to take \
                 with it",
            ),
            Self::Domain => (
                Policy::Only(&[
                    "*-contracts",
                    "shared-kernel-domain",
                    "uuid",
                    "chrono",
                    "thiserror",
                ]),
                "the domain is plain Rust, testable without a database, a web server or a runtime",
            ),
            Self::Application => (
                Policy::Only(&[
                    "{context}-domain",
                    "*-contracts",
                    "shared-kernel-domain",
                    "shared-kernel-application",
                    "async-trait",
                    "thiserror",
                    "uuid",
                    "chrono",
                    // A digest is pure computation, like a date: a view's entity tag is one,
                    // computed where both the handlers and the edge can reach it (ADR 0022).
                    "sha2",
                ]),
                "use cases reach the outside world only through the ports they define",
            ),
            Self::Infrastructure => (
                Policy::Never(&[
                    "*-entrypoints",
                    "*-module",
                    "actix-*",
                    "utoipa*",
                    "rusqlite",
                    "sqlx*",
                    "tokio-postgres*",
                    "deadpool*",
                    "sea-query-postgres",
                    "api",
                ]),
                "adapters know nothing of HTTP or of the composition root, and reach the \
                 databases' drivers through the platform",
            ),
            Self::Entrypoints => (
                Policy::Never(&[
                    "*-infrastructure",
                    "*-module",
                    "platform-*",
                    "sea-orm",
                    "sea-orm-migration",
                    "sqlx*",
                    "rusqlite",
                    "tokio-postgres*",
                    "deadpool*",
                    "sea-query-postgres",
                    "migration",
                    "bcrypt",
                    "jsonwebtoken",
                    "api",
                ]),
                "handlers call use cases; persistence, hashing and tokens stay behind the ports",
            ),
            Self::Module => (
                Policy::Never(&[
                    "api",
                    "migration",
                    "rusqlite",
                    "sqlx*",
                    "tokio-postgres*",
                    "deadpool*",
                    "sea-query-postgres",
                ]),
                "a module wires its own context's layers; it is composed, it does not compose",
            ),
        }
    }
}

/// An allowlist or a denylist of crate names; a leading or trailing `*` is a wildcard.
enum Policy {
    Only(&'static [&'static str]),
    Never(&'static [&'static str]),
}

/// What the platform crates (database, outbox) may not use: they are infrastructure that
/// every context shares, beneath the HTTP edge and the composition root.
const PLATFORM_NEVER: [&str; 6] = [
    "actix-*",
    "utoipa*",
    "shared-kernel-entrypoints",
    "api",
    "*-module",
    "migration",
];

/// The schema crate must stay runnable on its own, so it only needs the migration tooling.
const MIGRATION_ALLOWED: [&str; 1] = ["sea-orm-migration"];
/// What the reference routes may never use: they measure what the drivers alone can do, so
/// no crate of the workspace (no domain, no bus) and no ORM.
const REFERENCE_NEVER: [&str; 4] = ["sea-orm*", "sea-query*", "sqlx*", "platform-*"];

/// What a workspace crate is, by where it sits.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    SharedKernel(Layer),
    Platform,
    Context {
        context: String,
        layer: Layer,
    },
    Api,
    Migration,
    /// The benchmark's reference routes (`benches/reference`, issue #19): the product's hot
    /// paths written bare, to measure the product against.
    Reference,
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

fn listed(patterns: &[&str], name: &str, context: &str) -> bool {
    patterns
        .iter()
        .any(|pattern| matches(&pattern.replace("{context}", context), name))
}

/// The workspace's crates by name, with the contexts found in `crates/`, or the manifests
/// that sit where no crate may.
struct Workspace {
    crates: BTreeMap<String, Kind>,
    contexts: BTreeSet<String>,
    misplaced: Vec<String>,
}

impl Workspace {
    fn read(metadata: &Value) -> Self {
        let root = Path::new(metadata["workspace_root"].as_str().unwrap_or_default());
        let mut workspace = Self {
            crates: BTreeMap::new(),
            contexts: BTreeSet::new(),
            misplaced: Vec::new(),
        };
        for package in packages(metadata) {
            let name = package["name"].as_str().unwrap_or_default();
            let manifest = Path::new(package["manifest_path"].as_str().unwrap_or_default());
            let folders: Vec<String> = manifest
                .strip_prefix(root)
                .ok()
                .and_then(Path::parent)
                .map(|folder| {
                    folder
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let folders: Vec<&str> = folders.iter().map(String::as_str).collect();
            match workspace.kind(name, &folders) {
                Ok(kind) => {
                    if let Kind::Context { context, .. } = &kind {
                        workspace.contexts.insert(context.clone());
                    }
                    workspace.crates.insert(name.to_owned(), kind);
                }
                Err(problem) => workspace.misplaced.push(format!("{name}: {problem}")),
            }
        }
        workspace
    }

    /// What the crate `name` in `folders` (relative to the workspace root) is.
    fn kind(&self, name: &str, folders: &[&str]) -> Result<Kind, String> {
        let expect = |expected: String, kind: Kind| {
            if name == expected {
                Ok(kind)
            } else {
                Err(format!(
                    "the crate in {} must be named {expected}: the rules are keyed on names",
                    folders.join("/")
                ))
            }
        };
        match folders {
            ["migration"] => expect("migration".into(), Kind::Migration),
            ["benches", "reference"] => expect("bench-reference".into(), Kind::Reference),
            ["crates", API_DIR] => expect("api".into(), Kind::Api),
            ["crates", PLATFORM_DIR, crate_folder] => {
                expect(format!("platform-{crate_folder}"), Kind::Platform)
            }
            ["crates", SHARED_KERNEL_DIR, layer] => match Layer::parse(layer) {
                Some(layer) if Layer::SHARED_KERNEL.contains(&layer) => expect(
                    format!("shared-kernel-{}", layer.name()),
                    Kind::SharedKernel(layer),
                ),
                _ => Err(format!(
                    "the shared kernel has no layer {layer}: domain, application, \
                     infrastructure or entrypoints"
                )),
            },
            ["crates", context, layer] => {
                let context = context.replace('_', "-");
                match Layer::parse(layer) {
                    Some(layer) => expect(
                        format!("{context}-{}", layer.name()),
                        Kind::Context { context, layer },
                    ),
                    None => Err(format!(
                        "a context's crates are its layers (contracts, domain, application, \
                         infrastructure, entrypoints, module), not {layer}"
                    )),
                }
            }
            _ => Err(format!(
                "no crate belongs in {}: the shared kernel, the platform, the contexts and the \
                 composition root live in crates/, the schema in migration/, the benchmark's \
                 reference routes in benches/reference/",
                folders.join("/")
            )),
        }
    }

    /// The crates that must exist: a renamed or deleted one would escape every rule unnoticed.
    fn missing(&self) -> Vec<String> {
        let mut expected: Vec<String> = Layer::SHARED_KERNEL
            .iter()
            .map(|layer| format!("shared-kernel-{}", layer.name()))
            .chain(["api".to_owned(), "migration".to_owned()])
            .collect();
        for context in &self.contexts {
            expected.extend(
                Layer::REQUIRED
                    .iter()
                    .map(|layer| format!("{context}-{}", layer.name())),
            );
        }
        expected
            .into_iter()
            .filter(|name| !self.crates.contains_key(name))
            .map(|name| {
                format!("workspace crate {name} is missing: the architecture rules are keyed on crate names")
            })
            .collect()
    }
}

fn packages(metadata: &Value) -> &[Value] {
    metadata["packages"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
}

/// Every rule that `package` (of `kind`) depending on `dependency` breaks.
fn broken_rules(workspace: &Workspace, kind: &Kind, dependency: &str, dev: bool) -> Vec<String> {
    let mut broken = Vec::new();
    let target = workspace.crates.get(dependency);

    // Context boundaries hold even for tests: a dev-dependency on another context couples
    // the two just as surely, and the shared kernel and the platform must stay usable by
    // every context.
    if let Some(Kind::Context {
        context: target_context,
        layer: target_layer,
    }) = target
    {
        match kind {
            Kind::SharedKernel(_) => {
                broken.push("the shared kernel must not depend on any bounded context".to_owned())
            }
            Kind::Platform => {
                broken.push("the platform must not depend on any bounded context".to_owned())
            }
            Kind::Context { context, .. }
                if context != target_context && *target_layer != Layer::Contracts =>
            {
                broken.push(
                    "a context may use another context's contracts crate and nothing else of it"
                        .to_owned(),
                );
            }
            _ => {}
        }
    }
    if matches!(target, Some(Kind::Reference)) {
        broken.push("no crate may depend on the benchmark's reference routes".to_owned());
    }
    if matches!(kind, Kind::SharedKernel(_)) && matches!(target, Some(Kind::Platform)) {
        broken.push(
            "the shared kernel must not depend on the platform, which builds on it".to_owned(),
        );
    }

    // Tests may use whatever else they need (a database, an async runtime); only the code
    // that ships has to respect the layers.
    if dev {
        return broken;
    }

    match kind {
        Kind::Api => {}
        Kind::Reference => {
            if target.is_some() || listed(&REFERENCE_NEVER, dependency, "") {
                broken.push(
                    "the reference routes use no crate of the workspace and no ORM: they are \
                     the drivers alone"
                        .to_owned(),
                );
            }
        }
        Kind::Migration => {
            if !MIGRATION_ALLOWED.contains(&dependency) {
                broken.push(format!(
                    "migration may only use {}",
                    MIGRATION_ALLOWED.join(", ")
                ));
            }
        }
        Kind::Platform => {
            if listed(&PLATFORM_NEVER, dependency, "") {
                broken.push(format!(
                    "platform crates must never use {} (the platform is infrastructure every \
                     context shares, beneath the HTTP edge and the composition root)",
                    PLATFORM_NEVER.join(", ")
                ));
            }
        }
        Kind::SharedKernel(layer) => {
            check_policy(&mut broken, *layer, dependency, "shared-kernel");
            check_shared_kernel_layer(&mut broken, *layer, target);
        }
        Kind::Context { context, layer } => {
            check_policy(&mut broken, *layer, dependency, context);
            check_shared_kernel_layer(&mut broken, *layer, target);
            // Within its own context a crate only looks inward.
            if let Some(Kind::Context {
                context: target_context,
                layer: target_layer,
            }) = target
                && target_context == context
                && target_layer.ring() >= layer.ring()
            {
                broken.push(format!(
                    "{} crates may only depend on inner layers of their context (contracts <- \
                     domain <- application <- infrastructure / entrypoints <- module)",
                    layer.name()
                ));
            }
            if matches!(target, Some(Kind::Platform))
                && !matches!(layer, Layer::Infrastructure | Layer::Module)
            {
                broken.push(format!(
                    "{} crates must not use the platform: only infrastructure and the module do",
                    layer.name()
                ));
            }
        }
    }
    broken
}

fn check_policy(broken: &mut Vec<String>, layer: Layer, dependency: &str, context: &str) {
    let (policy, why) = layer.policy();
    let allowed = match policy {
        Policy::Only(patterns) => listed(patterns, dependency, context),
        Policy::Never(patterns) => !listed(patterns, dependency, context),
    };
    if !allowed {
        let (verb, patterns) = match policy {
            Policy::Only(patterns) => ("may only use", patterns),
            Policy::Never(patterns) => ("must never use", patterns),
        };
        let patterns: Vec<String> = patterns
            .iter()
            .map(|p| p.replace("{context}", context))
            .collect();
        broken.push(format!(
            "{} crates {verb} {} ({why})",
            layer.name(),
            patterns.join(", ")
        ));
    }
}

/// A crate may use the shared kernel's crates of an inner layer or of its own (they are that
/// layer's common building blocks); a module may use any. A published language is as plain
/// as a domain.
fn check_shared_kernel_layer(broken: &mut Vec<String>, layer: Layer, target: Option<&Kind>) {
    let Some(Kind::SharedKernel(target_layer)) = target else {
        return;
    };
    let layer = match layer {
        Layer::Contracts => Layer::Domain,
        layer => layer,
    };
    let allowed = layer == Layer::Module
        || *target_layer == layer
        || (target_layer.ring() < layer.ring()
            && !(layer == Layer::Entrypoints && *target_layer == Layer::Infrastructure));
    if !allowed {
        broken.push(format!(
            "{} crates may only use the shared kernel's inner layers or their own",
            layer.name()
        ));
    }
}

/// Every violation in `cargo metadata --format-version 1 --no-deps` output.
fn violations(metadata: &Value) -> Vec<String> {
    let workspace = Workspace::read(metadata);
    let mut found = workspace.misplaced.clone();
    found.extend(workspace.missing());

    for package in packages(metadata) {
        let name = package["name"].as_str().unwrap_or_default();
        let Some(kind) = workspace.crates.get(name) else {
            continue;
        };
        let dependencies = package["dependencies"].as_array().into_iter().flatten();
        for dependency in dependencies {
            let target = dependency["name"].as_str().unwrap_or_default();
            let dependency_kind = dependency["kind"].as_str().unwrap_or("normal");
            let broken = broken_rules(&workspace, kind, target, dependency_kind == "dev");
            if !broken.is_empty() {
                let optional = if dependency["optional"] == true {
                    ", optional"
                } else {
                    ""
                };
                found.push(format!(
                    "{name} depends on {target} ({dependency_kind}{optional}): {}",
                    broken.join("; ")
                ));
            }
        }
    }
    found
}

fn workspace_metadata() -> Value {
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
    serde_json::from_slice(&output.stdout).expect("cargo metadata should print JSON")
}

#[test]
fn workspace_manifests_keep_the_dependency_rule() {
    let violations = violations(&workspace_metadata());
    assert!(
        violations.is_empty(),
        "{} violation(s) of the dependency rule in the Cargo manifests:\n{}",
        violations.len(),
        violations.join("\n")
    );
}

#[test]
fn the_contexts_are_found_in_crates_not_listed() {
    let workspace = Workspace::read(&workspace_metadata());
    for context in ["accounts", "projects"] {
        assert!(
            workspace.contexts.contains(context),
            "{:?}",
            workspace.contexts
        );
    }
    assert!(!workspace.contexts.contains("shared-kernel"));
    assert!(!workspace.contexts.contains("platform"));
}

/// `cargo metadata` output for a workspace at `/ws` that keeps every rule, plus `extra`
/// dependencies given as `(package, dependency, kind)`.
fn metadata_with(extra: &[(&str, &str, Option<&str>)]) -> Value {
    let clean: &[(&str, &str, &[&str])] = &[
        (
            "shared-kernel-domain",
            "crates/shared_kernel/domain",
            &["uuid", "chrono", "thiserror"],
        ),
        (
            "shared-kernel-application",
            "crates/shared_kernel/application",
            &["shared-kernel-domain", "async-trait"],
        ),
        (
            "shared-kernel-infrastructure",
            "crates/shared_kernel/infrastructure",
            &["shared-kernel-domain", "tokio"],
        ),
        (
            "shared-kernel-entrypoints",
            "crates/shared_kernel/entrypoints",
            &["shared-kernel-application", "actix-web"],
        ),
        (
            "platform-database",
            "crates/platform/database",
            &[
                "shared-kernel-application",
                "sea-orm",
                "rusqlite",
                "tokio-postgres",
                "deadpool-postgres",
            ],
        ),
        (
            "platform-outbox",
            "crates/platform/outbox",
            &["platform-database", "shared-kernel-application"],
        ),
        (
            "accounts-contracts",
            "crates/accounts/contracts",
            &["shared-kernel-domain", "chrono"],
        ),
        (
            "accounts-domain",
            "crates/accounts/domain",
            &["accounts-contracts", "shared-kernel-domain", "chrono"],
        ),
        (
            "accounts-application",
            "crates/accounts/application",
            &["accounts-domain", "shared-kernel-application"],
        ),
        (
            "accounts-infrastructure",
            "crates/accounts/infrastructure",
            &[
                "accounts-application",
                "shared-kernel-infrastructure",
                "platform-outbox",
                "bcrypt",
            ],
        ),
        (
            "accounts-entrypoints",
            "crates/accounts/entrypoints",
            &[
                "accounts-application",
                "shared-kernel-entrypoints",
                "utoipa",
            ],
        ),
        (
            "accounts-module",
            "crates/accounts/module",
            &[
                "accounts-infrastructure",
                "accounts-entrypoints",
                "platform-outbox",
                "actix-web",
            ],
        ),
        (
            "projects-domain",
            "crates/projects/domain",
            &["shared-kernel-domain"],
        ),
        (
            "projects-application",
            "crates/projects/application",
            &["projects-domain", "accounts-contracts", "async-trait"],
        ),
        (
            "projects-infrastructure",
            "crates/projects/infrastructure",
            &["projects-domain", "projects-application", "sea-orm"],
        ),
        (
            "projects-entrypoints",
            "crates/projects/entrypoints",
            &["projects-application", "actix-web"],
        ),
        (
            "projects-module",
            "crates/projects/module",
            &["projects-infrastructure", "projects-entrypoints"],
        ),
        ("migration", "migration", &["sea-orm-migration"]),
        (
            "bench-reference",
            "benches/reference",
            &["actix-web", "rusqlite", "tokio-postgres"],
        ),
        (
            "api",
            "crates/api",
            &[
                "accounts-module",
                "projects-module",
                "migration",
                "actix-web",
            ],
        ),
    ];
    let packages: Vec<Value> = clean
        .iter()
        .map(|(name, folder, dependencies)| {
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
            json!({
                "name": name,
                "manifest_path": format!("/ws/{folder}/Cargo.toml"),
                "dependencies": dependencies,
            })
        })
        .collect();
    json!({ "workspace_root": "/ws", "packages": packages })
}

#[test]
fn a_clean_workspace_has_no_violations() {
    // Dev-dependencies may cross layers (a database for the domain's tests is fine), and a
    // context may use another context's contracts, in its tests too.
    let metadata = metadata_with(&[
        ("accounts-domain", "tokio", Some("dev")),
        ("projects-infrastructure", "accounts-contracts", Some("dev")),
        ("projects-infrastructure", "platform-database", Some("dev")),
    ]);
    assert_eq!(violations(&metadata), Vec::<String>::new());
}

#[test]
fn every_broken_manifest_is_reported_in_one_run() {
    let metadata = metadata_with(&[
        ("accounts-domain", "sea-orm", None),
        ("accounts-application", "projects-domain", None),
        ("accounts-entrypoints", "accounts-infrastructure", None),
        ("accounts-entrypoints", "platform-outbox", None),
        ("accounts-contracts", "accounts-domain", None),
        ("projects-infrastructure", "rusqlite", None),
        ("projects-infrastructure", "tokio-postgres", None),
        ("accounts-module", "deadpool-postgres", None),
        (
            "projects-infrastructure",
            "accounts-application",
            Some("dev"),
        ),
        ("platform-database", "accounts-domain", Some("dev")),
        ("platform-outbox", "actix-web", None),
        (
            "shared-kernel-application",
            "platform-database",
            Some("dev"),
        ),
        ("bench-reference", "sea-orm", None),
        ("bench-reference", "projects-domain", None),
        ("api", "bench-reference", Some("dev")),
    ]);
    let found = violations(&metadata);
    let reported = |prefix: &str| found.iter().any(|v| v.starts_with(prefix));

    for expected in [
        "accounts-domain depends on sea-orm (normal)",
        "accounts-application depends on projects-domain (normal)",
        "accounts-entrypoints depends on accounts-infrastructure (normal)",
        "accounts-entrypoints depends on platform-outbox (normal)",
        "accounts-contracts depends on accounts-domain (normal)",
        "projects-infrastructure depends on rusqlite (normal)",
        "projects-infrastructure depends on tokio-postgres (normal)",
        "accounts-module depends on deadpool-postgres (normal)",
        "projects-infrastructure depends on accounts-application (dev)",
        "platform-database depends on accounts-domain (dev)",
        "platform-outbox depends on actix-web (normal)",
        "shared-kernel-application depends on platform-database (dev)",
        "bench-reference depends on sea-orm (normal)",
        "bench-reference depends on projects-domain (normal)",
        "api depends on bench-reference (dev)",
    ] {
        assert!(reported(expected), "{expected} in {found:#?}");
    }
    assert_eq!(found.len(), 15, "{found:#?}");
}

#[test]
fn a_context_without_one_of_its_layers_or_with_a_misnamed_crate_is_reported() {
    let mut metadata = metadata_with(&[]);
    let packages = metadata["packages"].as_array_mut().unwrap();
    packages.retain(|package| package["name"] != "projects-module");
    for package in packages.iter_mut() {
        if package["name"] == "accounts-domain" {
            package["name"] = json!("accounts-core");
        }
    }
    metadata["packages"].as_array_mut().unwrap().push(json!({
        "name": "billing-services",
        "manifest_path": "/ws/crates/billing/services/Cargo.toml",
        "dependencies": [],
    }));

    let found = violations(&metadata);

    let reported = |text: &str| found.iter().any(|v| v.contains(text));
    assert!(
        reported("crates/accounts/domain must be named accounts-domain"),
        "{found:#?}"
    );
    assert!(reported("accounts-domain is missing"), "{found:#?}");
    assert!(reported("projects-module is missing"), "{found:#?}");
    assert!(
        reported("billing-services: a context's crates are its layers"),
        "{found:#?}"
    );
    assert_eq!(found.len(), 4, "{found:#?}");
}
