//! Cargo notices a changed source file by itself, but not a new one in a folder that
//! `automod::dir!` reads (tests/api/main.rs): this makes a new test file rebuild the suite.
fn main() {
    println!("cargo:rerun-if-changed=tests/api");
}
