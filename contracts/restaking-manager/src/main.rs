//! Prints the restaking manager's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    restaking_manager::print_from_args();
}
