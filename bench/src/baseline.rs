//! The Solidity baseline: the artifacts `tools/solidity/compile.mjs` writes for
//! `bench/solidity/*.sol`, deployed and wired over JSON-RPC.

use std::path::Path;

use alloy::{
    primitives::{Address, Bytes, U256},
    sol_types::SolValue,
};
use lsr_deploy::{abi::Vault, Chain};
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

/// The deployed baseline.
#[derive(Debug, Clone, Copy)]
pub struct Baseline {
    /// `BaselineStakingVault`.
    pub vault: Address,
    /// `BaselineLst`.
    pub lst: Address,
    /// `BaselineLrt` (vault and share token in one contract).
    pub lrt: Address,
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

/// The three baseline artifacts in `dir`.
///
/// # Errors
/// As [`Artifact::load`].
pub fn artifacts(dir: &Path) -> Result<[Artifact; 3], BenchError> {
    Ok([
        Artifact::load(dir, "BaselineStakingVault")?,
        Artifact::load(dir, "BaselineLst")?,
        Artifact::load(dir, "BaselineLrt")?,
    ])
}

/// Deploys and wires the baseline from `admin` (who holds every role), with the vault's
/// minimum report interval `min_report_interval` (the local network file's).
///
/// # Errors
/// The first failing step.
pub async fn deploy(
    admin: &Chain,
    artifacts: &[Artifact; 3],
    min_report_interval: u64,
) -> Result<Baseline, BenchError> {
    let [vault_code, token_code, restaking_code] = artifacts;
    let me = admin.from();
    let (vault, _) = create(
        admin,
        vault_code,
        &(me, min_report_interval).abi_encode_params(),
    )
    .await?;
    let (lst, _) = create(admin, token_code, &vault.abi_encode()).await?;
    admin
        .send(vault, U256::ZERO, &Vault::setTokenCall { token: lst })
        .await?;
    let (lrt, _) = create(admin, restaking_code, &(vault, lst, me).abi_encode_params()).await?;
    Ok(Baseline { vault, lst, lrt })
}
