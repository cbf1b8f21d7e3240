//! Prints the staking vault's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    staking_vault::print_from_args();
}
