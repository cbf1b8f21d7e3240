//! A network's deployment parameters, read from `deploy/networks/<name>.toml`.
//!
//! Amounts are decimal ETH (or LST) strings (`"0.01"`), delays are seconds, fees basis points.
//! Every role holder is optional and defaults to the deployer.

use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256, U256};
use serde::Deserialize;

use crate::error::DeployError;

/// One network's file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// Its name (the file's stem).
    pub name: String,
    /// The chain id the RPC endpoint must report.
    pub chain_id: u64,
    /// The default RPC endpoint (`--rpc-url` overrides it).
    pub rpc_url: String,
    /// The LRT's CREATE2 salt through the `StylusDeployer` (its address is needed by the
    /// allocator's constructor before it exists).
    pub lrt_salt: B256,
    /// Role holders and recipients.
    #[serde(default)]
    pub roles: Roles,
    /// The token names the contracts must report.
    pub tokens: Tokens,
    /// Staking vault parameters.
    pub vault: VaultParams,
    /// Allocation manager parameters.
    pub allocation_manager: AllocationParams,
    /// Restaking manager parameters.
    pub restaking_manager: ManagerParams,
    /// LRT parameters.
    pub lrt: LrtParams,
}

/// Who holds each role; `None` is the deployer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// `DEFAULT_ADMIN_ROLE` on every contract (the AVS registries included).
    pub admin: Option<Address>,
    /// `PAUSER_ROLE` on every contract that pauses.
    pub pauser: Option<Address>,
    /// The vault's `ORACLE_ROLE`.
    pub oracle: Option<Address>,
    /// `ALLOCATOR_ROLE` on the vault, the LRT allocator and the LRT.
    pub keeper: Option<Address>,
    /// `SLASHER_ROLE` on both registries.
    pub slasher: Option<Address>,
    /// Protocol fee recipient of the vault and the manager.
    pub treasury: Option<Address>,
    /// Receives slashed LST.
    pub slash_recipient: Option<Address>,
    /// The vault's validator operator.
    pub validator_operator: Option<Address>,
}

/// Role holders with the deployer filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedRoles {
    /// See [`Roles::admin`].
    pub admin: Address,
    /// See [`Roles::pauser`].
    pub pauser: Address,
    /// See [`Roles::oracle`].
    pub oracle: Address,
    /// See [`Roles::keeper`].
    pub keeper: Address,
    /// See [`Roles::slasher`].
    pub slasher: Address,
    /// See [`Roles::treasury`].
    pub treasury: Address,
    /// See [`Roles::slash_recipient`].
    pub slash_recipient: Address,
    /// See [`Roles::validator_operator`].
    pub validator_operator: Address,
}

impl Roles {
    /// Every holder, the deployer where none is configured.
    #[must_use]
    pub fn resolve(&self, deployer: Address) -> ResolvedRoles {
        let or = |holder: Option<Address>| holder.unwrap_or(deployer);
        ResolvedRoles {
            admin: or(self.admin),
            pauser: or(self.pauser),
            oracle: or(self.oracle),
            keeper: or(self.keeper),
            slasher: or(self.slasher),
            treasury: or(self.treasury),
            slash_recipient: or(self.slash_recipient),
            validator_operator: or(self.validator_operator),
        }
    }
}

/// Names and symbols fixed in the token contracts, checked after deployment.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tokens {
    /// The LST's name.
    pub lst_name: String,
    /// The LST's symbol.
    pub lst_symbol: String,
    /// The LRT share token's name.
    pub lrt_name: String,
    /// The LRT share token's symbol.
    pub lrt_symbol: String,
}

/// `docs/staking-vault.md`, parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultParams {
    /// Smallest deposit (ETH).
    pub min_deposit: Ether,
    /// Cap on total pooled ether (ETH).
    pub deposit_cap: Ether,
    /// Smallest withdrawal request (ETH).
    pub min_withdrawal: Ether,
    /// Largest withdrawal request (ETH).
    pub max_withdrawal: Ether,
    /// Protocol fee on gains.
    pub fee_bps: u16,
    /// Largest yearly gain a report may show.
    pub max_apr_bps: u16,
    /// Largest loss per report.
    pub max_loss_bps: u16,
    /// Seconds between reports.
    pub min_report_interval: u64,
}

/// `docs/allocation-manager.md`, parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationParams {
    /// Cap on operator fees.
    pub operator_fee_cap_bps: u16,
    /// Delay of allocation decreases and fee increases (seconds).
    pub delay: u64,
}

/// `docs/restaking-manager.md`, parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagerParams {
    /// Protocol fee on rewards.
    pub protocol_fee_bps: u16,
    /// Most one registry may slash of an operator's allocated stake per withdrawal delay.
    pub max_slash_bps: u16,
    /// Undelegation delay (seconds).
    pub withdrawal_delay: u64,
}

/// `docs/lrt.md`, parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LrtParams {
    /// Smallest deposit (LST).
    pub min_deposit: Ether,
    /// Cap on total assets (LST).
    pub deposit_cap: Ether,
    /// Smallest redemption request (LST).
    pub min_redeem: Ether,
}

/// A decimal amount with at most 18 decimals, written as a string (`"0.01"`), parsed exactly
/// ([`crate::amount::parse_eth`]: more decimals are refused, not truncated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ether(pub U256);

impl<'de> Deserialize<'de> for Ether {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::amount::parse_eth(&text)
            .map(Ether)
            .map_err(|e| serde::de::Error::custom(format!("{text:?} is not an ETH amount: {e}")))
    }
}

impl Network {
    /// Reads `dir/<name>.toml`.
    ///
    /// # Errors
    /// [`DeployError::Config`] when the file is missing or malformed, or its `name` is not
    /// `name`.
    pub fn load(dir: &Path, name: &str) -> Result<Self, DeployError> {
        let path = dir.join(format!("{name}.toml"));
        let text = std::fs::read_to_string(&path).map_err(|e| DeployError::Config {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let network: Self = toml::from_str(&text).map_err(|e| DeployError::Config {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if network.name != name {
            return Err(DeployError::Config {
                path,
                reason: format!("its name is {:?}, not {name:?}", network.name),
            });
        }
        Ok(network)
    }

    /// The directory of the committed network files (`deploy/networks`).
    #[must_use]
    pub fn default_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("networks")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `local` network file with `min_deposit` set to `amount`, loaded from a scratch dir.
    fn local_with_min_deposit(amount: &str, scratch: &str) -> Result<Network, DeployError> {
        let original = std::fs::read_to_string(Network::default_dir().join("local.toml"))
            .expect("deploy/networks/local.toml");
        let edited = original.replacen(
            "min_deposit = \"0.01\"",
            &format!("min_deposit = \"{amount}\""),
            1,
        );
        assert_ne!(
            edited, original,
            "local.toml sets the vault's min_deposit to 0.01"
        );
        let dir = std::env::temp_dir().join(format!("lsr-config-{}-{scratch}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        std::fs::write(dir.join("local.toml"), edited).expect("a scratch network file");
        let loaded = Network::load(&dir, "local");
        let _ = std::fs::remove_dir_all(&dir);
        loaded
    }

    #[test]
    fn amounts_in_a_network_file_are_exact_and_more_decimals_are_refused() {
        let network = local_with_min_deposit("0.000000000000000001", "exact").unwrap();
        assert_eq!(network.vault.min_deposit, Ether(U256::from(1)));
        let error = local_with_min_deposit("0.0000000000000000001", "precise").unwrap_err();
        assert!(error.to_string().contains("19 decimals"), "{error}");
    }
}
