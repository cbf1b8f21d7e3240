//! The Solidity baseline: the artifacts `tools/solidity/compile.mjs` writes for
//! `bench/solidity/*.sol`, deployed and wired over JSON-RPC.

use std::path::Path;

use alloy::{
    primitives::{keccak256, Address, Bytes, U256},
    sol_types::SolValue,
};
use lsr_deploy::Chain;
use serde::Deserialize;

use crate::BenchError;

/// One compiled contract as `compile.mjs` writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    /// Contract name.
    pub name: String,
    /// Creation code, hex without `0x`.
    pub bytecode: String,
    /// Runtime code, hex without `0x`.
    pub deployed_bytecode: String,
}

impl Artifact {
    /// Reads `DIR/NAME.json`.
    ///
    /// # Errors
    /// When the file is missing or not an artifact.
    pub fn load(dir: &Path, name: &str) -> Result<Self, BenchError> {
        let path = dir.join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e} (compile bench/solidity first)", path.display()))?;
        Ok(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?)
    }

    /// Bytes of runtime code (what the chain stores).
    #[must_use]
    pub fn code_bytes(&self) -> usize {
        self.deployed_bytecode.len() / 2
    }

    fn creation(&self, args: &[u8]) -> Result<Bytes, BenchError> {
        let mut code = alloy::hex::decode(&self.bytecode)
            .map_err(|e| format!("{}: bytecode is not hex: {e}", self.name))?;
        code.extend_from_slice(args);
        Ok(code.into())
    }
}

/// The one-contract baseline: `OpenZeppelin`'s ERC-4626 holding the LST itself.
#[derive(Debug, Clone, Copy)]
pub struct Baseline {
    /// `BaselineStakingVault`.
    pub vault: Address,
    /// `BaselineLst`.
    pub lst: Address,
    /// `BaselineLrt` (vault and share token in one contract).
    pub lrt: Address,
}

/// The same-design baseline: our LRT's design (allocator, restaking manager, separate share
/// token) in Solidity, on a staking vault and LST of its own.
#[derive(Debug, Clone, Copy)]
pub struct Modular {
    /// `BaselineStakingVault`.
    pub vault: Address,
    /// `BaselineLst`.
    pub lst: Address,
    /// `BaselineModularLrt`.
    pub lrt: Address,
    /// `BaselineLrtShares`, created by the LRT.
    pub shares: Address,
    /// `BaselineLrtAllocator`.
    pub allocator: Address,
    /// `BaselineRestakingManager`.
    pub manager: Address,
}

alloy::sol! {
    /// The same-design baseline's set-up calls (`bench/solidity/`).
    interface Setup {
        function registerOperator(address operator) external;
        function setLrt(address lrt) external;
        function setToken(address token) external;
        function setTargets(address[] operators, uint16[] weightsBps) external;
        function share() external view returns (address);
    }
}

/// Deploys `artifact` with ABI-encoded constructor `args` from `chain` ([`Chain::create`]);
/// returns its address and the gas of the creation.
///
/// # Errors
/// A failed or reverted creation (decoded), an RPC failure.
pub async fn create(
    chain: &Chain,
    artifact: &Artifact,
    args: &[u8],
) -> Result<(Address, u64), BenchError> {
    let (address, sent) = chain
        .create(
            &format!("create {}", artifact.name),
            artifact.creation(args)?,
            U256::ZERO,
        )
        .await?;
    Ok((address, sent.gas_used))
}

/// The baseline's compiled contracts.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// `BaselineStakingVault`.
    pub vault: Artifact,
    /// `BaselineLst`.
    pub lst: Artifact,
    /// `BaselineLrt`.
    pub lrt: Artifact,
    /// `BaselineRestakingManager`.
    pub manager: Artifact,
    /// `BaselineLrtAllocator`.
    pub allocator: Artifact,
    /// `BaselineModularLrt`.
    pub modular_lrt: Artifact,
    /// `BaselineLrtShares` (created by `BaselineModularLrt`; here for its size).
    pub shares: Artifact,
}

impl Artifacts {
    /// Every artifact, in the order of the size table.
    #[must_use]
    pub fn all(&self) -> [&Artifact; 7] {
        [
            &self.vault,
            &self.lst,
            &self.lrt,
            &self.manager,
            &self.allocator,
            &self.modular_lrt,
            &self.shares,
        ]
    }
}

/// The baseline artifacts in `dir`.
///
/// # Errors
/// As [`Artifact::load`].
pub fn artifacts(dir: &Path) -> Result<Artifacts, BenchError> {
    Ok(Artifacts {
        vault: Artifact::load(dir, "BaselineStakingVault")?,
        lst: Artifact::load(dir, "BaselineLst")?,
        lrt: Artifact::load(dir, "BaselineLrt")?,
        manager: Artifact::load(dir, "BaselineRestakingManager")?,
        allocator: Artifact::load(dir, "BaselineLrtAllocator")?,
        modular_lrt: Artifact::load(dir, "BaselineModularLrt")?,
        shares: Artifact::load(dir, "BaselineLrtShares")?,
    })
}

/// A staking vault and its LST, wired, from `admin` (who holds every role), with the vault's
/// minimum report interval `min_report_interval` (the local network file's).
async fn staking(
    admin: &Chain,
    artifacts: &Artifacts,
    min_report_interval: u64,
) -> Result<(Address, Address), BenchError> {
    let me = admin.from();
    let (vault, _) = create(
        admin,
        &artifacts.vault,
        &(me, min_report_interval).abi_encode_params(),
    )
    .await?;
    let (lst, _) = create(admin, &artifacts.lst, &vault.abi_encode()).await?;
    admin
        .send(vault, U256::ZERO, &Setup::setTokenCall { token: lst })
        .await?;
    Ok((vault, lst))
}

/// Deploys and wires the one-contract baseline from `admin` (who holds every role).
///
/// # Errors
/// The first failing step.
pub async fn deploy(
    admin: &Chain,
    artifacts: &Artifacts,
    min_report_interval: u64,
) -> Result<Baseline, BenchError> {
    let (vault, lst) = staking(admin, artifacts, min_report_interval).await?;
    let (lrt, _) = create(
        admin,
        &artifacts.lrt,
        &(vault, lst, admin.from()).abi_encode_params(),
    )
    .await?;
    Ok(Baseline { vault, lst, lrt })
}

/// Deploys and wires the same-design baseline from `admin` (who holds every role): two
/// operators registered and targeted with `weights_bps`, the LRT's limits from the local
/// network file (`min_deposit`, `deposit_cap`, `min_redeem`, wei).
///
/// # Errors
/// The first failing step.
pub async fn deploy_modular(
    admin: &Chain,
    artifacts: &Artifacts,
    min_report_interval: u64,
    weights_bps: &[u16],
    limits: (U256, U256, U256),
) -> Result<Modular, BenchError> {
    let me = admin.from();
    let zero = U256::ZERO;
    let (vault, lst) = staking(admin, artifacts, min_report_interval).await?;
    let (manager, _) = create(admin, &artifacts.manager, &(lst, me).abi_encode_params()).await?;
    let operators: Vec<Address> = (0..weights_bps.len())
        .map(|i| Address::from_word(keccak256(format!("lsr-bench/modular/operator-{i}"))))
        .collect();
    for &operator in &operators {
        admin
            .send(manager, zero, &Setup::registerOperatorCall { operator })
            .await?;
    }
    let (allocator, _) = create(
        admin,
        &artifacts.allocator,
        &(lst, manager, me).abi_encode_params(),
    )
    .await?;
    let (min_deposit, deposit_cap, min_redeem) = limits;
    let (lrt, _) = create(
        admin,
        &artifacts.modular_lrt,
        &(
            vault,
            lst,
            allocator,
            me,
            min_deposit,
            deposit_cap,
            min_redeem,
        )
            .abi_encode_params(),
    )
    .await?;
    admin
        .send(allocator, zero, &Setup::setLrtCall { lrt })
        .await?;
    admin
        .send(
            allocator,
            zero,
            &Setup::setTargetsCall {
                operators,
                weightsBps: weights_bps.to_vec(),
            },
        )
        .await?;
    let shares = admin.view(lrt, &Setup::shareCall {}).await?;
    Ok(Modular {
        vault,
        lst,
        lrt,
        shares,
        allocator,
        manager,
    })
}
