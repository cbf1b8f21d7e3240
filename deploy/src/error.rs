//! Why a deployment stopped, each as a sentence with what to do next, and revert data decoded
//! against every contract's errors.

use std::path::PathBuf;

use std::fmt;

use alloy::{
    primitives::{Address, Bytes, U256},
    sol_types::SolInterface,
};

use crate::abi;

/// Why a deployment stopped.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// A network file is missing or malformed.
    #[error("{}: {reason}. Fix the file (see docs/deploy.md for its fields).", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// No signing key was given, or it could not be read.
    #[error("{0}. Set PRIVATE_KEY, or pass --keystore FILE (password from DEPLOY_KEYSTORE_PASSWORD or the prompt).")]
    Key(String),
    /// A release wasm is missing.
    #[error("{}: {reason}. Build the contracts first: scripts/build-wasm.sh.", path.display())]
    Wasm {
        /// The file.
        path: PathBuf,
        /// The reason.
        reason: String,
    },
    /// The RPC endpoint failed (unreachable, refused the request).
    #[error("RPC {what} failed: {reason}. Check that the node at the RPC URL is up and the account holds enough ETH.")]
    Rpc {
        /// The request.
        what: String,
        /// The transport's or node's message.
        reason: String,
    },
    /// The endpoint serves another chain than the network file names.
    #[error("the RPC endpoint serves chain {actual}, the network file expects {expected}. Pass the matching --network or --rpc-url.")]
    WrongChain {
        /// From the network file.
        expected: u64,
        /// From `eth_chainId`.
        actual: u64,
    },
    /// The chain has no `StylusDeployer`.
    #[error("no StylusDeployer at {0} on this chain. Use a Nitro chain (Arbitrum, its devnode or the local node).")]
    NoStylusDeployer(Address),
    /// A transaction (or its gas estimate) reverted.
    #[error("{step} reverted: {reason}")]
    Reverted {
        /// The step.
        step: String,
        /// The decoded revert, with what to do next.
        reason: String,
        /// The raw revert data (empty when the node gave none), for callers that explain it
        /// in their own words ([`Revert::decode`]).
        data: Bytes,
    },
    /// A transaction was mined but failed.
    #[error("{step}: transaction {hash} was mined but failed (gas used {gas_used}). Re-run: done steps are skipped; if it fails again, raise the gas or inspect the transaction.")]
    Failed {
        /// The step.
        step: String,
        /// The transaction hash.
        hash: String,
        /// Gas it used.
        gas_used: u64,
    },
    /// The addresses file names a contract with no code.
    #[error("{name} at {address} (from {}) has no code: the chain was reset or the file belongs to another deployment. Delete the file to deploy afresh.", file.display())]
    NoCode {
        /// The contract.
        name: String,
        /// Its recorded address.
        address: Address,
        /// The addresses file.
        file: PathBuf,
    },
    /// The addresses file cannot be read or written, or belongs to another chain.
    #[error("{}: {reason}", file.display())]
    AddressesFile {
        /// The file.
        file: PathBuf,
        /// What is wrong, and what to do.
        reason: String,
    },
    /// A contract landed elsewhere than computed.
    #[error("{name} landed at {actual}, not at the precomputed {expected}: another deployment through the StylusDeployer came in between. Delete {name}'s entry from the addresses file and re-run.")]
    Misplaced {
        /// The contract.
        name: String,
        /// The computed address.
        expected: Address,
        /// Where it is.
        actual: Address,
    },
    /// A value read back differs from the network file.
    #[error("verification: {what} reads {actual}, the network file says {expected}. Re-run to apply the file, or check who else holds the admin role.")]
    Mismatch {
        /// The view.
        what: String,
        /// From the file.
        expected: String,
        /// From the chain.
        actual: String,
    },
}

/// The revert `data` in words: the contract error decoded against every ABI, the deployer's
/// and `ArbWasm`'s errors, then what to do next.
#[must_use]
pub fn explain_revert(data: &[u8]) -> String {
    let Some(decoded) = Revert::decode(data) else {
        return if data.is_empty() {
            "no revert data (out of gas, or a call to an address without code). Check the addresses and the gas limit.".to_owned()
        } else {
            format!(
                "unknown revert data 0x{}. Check that target/wasm matches abi/*.sol.",
                alloy::primitives::hex::encode(data)
            )
        };
    };
    let decoded = decoded.to_string();
    let hint = hint(&decoded);
    format!("{decoded}. {hint}")
}

/// A revert decoded against the ABIs, tried in this order (an error several ABIs share, such
/// as `EnforcedPause` or `ERC20InsufficientBalance`, comes back as the first one's): the
/// `StylusDeployer`, `ArbWasm`, the staking vault, the LST, the allocation manager, the
/// restaking manager, the AVS registry, the LRT allocator, the LRT, the LRT share token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(missing_docs)] // one variant per ABI, named as in `abi`
pub enum Revert {
    Deployer(abi::StylusDeployer::StylusDeployerErrors),
    ArbWasm(abi::ArbWasm::ArbWasmErrors),
    Vault(abi::vault::IStakingVault::IStakingVaultErrors),
    Lst(abi::lst::ILstToken::ILstTokenErrors),
    Allocations(abi::allocations::IAllocationManager::IAllocationManagerErrors),
    Manager(abi::manager::IRestakingManager::IRestakingManagerErrors),
    Registry(abi::registry::IAvsRegistry::IAvsRegistryErrors),
    Allocator(abi::allocator::ILrtAllocator::ILrtAllocatorErrors),
    Lrt(abi::lrt::ILrt::ILrtErrors),
    LrtToken(abi::lrt_token::ILrtToken::ILrtTokenErrors),
}

impl Revert {
    /// `data` decoded, or `None` when no ABI knows its selector (or it is empty).
    #[must_use]
    pub fn decode(data: &[u8]) -> Option<Self> {
        macro_rules! try_decode {
            ($($variant:ident: $errors:ty),*) => {$(
                if let Ok(error) = <$errors>::abi_decode(data) {
                    return Some(Self::$variant(error));
                }
            )*};
        }
        try_decode!(
            Deployer: abi::StylusDeployer::StylusDeployerErrors,
            ArbWasm: abi::ArbWasm::ArbWasmErrors,
            Vault: abi::vault::IStakingVault::IStakingVaultErrors,
            Lst: abi::lst::ILstToken::ILstTokenErrors,
            Allocations: abi::allocations::IAllocationManager::IAllocationManagerErrors,
            Manager: abi::manager::IRestakingManager::IRestakingManagerErrors,
            Registry: abi::registry::IAvsRegistry::IAvsRegistryErrors,
            Allocator: abi::allocator::ILrtAllocator::ILrtAllocatorErrors,
            Lrt: abi::lrt::ILrt::ILrtErrors,
            LrtToken: abi::lrt_token::ILrtToken::ILrtTokenErrors
        );
        None
    }
}

/// The error as its ABI names it, with its arguments (`VaultRequestNotFinalized(VaultRequestNotFinalized { _0: 3 })`).
impl fmt::Display for Revert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Deployer(
                abi::StylusDeployer::StylusDeployerErrors::ContractInitializationError(e),
            ) => {
                let inner = Self::decode(&e.data)
                    .map_or_else(|| "no data".to_owned(), |inner| inner.to_string());
                write!(f, "the constructor of {} failed: {inner}", e.newContract)
            }
            Self::Deployer(other) => write!(f, "StylusDeployer {other:?}"),
            Self::ArbWasm(e) => write!(f, "{e:?}"),
            Self::Vault(e) => write!(f, "{e:?}"),
            Self::Lst(e) => write!(f, "{e:?}"),
            Self::Allocations(e) => write!(f, "{e:?}"),
            Self::Manager(e) => write!(f, "{e:?}"),
            Self::Registry(e) => write!(f, "{e:?}"),
            Self::Allocator(e) => write!(f, "{e:?}"),
            Self::Lrt(e) => write!(f, "{e:?}"),
            Self::LrtToken(e) => write!(f, "{e:?}"),
        }
    }
}

fn hint(decoded: &str) -> &'static str {
    if decoded.contains("AccessControlUnauthorizedAccount") {
        "The sender lacks the role: deploy with the admin's key, or have the admin grant it."
    } else if decoded.contains("ProgramInsufficientValue") {
        "The activation fee rose: re-run (the fee is estimated again)."
    } else if decoded.contains("AlreadySet") {
        "The contract is wired to something else: the addresses file does not match the chain; delete it to deploy afresh."
    } else if decoded.contains("Parameter")
        || decoded.contains("Limits")
        || decoded.contains("OutOfBounds")
    {
        "A parameter in the network file is outside its hard bound: see the parameter table in docs/<contract>.md."
    } else if decoded.contains("EnforcedPause") {
        "The contract is paused: the pauser or admin must unpause it first."
    } else {
        "See the contract's error table in docs/<contract>.md."
    }
}

/// `wei` as ETH with up to 9 decimals (`0.000139 ETH`).
#[must_use]
pub fn format_eth(wei: U256) -> String {
    let unit = U256::from(10).pow(U256::from(9));
    let gwei = wei / unit;
    let whole = gwei / unit;
    let fraction = gwei % unit;
    let mut fraction = format!("{fraction:09}");
    while fraction.ends_with('0') && fraction.len() > 1 {
        fraction.pop();
    }
    format!("{whole}.{fraction} ETH")
}
