//! Prints the LRT's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    lrt::print_from_args();
}
