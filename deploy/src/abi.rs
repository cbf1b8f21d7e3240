//! Typed bindings generated from the committed ABIs (`abi/*.sol`), one module per file (the files
//! share helper interfaces), and the Stylus deployment interfaces re-exported from the node.

#![allow(missing_docs, clippy::pedantic)]

/// `abi/staking-vault.sol`.
pub mod vault {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/staking-vault.sol"
    );
}
/// `abi/lst-token.sol`.
pub mod lst {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/lst-token.sol"
    );
}
/// `abi/allocation-manager.sol`.
pub mod allocations {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/allocation-manager.sol"
    );
}
/// `abi/restaking-manager.sol`.
pub mod manager {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/restaking-manager.sol"
    );
}
/// `abi/avs-registry.sol`.
pub mod registry {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/avs-registry.sol"
    );
}
/// `abi/lrt-allocator.sol`.
pub mod allocator {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/lrt-allocator.sol"
    );
}
/// `abi/lrt.sol`.
pub mod lrt {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/lrt.sol"
    );
}
/// `abi/lrt-token.sol`.
pub mod lrt_token {
    alloy::sol!(
        #[sol(all_derives)]
        "../abi/lrt-token.sol"
    );
}

pub use allocations::IAllocationManager as Allocations;
pub use allocator::ILrtAllocator as Allocator;
pub use devnode::{
    arbwasm::{ArbWasm, ARB_WASM},
    deployer::{StylusDeployer, STYLUS_DEPLOYER},
};
pub use lrt::ILrt as Lrt;
pub use lst::{ILstToken as Erc20, ILstToken as Permit};
pub use manager::IRestakingManager as Manager;
pub use registry::IAvsRegistry as Registry;
pub use vault::{
    IStakingVault as AccessControl, IStakingVault as Pausable, IStakingVault as Vault,
};
