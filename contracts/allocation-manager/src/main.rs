//! Prints the allocation manager's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    allocation_manager::print_from_args();
}
