//! Prints the LST token's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    lst_token::print_from_args();
}
