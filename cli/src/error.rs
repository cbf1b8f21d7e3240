//! Why a command stopped, as one sentence saying what happened and what to do: every custom
//! error of the contracts the wallet calls (staking vault, LST, LRT, its share token, the LRT
//! allocator behind it) decoded with `lsr-deploy`'s [`Revert`] and put in words for the command
//! that hit it; RPC failures, keys and the addresses file explained likewise.

use std::path::PathBuf;

use alloy::{primitives::B256, sol_types::SolInterface};
use lsr_deploy::{
    abi::{
        allocator::ILrtAllocator::ILrtAllocatorErrors as A, lrt::ILrt::ILrtErrors as L,
        lrt_token::ILrtToken::ILrtTokenErrors as T, lst::ILstToken::ILstTokenErrors as S,
        vault::IStakingVault::IStakingVaultErrors as V,
    },
    deploy::{role, DEFAULT_ADMIN_ROLE},
    error::Revert,
    DeployError,
};

use crate::amount::{format_units as u, AmountError};

/// Environment variable holding the keystore's password.
pub const PASSWORD_VAR: &str = "LRT_KEYSTORE_PASSWORD";

/// Why a command stopped.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// An amount on the command line was refused.
    #[error(transparent)]
    Amount(#[from] AmountError),
    /// A command that sends a transaction has no key.
    #[error("{0}: set PRIVATE_KEY, or pass --keystore FILE (password from {PASSWORD_VAR} or the prompt); `lrt status ADDRESS` and `lrt rate` need no key")]
    Key(String),
    /// No addresses file where one was expected.
    #[error("no addresses file at {} for chain {chain_id}: deploy the suite first (`deploy --network local`, see docs/deploy.md) or pass --addresses FILE", file.display())]
    NoAddresses {
        /// Where it was looked for.
        file: PathBuf,
        /// The node's chain.
        chain_id: u64,
    },
    /// The addresses file is unreadable, incomplete or stale.
    #[error("{}: {reason}", file.display())]
    Addresses {
        /// The file.
        file: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The node could not be reached or refused the request.
    #[error("{what} failed at {url}: {reason}. {hint}")]
    Rpc {
        /// The endpoint.
        url: String,
        /// The request.
        what: String,
        /// The transport's or node's message.
        reason: String,
        /// What to do.
        hint: &'static str,
    },
    /// A contract (or the wallet, checking first) refused: one sentence with what to do.
    #[error("{0}")]
    Refused(String),
    /// A transaction was mined but failed.
    #[error("transaction {hash} was mined but failed (gas used {gas_used}): nothing changed; check `lrt status` and try again with more gas")]
    Failed {
        /// Its hash.
        hash: String,
        /// Gas it used.
        gas_used: u64,
    },
    /// Anything else the deploy library reported (already a sentence).
    #[error("{0}")]
    Other(String),
}

/// The command a revert happened in: it names the contract and the token a shared error (a
/// pause, a balance) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `stake`: the vault's `deposit`.
    Stake,
    /// `deposit`: the LRT's `deposit` or `depositWithPermit` (which calls the LST's `permit`).
    Deposit,
    /// `zap`: the LRT's `depositEth` (which calls the vault).
    Zap,
    /// `redeem`: the LRT's `requestRedeem`.
    Redeem,
    /// `claim`: the LRT's `redeem`.
    Claim,
    /// `withdraw-lst`: the vault's `requestWithdrawal`.
    WithdrawLst,
    /// `claim-eth`: the vault's `claim`.
    ClaimEth,
    /// A view (`status`, `rate`).
    Read,
}

impl Action {
    /// The contract whose pause stops this action.
    fn contract(self) -> &'static str {
        match self {
            Self::Stake | Self::WithdrawLst | Self::ClaimEth => "the staking vault",
            Self::Zap => "the LRT (or the staking vault behind it)",
            Self::Deposit | Self::Redeem | Self::Claim => "the LRT",
            Self::Read => "the contract",
        }
    }

    /// The token whose balance or allowance this action spends.
    fn token(self) -> &'static str {
        match self {
            Self::Deposit | Self::WithdrawLst | Self::Claim => "LST",
            Self::Redeem => "LRT",
            Self::Stake | Self::Zap | Self::ClaimEth | Self::Read => "tokens",
        }
    }
}

impl CliError {
    /// `error` from the deploy library, in the words of `action` against the node at `url`.
    #[must_use]
    pub fn from_deploy(error: DeployError, action: Action, url: &str) -> Self {
        match error {
            DeployError::Reverted { data, reason, .. } => {
                Self::Refused(Revert::decode(&data).map_or(reason, |r| sentence(&r, action)))
            }
            DeployError::Rpc { what, reason } => {
                let hint = rpc_hint(&reason);
                Self::Rpc {
                    url: url.to_owned(),
                    what,
                    reason,
                    hint,
                }
            }
            DeployError::Key(reason) => Self::Key(reason),
            DeployError::AddressesFile { file, reason } => Self::Addresses { file, reason },
            DeployError::Failed { hash, gas_used, .. } => Self::Failed { hash, gas_used },
            other => Self::Other(other.to_string()),
        }
    }
}

fn rpc_hint(reason: &str) -> &'static str {
    let reason = reason.to_lowercase();
    if reason.contains("insufficient funds") {
        "The account cannot pay the amount plus gas: fund it with ETH or send less."
    } else if reason.contains("nonce") {
        "Another transaction from this account got in first: run the command again."
    } else if reason.contains("connect")
        || reason.contains("sending request")
        || reason.contains("refused")
    {
        "Check that the node is running (scripts/devnode.sh starts the local one) and that --rpc-url points at it."
    } else {
        "Check --rpc-url and the node's log, then try again."
    }
}

/// The role `id` by name when it is one of the suite's.
fn role_name(id: B256) -> String {
    if id == DEFAULT_ADMIN_ROLE {
        return "DEFAULT_ADMIN_ROLE".to_owned();
    }
    [
        "PAUSER_ROLE",
        "ORACLE_ROLE",
        "ALLOCATOR_ROLE",
        "SLASHER_ROLE",
    ]
    .into_iter()
    .find(|name| role(name) == id)
    .map_or_else(|| format!("role {id}"), str::to_owned)
}

/// `revert` as one sentence for a user running `action`: what happened, a colon, what to do.
#[must_use]
pub fn sentence(revert: &Revert, action: Action) -> String {
    match revert {
        Revert::Vault(e) => vault(e, action),
        Revert::Lst(e) => token(e, action),
        Revert::Lrt(e) => lrt(e, action),
        Revert::LrtToken(e) => lrt_token(e, action),
        Revert::Allocator(e) => allocator(e, action),
        other => format!(
            "{other}: a contract the wallet does not call directly refused; see its error table in docs/"
        ),
    }
}

#[allow(clippy::too_many_lines)] // one arm per error of the vault's ABI
fn vault(error: &V, action: Action) -> String {
    match error {
        V::VaultZeroAddress(_) => {
            "the staking vault refused the zero address: pass a real address".to_owned()
        }
        V::VaultZeroAmount(_) => "the amount is zero: give a positive amount".to_owned(),
        V::VaultZeroShares(_) => {
            "the stake is too small to mint any LST at the current rate: stake more".to_owned()
        }
        V::VaultDepositTooSmall(e) => format!(
            "a stake of {} ETH is below the vault's minimum of {} ETH: stake at least {} ETH",
            u(e.assets),
            u(e.minimum),
            u(e.minimum)
        ),
        V::VaultDepositCapExceeded(e) => format!(
            "the vault's deposit cap leaves room for {} ETH, not {} ETH: stake at most {} ETH, or wait for the admin to raise the cap",
            u(e.room),
            u(e.assets),
            u(e.room)
        ),
        V::VaultInsufficientBuffer(e) => format!(
            "the vault's buffer holds {} ETH, {} ETH is needed: wait until validator exits return ETH to the vault",
            u(e.buffered),
            u(e.needed)
        ),
        V::VaultNotValidatorOperator(e) => format!(
            "{} is not the vault's validator operator: only the operator returns exited ETH",
            e.caller
        ),
        V::VaultExitExceedsValidatorBalance(e) => format!(
            "returning {} ETH exceeds the {} ETH at the validators: have the oracle report the gain first",
            u(e.amount),
            u(e.validatorBalance)
        ),
        V::VaultReportNotIncreasing(e) => format!(
            "the report's timestamp {} is not after the last report's ({}): report a later time",
            e.timestamp, e.lastReport
        ),
        V::VaultReportInFuture(e) => format!(
            "the report's timestamp {} is after the block's ({}): report a time that has passed",
            e.timestamp, e.now
        ),
        V::VaultReportTooSoon(e) => format!(
            "only {} s passed since the last report, the vault needs {} s: report again later",
            e.elapsed, e.minInterval
        ),
        V::VaultGainTooLarge(e) => format!(
            "the reported gain of {} ETH exceeds the APR bound of {} ETH: report a smaller gain, or spread it over several reports",
            u(e.gain),
            u(e.maxGain)
        ),
        V::VaultLossTooLarge(e) => format!(
            "the reported loss of {} ETH exceeds the per-report bound of {} ETH: the admin must raise the loss bound first",
            u(e.loss),
            u(e.maxLoss)
        ),
        V::VaultWithdrawalOutOfBounds(e) => format!(
            "the withdrawal is worth {} ETH, the vault takes requests from {} to {} ETH: withdraw an amount within those bounds (split a large one)",
            u(e.value),
            u(e.minimum),
            u(e.maximum)
        ),
        V::VaultRequestNotFound(e) => format!(
            "there is no withdrawal request {}: check the id with `lrt status`",
            e.id
        ),
        V::VaultNothingToFinalize(e) => format!(
            "withdrawal requests up to {} are already finalized (the next to finalize is {}): nothing to do",
            e.upToId, e.nextToFinalize
        ),
        V::VaultRequestTooRecent(e) => format!(
            "withdrawal request {} was made at or after the last oracle report's time: wait for the next report, then finalize",
            e.id
        ),
        V::VaultRequestNotFinalized(e) => format!(
            "withdrawal request {} is not finalized yet: try again after the oracle finalizes it",
            e.id
        ),
        V::VaultRequestAlreadyClaimed(e) => format!(
            "withdrawal request {} has already been claimed: there is nothing left to claim",
            e.id
        ),
        V::VaultNotRequestOwner(e) => format!(
            "withdrawal request {} does not belong to {}: claim it with its owner's key",
            e.id, e.caller
        ),
        V::VaultEthTransferFailed(e) => format!(
            "sending {} ETH to {} failed: the receiver rejects ETH; claim from an account that accepts it",
            u(e.amount),
            e.to
        ),
        V::VaultParameterAboveBound(e) => format!(
            "the value {} is above its hard bound {}: see the parameter table in docs/staking-vault.md",
            e.value, e.bound
        ),
        V::VaultParameterBelowBound(e) => format!(
            "the value {} is below its hard lower bound {}: see the parameter table in docs/staking-vault.md",
            e.value, e.bound
        ),
        V::VaultInvalidLimits(e) => format!(
            "the limits {} to {} are invalid (zero minimum, minimum above maximum, or too large): choose valid limits",
            u(e.minimum),
            u(e.maximum)
        ),
        V::VaultTokenNotSet(_) => {
            "the vault has no LST yet: the deployment is incomplete; re-run the deploy tool".to_owned()
        }
        V::VaultTokenAlreadySet(e) => {
            format!("the vault already created its LST, {}: nothing to create", e.token)
        }
        V::VaultTokenCreationFailed(_) => {
            "the vault could not create its LST: pass the lst-token program's code with enough gas"
                .to_owned()
        }
        V::VaultExtensionHasNoCode(e) => format!(
            "{} has no code: deploy the staking-vault-extension program first and pass its address",
            e.extension
        ),
        V::VaultInvalidReceiver(e) => format!(
            "{} cannot receive LST (zero, the vault or the token): stake for your own address",
            e.receiver
        ),
        V::AccessControlUnauthorizedAccount(e) => format!(
            "{} does not hold {} on {}: use the key of the account that holds it, or ask the admin to grant it",
            e.account,
            role_name(e.neededRole),
            action.contract()
        ),
        V::AccessControlBadConfirmation(_) => {
            "renouncing a role needs the caller's own address as confirmation: pass your own address".to_owned()
        }
        V::EnforcedPause(_) => format!(
            "{} is paused: wait for the admin to unpause it (claims still work while paused)",
            action.contract()
        ),
        V::ExpectedPause(_) => format!("{} is not paused: there is nothing to unpause", action.contract()),
        V::MathOverflow(_) => {
            "the amount overflows the contract's arithmetic: use a smaller amount".to_owned()
        }
    }
}

/// The ERC-20 / EIP-2612 errors (decoded with the LST's ABI; the LRT's share token has the same
/// ones), named after the token `action` spends.
fn token(error: &S, action: Action) -> String {
    let token = action.token();
    match error {
        S::LstNotVault(e) => format!(
            "{} is not the LST's vault: only the staking vault mints, burns and locks LST",
            e.caller
        ),
        S::ERC20InsufficientBalance(e) => format!(
            "{} holds {} {token}, the command needs {} {token}: use at most {} (see `lrt status`)",
            e.sender,
            u(e.balance),
            u(e.needed),
            u(e.balance)
        ),
        S::ERC20InvalidSender(e) => format!("{} cannot send {token}: use another account", e.sender),
        S::ERC20InvalidReceiver(e) => format!(
            "{} cannot receive {token} (the zero address or the token itself): send to your own address",
            e.receiver
        ),
        S::ERC20InsufficientAllowance(e) => format!(
            "{} may spend only {} of your {token}, {} is needed: approve it first (`lrt deposit` signs a permit for what is missing)",
            e.spender,
            u(e.allowance),
            u(e.needed)
        ),
        S::ERC20InvalidApprover(e) => format!("{} cannot approve {token}: use another account", e.approver),
        S::ERC20InvalidSpender(e) => format!(
            "{} cannot be approved to spend {token}: approve the LRT's address",
            e.spender
        ),
        S::ERC2612ExpiredSignature(e) => format!(
            "the permit expired at {}: sign a new one with a later deadline",
            e.deadline
        ),
        S::ERC2612InvalidSigner(e) => format!(
            "the permit was signed by {}, not the owner {}: sign it with the owner's key",
            e.signer, e.owner
        ),
    }
}

#[allow(clippy::too_many_lines)] // one arm per error of the LRT's ABI
fn lrt(error: &L, action: Action) -> String {
    match error {
        L::LrtZeroAddress(_) => "the LRT refused the zero address: pass a real address".to_owned(),
        L::LrtTokenNotSet(e) => format!(
            "the staking vault {} has no LST: the deployment is incomplete; re-run the deploy tool",
            e.vault
        ),
        L::LrtShareNotSet(_) => {
            "the LRT has no share token yet: the deployment is incomplete; re-run the deploy tool"
                .to_owned()
        }
        L::LrtShareAlreadySet(e) => {
            format!("the LRT already created its share token, {}: nothing to create", e.share)
        }
        L::LrtShareCreationFailed(_) => {
            "the LRT could not create its share token: pass the lrt-token program's code with enough gas"
                .to_owned()
        }
        L::LrtZeroAmount(_) => "the amount is zero: give a positive amount".to_owned(),
        L::LrtZeroShares(_) => {
            "the deposit is too small to mint any LRT at the current rate: deposit more".to_owned()
        }
        L::LrtDepositTooSmall(e) => format!(
            "a deposit worth {} LST is below the LRT's minimum of {} LST: deposit at least that",
            u(e.assets),
            u(e.minimum)
        ),
        L::LrtExceededMaxDeposit(e) => format!(
            "the LRT takes at most {} LST more, not {} LST: deposit less, or wait for the admin to raise the cap",
            u(e.max),
            u(e.assets)
        ),
        L::LrtRedeemTooSmall(e) => format!(
            "the redemption is worth {} LST, below the LRT's minimum of {} LST: redeem more",
            u(e.assets),
            u(e.minimum)
        ),
        L::LrtNotControllerOrOperator(e) => format!(
            "{} is neither controller {} nor its operator: claim with the controller's key",
            e.caller, e.controller
        ),
        L::LrtExceededMaxRedeem(e) => format!(
            "{} has {} LRT of fulfilled redemptions to claim, not {}: claim at most that, or wait for the keeper to fulfil the rest",
            e.controller,
            u(e.max),
            u(e.shares)
        ),
        L::LrtExceededMaxWithdraw(e) => format!(
            "{} has {} LST of fulfilled redemptions to claim, not {}: claim at most that",
            e.controller,
            u(e.max),
            u(e.assets)
        ),
        L::LrtInvalidReceiver(e) => format!(
            "{} cannot receive from the LRT (zero or the LRT itself): use your own address",
            e.receiver
        ),
        L::LrtRequestNotFound(e) => format!(
            "there is no redemption request {}: check the id with `lrt status`",
            e.requestId
        ),
        L::LrtNothingToFulfill(e) => format!(
            "redemptions up to {} are already fulfilled (the next is {}): nothing to do",
            e.upToId, e.nextToFulfill
        ),
        L::LrtAsyncRedeem(_) => {
            "LRT redemptions are asynchronous, so there is no preview: request with `lrt redeem`, then claim".to_owned()
        }
        L::LrtSelfOperator(e) => format!("{} cannot be its own operator: name another account", e.account),
        L::LrtParameterOutOfBounds(e) => format!(
            "the value {} is outside its bounds {} to {}: see the parameter table in docs/lrt.md",
            e.value, e.minimum, e.maximum
        ),
        // Access, pause and math errors share the vault's selectors and decode as the vault's.
        other => same_as_vault(other, action),
    }
}

fn lrt_token(error: &T, action: Action) -> String {
    match error {
        T::LrtTokenNotVault(e) => format!(
            "{} is not the LRT: only the LRT mints, burns and locks LRT",
            e.caller
        ),
        // The ERC-20 errors have the LST's selectors and decode as the LST's: the same words.
        other => same_as_token(other, action),
    }
}

/// An error whose selector the LST's ABI shares, in the LST's words.
fn same_as_token<E: SolInterface + std::fmt::Debug>(error: &E, action: Action) -> String {
    S::abi_decode(&error.abi_encode()).map_or_else(
        |_| format!("{error:?}: see the error tables in docs/"),
        |e| token(&e, action),
    )
}

/// An error whose selector the vault's ABI shares (access, pause, math), in the vault's words.
fn same_as_vault<E: SolInterface + std::fmt::Debug>(error: &E, action: Action) -> String {
    V::abi_decode(&error.abi_encode()).map_or_else(
        |_| format!("{error:?}: see the error tables in docs/"),
        |e| vault(&e, action),
    )
}

/// The LRT allocator's errors: the LRT passes them on (a fulfilment or claim it cannot pay,
/// its totals); most are the keeper's.
#[allow(clippy::too_many_lines)] // one arm per error of the allocator's ABI
fn allocator(error: &A, action: Action) -> String {
    match error {
        A::AllocatorZeroAddress(_) => {
            "the LRT allocator refused the zero address: pass a real address".to_owned()
        }
        A::AllocatorTokenNotSet(e) => format!(
            "the staking vault {} has no LST: the deployment is incomplete; re-run the deploy tool",
            e.manager
        ),
        A::AllocatorNotLrt(e) => format!(
            "{} is not the LRT: only the LRT credits and releases the allocator's LST",
            e.caller
        ),
        A::AllocatorZeroAmount(_) => "the amount is zero: give a positive amount".to_owned(),
        A::AllocatorInsufficientIdle(e) => format!(
            "the LRT's allocator holds {} idle LST, {} LST is needed: wait for the keeper to undelegate, then try again",
            u(e.idle),
            u(e.needed)
        ),
        A::AllocatorLengthMismatch(e) => format!(
            "{} operators but {} weights: give one weight per operator",
            e.operators, e.weights
        ),
        A::AllocatorTooManyTargets(e) => format!(
            "{} targets, the allocator takes at most {}: name fewer operators",
            e.count, e.maximum
        ),
        A::AllocatorDuplicateOperator(e) => {
            format!("operator {} is named twice: name each operator once", e.operator)
        }
        A::AllocatorZeroWeight(e) => format!(
            "operator {} has a zero weight: drop it or give it a weight",
            e.operator
        ),
        A::AllocatorInvalidWeightSum(e) => format!(
            "the weights and buffer add up to {} basis points, not 10,000: make them add up",
            e.sum
        ),
        A::AllocatorUnknownOperator(e) => format!(
            "{} is not a registered operator: register it in the allocation manager first",
            e.operator
        ),
        A::AllocatorNoTargets(_) => {
            "the allocator has no targets: the keeper must set them first".to_owned()
        }
        A::AllocatorTooManyPositions(e) => format!(
            "{} positions, the allocator keeps at most {}: undelegate from an operator first",
            e.count, e.maximum
        ),
        A::AllocatorBufferBreached(e) => format!(
            "that would leave {} idle LST, below the buffer of {}: delegate less",
            u(e.idleAfter),
            u(e.buffer)
        ),
        A::AllocatorNoPosition(e) => format!(
            "the allocator has no stake with operator {}: nothing to undelegate",
            e.operator
        ),
        A::AllocatorInsufficientShares(e) => format!(
            "the allocator holds {} shares with the operator, {} are needed: undelegate less",
            e.held, e.shares
        ),
        A::AllocatorTooManyPending(e) => format!(
            "{} undelegations are pending, the most the allocator keeps: complete one first",
            e.maximum
        ),
        A::AllocatorUnknownWithdrawal(e) => format!(
            "there is no pending undelegation {}: check the id",
            e.id
        ),
        other => same_as_vault(other, action),
    }
}

#[cfg(test)]
mod tests {
    use alloy::{
        primitives::{Address, Bytes, U256},
        sol_types::SolError,
    };
    use lsr_deploy::abi::{lrt::ILrt, lst::ILstToken, vault::IStakingVault};

    use super::*;

    fn ether(n: u64) -> U256 {
        U256::from(n) * U256::from(10).pow(U256::from(18))
    }

    /// The sentence the wallet prints for `error` reverting in `action`, through the raw data
    /// path a node's answer takes.
    fn said<E: SolError>(error: &E, action: Action) -> String {
        let data = Bytes::from(error.abi_encode());
        let refused = CliError::from_deploy(
            DeployError::Reverted {
                step: "test".to_owned(),
                reason: "raw".to_owned(),
                data,
            },
            action,
            "http://127.0.0.1:8547",
        );
        match refused {
            CliError::Refused(sentence) => sentence,
            other => panic!("not a refusal: {other}"),
        }
    }

    #[test]
    fn a_pause_names_the_contract_of_the_command() {
        let pause = IStakingVault::EnforcedPause {};
        assert_eq!(
            said(&pause, Action::Stake),
            "the staking vault is paused: wait for the admin to unpause it (claims still work while paused)"
        );
        assert!(said(&pause, Action::Redeem).starts_with("the LRT is paused: "));
    }

    #[test]
    fn a_claim_before_finalization_says_to_wait_for_the_oracle() {
        let error = IStakingVault::VaultRequestNotFinalized { id: U256::from(3) };
        assert_eq!(
            said(&error, Action::ClaimEth),
            "withdrawal request 3 is not finalized yet: try again after the oracle finalizes it"
        );
    }

    #[test]
    fn a_short_balance_names_the_token_and_the_amounts() {
        let error = ILstToken::ERC20InsufficientBalance {
            sender: Address::repeat_byte(1),
            balance: ether(1),
            needed: ether(2),
        };
        let sentence = said(&error, Action::Redeem);
        assert!(
            sentence.contains("holds 1 LRT, the command needs 2 LRT"),
            "{sentence}"
        );
        assert!(said(&error, Action::Deposit).contains("holds 1 LST"));
    }

    #[test]
    fn limits_are_written_in_eth_units() {
        let error = IStakingVault::VaultDepositTooSmall {
            assets: ether(1) / U256::from(1_000),
            minimum: ether(1) / U256::from(100),
        };
        assert_eq!(
            said(&error, Action::Stake),
            "a stake of 0.001 ETH is below the vault's minimum of 0.01 ETH: stake at least 0.01 ETH"
        );
        let error = ILrt::LrtRedeemTooSmall {
            assets: U256::from(5),
            minimum: ether(1) / U256::from(1_000),
        };
        assert!(said(&error, Action::Redeem).contains("worth 0.000000000000000005 LST"));
    }

    #[test]
    fn a_missing_role_is_named() {
        let error = IStakingVault::AccessControlUnauthorizedAccount {
            account: Address::repeat_byte(2),
            neededRole: role("ORACLE_ROLE"),
        };
        assert!(said(&error, Action::Read).contains("does not hold ORACLE_ROLE"));
    }

    #[test]
    fn every_sentence_says_what_happened_and_what_to_do() {
        let errors: Vec<Bytes> = vec![
            IStakingVault::VaultZeroAmount {}.abi_encode().into(),
            IStakingVault::VaultRequestAlreadyClaimed { id: U256::from(1) }
                .abi_encode()
                .into(),
            ILrt::LrtExceededMaxRedeem {
                controller: Address::ZERO,
                shares: ether(2),
                max: ether(1),
            }
            .abi_encode()
            .into(),
            ILrt::LrtRequestNotFound {
                requestId: U256::from(9),
            }
            .abi_encode()
            .into(),
            ILrt::MathOverflow {}.abi_encode().into(),
            ILstToken::ERC20InsufficientAllowance {
                spender: Address::ZERO,
                allowance: U256::ZERO,
                needed: ether(1),
            }
            .abi_encode()
            .into(),
        ];
        for data in errors {
            let revert = Revert::decode(&data).expect("a suite error decodes");
            let sentence = sentence(&revert, Action::Claim);
            assert!(sentence.contains(": "), "{sentence}");
            assert!(!sentence.contains("_0"), "{sentence}");
        }
    }

    #[test]
    fn an_unreachable_node_says_to_start_it() {
        let error = CliError::from_deploy(
            DeployError::Rpc {
                what: "eth_chainId".to_owned(),
                reason: "error sending request for url (http://127.0.0.1:1/)".to_owned(),
            },
            Action::Read,
            "http://127.0.0.1:1",
        );
        assert!(error.to_string().contains("scripts/devnode.sh"), "{error}");
    }
}
