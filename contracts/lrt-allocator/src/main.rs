//! Prints the LRT allocator's Solidity ABI (`cargo run --features export-abi`).

fn main() {
    lrt_allocator::print_from_args();
}
