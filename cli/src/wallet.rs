//! The commands against a deployed suite: a [`Wallet`] is a connection to the node, the suite's
//! addresses (from the deploy tool's addresses file) and, for transactions, a key.
//!
//! Queues are read through the contracts' views only (any node serves them; no log index is
//! needed): `queueState()` gives the next id, and the last `scan` ids (default 256) are read
//! with `redeemRequest(id)` / `withdrawalRequest(id)` (the vault's ids start at 0, the LRT's at
//! 1). Pending requests are never older than
//! the next id to fulfil / finalize, so a window that reaches back to it sees them all;
//! claimable vault withdrawals older than the window are not listed (claim them by id, or pass
//! a larger `--scan`). LRT claims pool per controller, so the claimable LRT is read whole
//! (`claimableRedeemRequest(0, account)`, `maxWithdraw`) whatever the window.

use std::{future::Future, ops::Range, path::PathBuf, sync::Arc};

use alloy::{
    primitives::{Address, U256},
    sol_types::SolCall,
};
use lsr_deploy::{
    abi::{Erc20, Lrt, Pausable, Vault},
    addresses::AddressBook,
    chain::{with_permit, Sent},
    flows::transact,
    key::{load_signer_with, PRIVATE_KEY_VAR},
    Chain, Contracts, DeployError,
};

use crate::{
    amount::Wei,
    error::{Action, CliError, PASSWORD_VAR},
    report::{Rates, Redemptions, Report, Request, Status, Tx, Withdrawals},
};

/// The local node's default endpoint.
pub const DEFAULT_RPC_URL: &str = "http://127.0.0.1:8547";
/// Request ids read back from the newest by default.
pub const DEFAULT_SCAN: u64 = 256;
/// How long a permit `deposit` signs stays valid, in seconds.
pub const PERMIT_SECONDS: u64 = 3_600;
/// Where the deploy tool writes the addresses files (relative to the repository root).
pub const DEFAULT_ADDRESSES_DIR: &str = "deploy/addresses";

/// Where to connect and with what.
#[derive(Debug, Clone)]
pub struct Options {
    /// The node.
    pub rpc_url: String,
    /// The addresses file (default: `deploy/addresses/<chain-id>.json`).
    pub addresses: Option<PathBuf>,
    /// An encrypted JSON keystore (else `PRIVATE_KEY`).
    pub keystore: Option<PathBuf>,
    /// How many of the newest request ids each queue scan reads.
    pub scan: u64,
}

/// A connection to the suite, signing for one account or read-only.
pub struct Wallet {
    chain: Chain,
    contracts: Contracts,
    account: Option<Address>,
    url: String,
    scan: u64,
}

/// `1e18`.
fn one() -> U256 {
    U256::from(10).pow(U256::from(18))
}

/// An id as a number (ids count requests: they fit).
fn id_u64(id: U256) -> u64 {
    u64::try_from(id).unwrap_or(u64::MAX)
}

fn tx(what: &str, sent: &Sent) -> Tx {
    eprintln!(
        "{what}: mined, gas {}, fee {} ETH",
        sent.gas_used,
        Wei(sent.gas_fee)
    );
    Tx {
        what: what.to_owned(),
        hash: sent.hash,
        gas_used: sent.gas_used,
        fee_wei: Wei(sent.gas_fee),
    }
}

/// One request of the vault's queue.
struct Withdrawal {
    id: u64,
    owner: Address,
    shares: U256,
    amount: U256,
    status: u8,
}

/// One request of the LRT's queue.
struct Redemption {
    id: u64,
    controller: Address,
    shares: U256,
    assets: U256,
    fulfilled: bool,
}

impl Wallet {
    /// Connects: reads the chain id, loads the addresses file and checks the vault has code;
    /// loads the key when `signing`, or when one is given (`--keystore`, `PRIVATE_KEY`).
    ///
    /// # Errors
    /// [`CliError::Key`], [`CliError::Rpc`], [`CliError::NoAddresses`],
    /// [`CliError::Addresses`].
    pub async fn open(options: &Options, signing: bool) -> Result<Self, CliError> {
        let url = options.rpc_url.clone();
        let fail = |e: DeployError| CliError::from_deploy(e, Action::Read, &url);
        let has_key = options.keystore.is_some() || std::env::var_os(PRIVATE_KEY_VAR).is_some();
        let chain = if signing || has_key {
            let signer =
                load_signer_with(options.keystore.as_deref(), PASSWORD_VAR).map_err(fail)?;
            Chain::connect(&url, signer)
                .map_err(fail)?
                .with_on_sent(Arc::new(|step, hash| {
                    eprintln!("{step}: sent {hash}, waiting for the receipt");
                }))
        } else {
            Chain::read_only(&url).map_err(fail)?
        };
        let account = (signing || has_key).then(|| chain.from());
        let chain_id = chain.chain_id().await.map_err(fail)?;
        let file = options
            .addresses
            .clone()
            .unwrap_or_else(|| AddressBook::path(&PathBuf::from(DEFAULT_ADDRESSES_DIR), chain_id));
        if !file.exists() {
            return Err(CliError::NoAddresses { file, chain_id });
        }
        let book = AddressBook::load(&file, chain_id).map_err(fail)?;
        let contracts = Contracts::from_book(&book).map_err(|name| CliError::Addresses {
            file: file.clone(),
            reason: format!(
                "no {name} in it: the deployment did not finish; re-run the deploy tool"
            ),
        })?;
        if !chain.has_code(contracts.lrt).await.map_err(fail)? {
            return Err(CliError::Addresses {
                file,
                reason: format!(
                    "the LRT at {} has no code on this node: the node was restarted (the local node keeps no state) or the file is another deployment's; deploy again",
                    contracts.lrt
                ),
            });
        }
        Ok(Self {
            chain,
            contracts,
            account,
            url,
            scan: options.scan.max(1),
        })
    }

    /// The signing account.
    ///
    /// # Errors
    /// [`CliError::Key`] when read-only.
    pub fn account(&self) -> Result<Address, CliError> {
        self.account
            .ok_or_else(|| CliError::Key("no key and no address given".to_owned()))
    }

    /// The suite.
    #[must_use]
    pub fn contracts(&self) -> &Contracts {
        &self.contracts
    }

    fn fail(&self, action: Action) -> impl Fn(DeployError) -> CliError + '_ {
        move |e| CliError::from_deploy(e, action, &self.url)
    }

    async fn view<C: SolCall>(&self, to: Address, call: &C) -> Result<C::Return, CliError> {
        self.chain
            .view(to, call)
            .await
            .map_err(self.fail(Action::Read))
    }

    async fn send<C: SolCall>(
        &self,
        action: Action,
        what: &str,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<Tx, CliError> {
        let sent = self
            .chain
            .send(to, value, call)
            .await
            .map_err(self.fail(action))?;
        Ok(tx(what, &sent))
    }

    /// What `call` returns (simulated against the latest block), then the transaction.
    async fn transact<C: SolCall>(
        &self,
        action: Action,
        what: &str,
        to: Address,
        value: U256,
        call: &C,
    ) -> Result<(C::Return, Tx), CliError> {
        let (returned, sent) = transact(&self.chain, to, value, call)
            .await
            .map_err(self.fail(action))?;
        Ok((returned, tx(what, &sent)))
    }

    async fn paused(&self, contract: Address, name: &str) -> Result<(), CliError> {
        if self.view(contract, &Pausable::pausedCall {}).await? {
            return Err(CliError::Refused(format!(
                "{name} is paused: wait for the admin to unpause it (claims still work while paused)"
            )));
        }
        Ok(())
    }

    /// `stake`: the vault's `deposit` with `eth` wei, LST to the account.
    ///
    /// # Errors
    /// The vault's refusal in words, [`CliError::Rpc`].
    pub async fn stake(&self, eth: U256) -> Result<Report, CliError> {
        let me = self.account()?;
        let c = self.contracts;
        let (lst, tx) = self
            .transact(
                Action::Stake,
                "stake",
                c.vault,
                eth,
                &Vault::depositCall { receiver: me },
            )
            .await?;
        Ok(Report::Stake {
            account: me,
            eth_wei: Wei(eth),
            lst_wei: Wei(lst),
            txs: vec![tx],
        })
    }

    /// `deposit`: `lst` wei of LST into the LRT: ERC-4626 `deposit` when the allowance covers
    /// it, else `depositWithPermit` with an EIP-2612 permit of exactly `lst` signed here (valid
    /// for an hour): one transaction either way, never an `approve`. The balance, the pause,
    /// the minimum and the cap are checked first.
    ///
    /// # Errors
    /// As [`Wallet::stake`].
    pub async fn deposit(&self, lst: U256) -> Result<Report, CliError> {
        let me = self.account()?;
        let c = self.contracts;
        let balance = self
            .view(c.lst, &Erc20::balanceOfCall { account: me })
            .await?;
        if balance < lst {
            return Err(CliError::Refused(format!(
                "{me} holds {} LST, not {}: deposit at most {} LST, or stake ETH first with `lrt stake`",
                Wei(balance),
                Wei(lst),
                Wei(balance)
            )));
        }
        self.paused(c.lrt, "the LRT").await?;
        let minimum = self.view(c.lrt, &Lrt::minDepositCall {}).await?;
        if lst < minimum {
            return Err(CliError::Refused(format!(
                "a deposit of {} LST is below the LRT's minimum of {} LST: deposit at least that",
                Wei(lst),
                Wei(minimum)
            )));
        }
        let room = self
            .view(c.lrt, &Lrt::maxDepositCall { receiver: me })
            .await?;
        if room.is_zero() {
            return Err(CliError::Refused(
                "the LRT takes no deposit now (the room under its cap is below its minimum deposit): wait for the admin to raise the cap".into(),
            ));
        }
        if lst > room {
            return Err(CliError::Refused(format!(
                "the LRT takes at most {} LST more, not {}: deposit less, or wait for the admin to raise the cap",
                Wei(room),
                Wei(lst)
            )));
        }
        let allowance = self
            .view(
                c.lst,
                &Erc20::allowanceCall {
                    owner: me,
                    spender: c.lrt,
                },
            )
            .await?;
        let permit = allowance < lst;
        let (lrt, tx) = if permit {
            let now = self
                .chain
                .timestamp()
                .await
                .map_err(self.fail(Action::Read))?;
            let signed = self
                .chain
                .sign_permit(c.lst, c.lrt, lst, U256::from(now + PERMIT_SECONDS))
                .await
                .map_err(self.fail(Action::Deposit))?;
            self.transact(
                Action::Deposit,
                "depositWithPermit",
                c.lrt,
                U256::ZERO,
                &with_permit(&signed, me),
            )
            .await?
        } else {
            self.transact(
                Action::Deposit,
                "deposit",
                c.lrt,
                U256::ZERO,
                &Lrt::depositCall {
                    assets: lst,
                    receiver: me,
                },
            )
            .await?
        };
        Ok(Report::Deposit {
            account: me,
            lst_wei: Wei(lst),
            lrt_wei: Wei(lrt),
            permit,
            txs: vec![tx],
        })
    }

    /// `zap`: the LRT's `depositEth` with `eth` wei.
    ///
    /// # Errors
    /// As [`Wallet::stake`].
    pub async fn zap(&self, eth: U256) -> Result<Report, CliError> {
        let me = self.account()?;
        let (lrt, tx) = self
            .transact(
                Action::Zap,
                "zap",
                self.contracts.lrt,
                eth,
                &Lrt::depositEthCall { receiver: me },
            )
            .await?;
        Ok(Report::Zap {
            account: me,
            eth_wei: Wei(eth),
            lrt_wei: Wei(lrt),
            txs: vec![tx],
        })
    }

    /// `redeem`: `requestRedeem(shares, account, account)`; the id comes from the simulation and
    /// is checked against the request record after mining.
    ///
    /// # Errors
    /// As [`Wallet::stake`].
    pub async fn redeem(&self, shares: U256) -> Result<Report, CliError> {
        let me = self.account()?;
        let c = self.contracts;
        let (id, tx) = self
            .transact(
                Action::Redeem,
                "request redemption",
                c.lrt,
                U256::ZERO,
                &Lrt::requestRedeemCall {
                    shares,
                    controller: me,
                    owner: me,
                },
            )
            .await?;
        let (next, _) = self.lrt_queue().await?;
        let request = located(
            id_u64(id)..next,
            |id| self.redemption(id),
            |r: &Redemption| r.controller == me && r.shares == shares,
            "redemption",
        )
        .await?;
        Ok(Report::Redeem {
            account: me,
            request_id: request.id,
            lrt_wei: Wei(shares),
            lst_value_wei: Wei(request.assets),
            txs: vec![tx],
        })
    }

    /// `claim`: one fulfilled redemption (`id`: its shares redeemed) or all that the account
    /// can claim (`maxRedeem`); the LST goes to the account.
    ///
    /// # Errors
    /// A sentence when the request is not the account's, not fulfilled yet or already claimed,
    /// or nothing is claimable; as [`Wallet::stake`].
    pub async fn claim(&self, id: Option<u64>) -> Result<Report, CliError> {
        let me = self.account()?;
        let c = self.contracts;
        let claimable = self
            .view(c.lrt, &Lrt::maxRedeemCall { controller: me })
            .await?;
        let (shares, request_ids) = if let Some(id) = id {
            let request = self.redemption(id).await?;
            if request.controller != me {
                return Err(CliError::Refused(format!(
                    "redemption request {id} belongs to {}, not {me}: claim it with that account's key",
                    request.controller
                )));
            }
            if !request.fulfilled {
                return Err(CliError::Refused(format!(
                    "request {id} is not fulfilled yet: try again after the keeper fulfils it"
                )));
            }
            if claimable < request.shares {
                return Err(CliError::Refused(format!(
                    "request {id} has already been claimed ({} LRT of fulfilled redemptions is left to claim): run `lrt status`",
                    Wei(claimable)
                )));
            }
            (request.shares, vec![id])
        } else {
            let (_, requests) = self.redemptions(me).await?;
            if claimable.is_zero() {
                let pending: Vec<u64> = requests
                    .iter()
                    .filter(|r| !r.fulfilled)
                    .map(|r| r.id)
                    .collect();
                return Err(nothing_to_claim(
                    me,
                    "fulfilled redemption",
                    &pending,
                    "request one with `lrt redeem`",
                    "the keeper fulfils them",
                ));
            }
            let fulfilled = requests
                .iter()
                .filter(|r| r.fulfilled)
                .map(|r| r.id)
                .collect();
            (claimable, fulfilled)
        };
        let (lst, tx) = self
            .transact(
                Action::Claim,
                "claim",
                c.lrt,
                U256::ZERO,
                &Lrt::redeemCall {
                    shares,
                    receiver: me,
                    controller: me,
                },
            )
            .await?;
        Ok(Report::Claim {
            account: me,
            request_ids,
            lrt_wei: Wei(shares),
            lst_wei: Wei(lst),
            txs: vec![tx],
        })
    }

    /// `withdraw-lst`: the vault's `requestWithdrawal(shares)`.
    ///
    /// # Errors
    /// As [`Wallet::stake`].
    pub async fn withdraw_lst(&self, shares: U256) -> Result<Report, CliError> {
        let me = self.account()?;
        let (id, tx) = self
            .transact(
                Action::WithdrawLst,
                "request withdrawal",
                self.contracts.vault,
                U256::ZERO,
                &Vault::requestWithdrawalCall { shares },
            )
            .await?;
        let (next, _) = self.vault_queue().await?;
        let request = located(
            id_u64(id)..next,
            |id| self.withdrawal(id),
            |w: &Withdrawal| w.owner == me && w.shares == shares,
            "withdrawal",
        )
        .await?;
        Ok(Report::WithdrawLst {
            account: me,
            request_id: request.id,
            lst_wei: Wei(shares),
            eth_value_wei: Wei(request.amount),
            txs: vec![tx],
        })
    }

    /// `claim-eth`: the vault's `claim(id)`, or every finalized request of the account in the
    /// scanned window.
    ///
    /// # Errors
    /// The vault's refusal (not finalized, claimed, another owner's) in words; a sentence when
    /// nothing is claimable; as [`Wallet::stake`].
    pub async fn claim_eth(&self, id: Option<u64>) -> Result<Report, CliError> {
        let me = self.account()?;
        let c = self.contracts;
        let claims = if let Some(id) = id {
            // The vault says why a claim is refused (not finalized, claimed, not the owner's).
            let request = self.withdrawal(id).await?;
            vec![Request {
                id,
                locked_wei: Wei(request.shares),
                value_wei: Wei(request.amount),
            }]
        } else {
            let (_, requests) = self.withdrawals(me).await?;
            let claimable: Vec<Request> = requests
                .iter()
                .filter(|r| r.status == 1)
                .map(|r| Request {
                    id: r.id,
                    locked_wei: Wei(r.shares),
                    value_wei: Wei(r.amount),
                })
                .collect();
            if claimable.is_empty() {
                let pending: Vec<u64> = requests
                    .iter()
                    .filter(|r| r.status == 0)
                    .map(|r| r.id)
                    .collect();
                return Err(nothing_to_claim(
                    me,
                    "finalized withdrawal",
                    &pending,
                    "request one with `lrt withdraw-lst`",
                    "the oracle finalizes them",
                ));
            }
            claimable
        };
        let mut txs = Vec::new();
        for claim in &claims {
            txs.push(
                self.send(
                    Action::ClaimEth,
                    &format!("claim {}", claim.id),
                    c.vault,
                    U256::ZERO,
                    &Vault::claimCall {
                        id: U256::from(claim.id),
                    },
                )
                .await?,
            );
        }
        let eth = claims.iter().map(|claim| claim.value_wei.0).sum();
        Ok(Report::ClaimEth {
            account: me,
            claims,
            eth_wei: Wei(eth),
            txs,
        })
    }

    /// `status`: balances, their value, and both queues for `account` (default: the key's).
    ///
    /// # Errors
    /// [`CliError::Key`] with neither, [`CliError::Rpc`].
    pub async fn status(&self, account: Option<Address>) -> Result<Report, CliError> {
        let me = match account {
            Some(account) => account,
            None => self.account()?,
        };
        let c = self.contracts;
        let eth = self
            .chain
            .balance(me)
            .await
            .map_err(self.fail(Action::Read))?;
        let lst = self
            .view(c.lst, &Erc20::balanceOfCall { account: me })
            .await?;
        let lrt = self
            .view(c.lrt_token, &Erc20::balanceOfCall { account: me })
            .await?;
        let staked_value = self
            .view(c.vault, &Vault::convertToAssetsCall { shares: lst })
            .await?;
        let lrt_lst = self
            .view(c.lrt, &Lrt::convertToAssetsCall { shares: lrt })
            .await?;
        let restaked_value = self
            .view(c.vault, &Vault::convertToAssetsCall { shares: lrt_lst })
            .await?;

        let (lrt_from, redemptions) = self.redemptions(me).await?;
        let claimable_shares = self
            .view(
                c.lrt,
                &Lrt::claimableRedeemRequestCall {
                    request_id: U256::ZERO,
                    controller: me,
                },
            )
            .await?;
        let claimable_assets = self
            .view(c.lrt, &Lrt::maxWithdrawCall { controller: me })
            .await?;
        let (vault_from, withdrawals) = self.withdrawals(me).await?;
        let request = |id, locked, value| Request {
            id,
            locked_wei: Wei(locked),
            value_wei: Wei(value),
        };
        let claimable: Vec<Request> = withdrawals
            .iter()
            .filter(|w| w.status == 1)
            .map(|w| request(w.id, w.shares, w.amount))
            .collect();
        Ok(Report::Status(Box::new(Status {
            account: me,
            eth_wei: Wei(eth),
            lst_wei: Wei(lst),
            lst_eth_wei: Wei(staked_value),
            lrt_wei: Wei(lrt),
            lrt_lst_wei: Wei(lrt_lst),
            lrt_eth_wei: Wei(restaked_value),
            redemptions: Redemptions {
                pending: redemptions
                    .iter()
                    .filter(|r| !r.fulfilled)
                    .map(|r| request(r.id, r.shares, r.assets))
                    .collect(),
                fulfilled_ids: redemptions
                    .iter()
                    .filter(|r| r.fulfilled)
                    .map(|r| r.id)
                    .collect(),
                claimable_lrt_wei: Wei(claimable_shares),
                claimable_lst_wei: Wei(claimable_assets),
                scanned_from_id: lrt_from,
            },
            withdrawals: Withdrawals {
                pending: withdrawals
                    .iter()
                    .filter(|w| w.status == 0)
                    .map(|w| request(w.id, w.shares, w.amount))
                    .collect(),
                claimable_eth_wei: Wei(claimable.iter().map(|r| r.value_wei.0).sum()),
                claimable,
                scanned_from_id: vault_from,
            },
        })))
    }

    /// `rate`: ETH per LST, ETH per LRT, LST per LRT.
    ///
    /// # Errors
    /// [`CliError::Rpc`].
    pub async fn rate(&self) -> Result<Report, CliError> {
        let c = self.contracts;
        Ok(Report::Rate(Rates {
            eth_per_lst_wei: Wei(self.view(c.vault, &Vault::getRateCall {}).await?),
            eth_per_lrt_wei: Wei(self.view(c.lrt, &Lrt::getRateCall {}).await?),
            lst_per_lrt_wei: Wei(self
                .view(c.lrt, &Lrt::convertToAssetsCall { shares: one() })
                .await?),
        }))
    }

    /// The LRT's (next id, next id to fulfil).
    async fn lrt_queue(&self) -> Result<(u64, u64), CliError> {
        let state = self
            .view(self.contracts.lrt, &Lrt::queueStateCall {})
            .await?;
        Ok((id_u64(state._0), id_u64(state._1)))
    }

    /// The vault's (next id, next id to finalize).
    async fn vault_queue(&self) -> Result<(u64, u64), CliError> {
        let state = self
            .view(self.contracts.vault, &Vault::queueStateCall {})
            .await?;
        Ok((id_u64(state._0), id_u64(state._1)))
    }

    /// The first id of the scan window below `next`, for a queue whose ids start at `first`
    /// (the vault's at 0, the LRT's at 1).
    fn window(&self, next: u64, first: u64) -> u64 {
        next.saturating_sub(self.scan).max(first)
    }

    async fn redemption(&self, id: u64) -> Result<Redemption, CliError> {
        let r = self
            .chain
            .view(
                self.contracts.lrt,
                &Lrt::redeemRequestCall {
                    request_id: U256::from(id),
                },
            )
            .await
            .map_err(self.fail(Action::Claim))?;
        Ok(Redemption {
            id,
            controller: r._0,
            shares: r._1,
            assets: r._2,
            fulfilled: r._4,
        })
    }

    async fn withdrawal(&self, id: u64) -> Result<Withdrawal, CliError> {
        let w = self
            .chain
            .view(
                self.contracts.vault,
                &Vault::withdrawalRequestCall { id: U256::from(id) },
            )
            .await
            .map_err(self.fail(Action::ClaimEth))?;
        Ok(Withdrawal {
            id,
            owner: w._0,
            shares: w._1,
            amount: w._2,
            status: w._4,
        })
    }

    /// `controller`'s redemptions in the scan window, and the window's first id.
    async fn redemptions(&self, controller: Address) -> Result<(u64, Vec<Redemption>), CliError> {
        let (next, _) = self.lrt_queue().await?;
        let from = self.window(next, 1);
        let mine = scan(
            from..next,
            |id| self.redemption(id),
            |r: &Redemption| r.controller == controller,
        )
        .await?;
        Ok((from, mine))
    }

    /// `owner`'s withdrawals in the scan window (claimed ones left out), and the first id.
    async fn withdrawals(&self, owner: Address) -> Result<(u64, Vec<Withdrawal>), CliError> {
        let (next, _) = self.vault_queue().await?;
        let from = self.window(next, 0);
        let mine = scan(
            from..next,
            |id| self.withdrawal(id),
            |w: &Withdrawal| w.owner == owner && w.status < 2,
        )
        .await?;
        Ok((from, mine))
    }
}

/// The requests with ids in `ids` (each read with `read`) that `keep` accepts, in id order.
async fn scan<R, F: Future<Output = Result<R, CliError>>>(
    ids: Range<u64>,
    read: impl Fn(u64) -> F,
    keep: impl Fn(&R) -> bool,
) -> Result<Vec<R>, CliError> {
    let mut kept = Vec::new();
    for id in ids {
        let request = read(id).await?;
        if keep(&request) {
            kept.push(request);
        }
    }
    Ok(kept)
}

/// The request a transaction just made: the first in `ids` (from the simulated id on) that
/// `is_it` accepts, the simulated one unless another request came in between simulation and
/// mining.
async fn located<R, F: Future<Output = Result<R, CliError>>>(
    ids: Range<u64>,
    read: impl Fn(u64) -> F,
    is_it: impl Fn(&R) -> bool,
    what: &str,
) -> Result<R, CliError> {
    let simulated = ids.start;
    scan(ids, read, is_it)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            CliError::Other(format!(
                "the {what} was mined but its request was not found from id {simulated}: run `lrt status`"
            ))
        })
}

/// Nothing claimable for `account`: what is pending instead and who acts next (`waiting_for`),
/// or how to start (`start`).
fn nothing_to_claim(
    account: Address,
    what: &str,
    pending: &[u64],
    start: &str,
    waiting_for: &str,
) -> CliError {
    CliError::Refused(if pending.is_empty() {
        format!("{account} has no {what} to claim: {start}")
    } else {
        let ids: Vec<String> = pending.iter().map(u64::to_string).collect();
        format!(
            "{account} has no {what} to claim; {} pending ({}): try again after {waiting_for}",
            pending.len(),
            ids.join(", ")
        )
    })
}
