//! Gas and size benchmark of the suite's user operations against two Solidity baselines
//! (`OpenZeppelin` Contracts compiled with solc from npm, `bench/solidity/`): the one-contract
//! ERC-4626 LRT, and our design written in Solidity (allocator, restaking manager, separate
//! share token). All three suites are deployed on one local node served in-process and driven
//! over JSON-RPC as users would.
//!
//! Each suite runs the same nine operations in three rounds: round 0 on a fresh deployment
//! (cold: first holders, empty slots), round 1 again (warm state: every slot already set), and
//! round 2 after the Stylus programs are cached with `ArbWasmCache.cacheProgram` (Nitro's `ArbOS`
//! cache: calls skip the uncached init gas). Round 1 gives the Stylus "uncached" figure, round
//! 2 the "cached" one and the Solidity figures; the floor ([`floor`]) comes from what each round-2
//! transaction changed on the node.

pub mod baseline;
pub mod floor;
pub mod profile;
pub mod report;
pub mod run;

/// Errors of the benchmark: a message with its context.
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;
