//! Prints the AVS registry's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    avs_registry::print_from_args();
}
