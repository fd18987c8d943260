#!/usr/bin/env bash
# Installs cargo-nextest, the test runner `make test` uses, when cargo does not have it yet,
# so that a fresh machine needs nothing but a Rust toolchain (and a C compiler) to run the
# tests. `cargo install --locked` builds the release nextest pins, from crates.io.
set -euo pipefail

CARGO="${CARGO:-cargo}"
if "$CARGO" nextest --version >/dev/null 2>&1; then
    exit 0
fi
echo "ensure-nextest: cargo-nextest is missing; installing it (cargo install --locked cargo-nextest)" >&2
# Build in cargo's own temporary folder, not in the project's target directory.
env -u CARGO_TARGET_DIR "$CARGO" install --locked cargo-nextest
"$CARGO" nextest --version >/dev/null
