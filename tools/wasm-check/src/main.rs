//! Placeholder until the checker lands.
fn main() {}
