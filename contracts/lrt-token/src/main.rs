//! Prints the LRT share token's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    lrt_token::print_from_args();
}
