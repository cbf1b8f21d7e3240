//! What each command did, as `--json` prints it (amounts as decimal strings of wei, ids as
//! numbers) and as words for people.

use std::fmt;

use alloy::primitives::{Address, B256};
use serde::Serialize;

use crate::amount::Wei;

/// One mined transaction.
#[derive(Debug, Clone, Serialize)]
pub struct Tx {
    /// What it did (`approve`, `deposit`, `claim 3`).
    pub what: String,
    /// Its hash.
    pub hash: B256,
    /// Gas used.
    pub gas_used: u64,
    /// Gas × effective price.
    pub fee_wei: Wei,
}

/// A request waiting in a queue, or claimable.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    /// Its id.
    pub id: u64,
    /// Tokens it locked (LRT for a redemption, LST for a withdrawal); zero when unknown.
    pub locked_wei: Wei,
    /// What it pays: its value at request while pending (LST for a redemption, ETH for a
    /// withdrawal), the payout once fulfilled or finalized.
    pub value_wei: Wei,
}

/// The LRT's redemption queue as one account sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Redemptions {
    /// The account's requests waiting for the keeper.
    pub pending: Vec<Request>,
    /// Ids of its fulfilled requests in the scanned window (claims pool them: some may be
    /// claimed already).
    pub fulfilled_ids: Vec<u64>,
    /// LRT of fulfilled requests not yet claimed (`claimableRedeemRequest(0, account)`).
    pub claimable_lrt_wei: Wei,
    /// LST they pay (`maxWithdraw(account)`).
    pub claimable_lst_wei: Wei,
    /// First id scanned (every id from it to the newest was read).
    pub scanned_from_id: u64,
}

/// The staking vault's withdrawal queue as one account sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawals {
    /// The account's requests waiting for the oracle.
    pub pending: Vec<Request>,
    /// Its finalized, unclaimed requests.
    pub claimable: Vec<Request>,
    /// ETH they pay.
    pub claimable_eth_wei: Wei,
    /// First id scanned.
    pub scanned_from_id: u64,
}

/// `lrt status`.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The account.
    pub account: Address,
    /// Its ETH.
    pub eth_wei: Wei,
    /// Its LST.
    pub lst_wei: Wei,
    /// Their value in ETH.
    pub lst_eth_wei: Wei,
    /// Its LRT.
    pub lrt_wei: Wei,
    /// Their value in LST.
    pub lrt_lst_wei: Wei,
    /// Their value in ETH.
    pub lrt_eth_wei: Wei,
    /// LRT redemptions.
    pub redemptions: Redemptions,
    /// LST withdrawals.
    pub withdrawals: Withdrawals,
}

/// `lrt rate`: each 1e18-scaled.
#[derive(Debug, Clone, Serialize)]
pub struct Rates {
    /// ETH per LST (the vault's `getRate()`).
    pub eth_per_lst_wei: Wei,
    /// ETH per LRT (the LRT's `getRate()`).
    pub eth_per_lrt_wei: Wei,
    /// LST per LRT (the LRT's `convertToAssets(1e18)`).
    pub lst_per_lrt_wei: Wei,
}

/// What a command did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "command", rename_all = "kebab-case")]
pub enum Report {
    /// ETH staked for LST.
    Stake {
        /// The staker.
        account: Address,
        /// ETH sent.
        eth_wei: Wei,
        /// LST minted.
        lst_wei: Wei,
        /// Transactions.
        txs: Vec<Tx>,
    },
    /// LST deposited for LRT.
    Deposit {
        /// The depositor.
        account: Address,
        /// LST deposited.
        lst_wei: Wei,
        /// LRT minted.
        lrt_wei: Wei,
        /// Whether the allowance was short, so the deposit carried a signed permit.
        permit: bool,
        /// Transactions.
        txs: Vec<Tx>,
    },
    /// ETH zapped into LRT.
    Zap {
        /// The depositor.
        account: Address,
        /// ETH sent.
        eth_wei: Wei,
        /// LRT minted.
        lrt_wei: Wei,
        /// Transactions.
        txs: Vec<Tx>,
    },
    /// An LRT redemption requested.
    Redeem {
        /// Owner and controller.
        account: Address,
        /// The request's id.
        request_id: u64,
        /// LRT locked.
        lrt_wei: Wei,
        /// Its value in LST at request (the most it pays).
        lst_value_wei: Wei,
        /// Transactions.
        txs: Vec<Tx>,
    },
    /// Fulfilled redemptions claimed.
    Claim {
        /// The controller.
        account: Address,
        /// The request claimed, or the fulfilled ids seen when claiming all.
        request_ids: Vec<u64>,
        /// LRT claimed (burned at fulfilment).
        lrt_wei: Wei,
        /// LST received.
        lst_wei: Wei,
        /// Transactions.
        txs: Vec<Tx>,
    },
    /// An LST withdrawal requested from the staking vault.
    WithdrawLst {
        /// The owner.
        account: Address,
        /// The request's id.
        request_id: u64,
        /// LST locked.
        lst_wei: Wei,
        /// Its value in ETH at request (the most it pays).
        eth_value_wei: Wei,
        /// Transactions.
        txs: Vec<Tx>,
    },
    /// Finalized withdrawals claimed.
    ClaimEth {
        /// The owner.
        account: Address,
        /// Each claimed request and its ETH.
        claims: Vec<Request>,
        /// ETH received in all.
        eth_wei: Wei,
        /// Transactions.
        txs: Vec<Tx>,
    },
    /// Balances and queues.
    Status(Box<Status>),
    /// Exchange rates.
    Rate(Rates),
}

fn ids(ids: &[u64]) -> String {
    ids.iter()
        .map(|id| format!("#{id}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn totals(f: &mut fmt::Formatter<'_>, txs: &[Tx]) -> fmt::Result {
    let gas: u64 = txs.iter().map(|tx| tx.gas_used).sum();
    let fee = Wei(txs.iter().map(|tx| tx.fee_wei.0).sum());
    let plural = if txs.len() == 1 { "" } else { "s" };
    write!(
        f,
        "\n({} transaction{plural}, gas {gas}, fee {fee} ETH)",
        txs.len()
    )
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stake {
                eth_wei,
                lst_wei,
                txs,
                ..
            } => {
                write!(f, "staked {eth_wei} ETH for {lst_wei} LST")?;
                totals(f, txs)
            }
            Self::Deposit {
                lst_wei,
                lrt_wei,
                permit,
                txs,
                ..
            } => {
                write!(f, "deposited {lst_wei} LST for {lrt_wei} LRT")?;
                if *permit {
                    write!(f, " (with a signed permit, no approve)")?;
                }
                totals(f, txs)
            }
            Self::Zap {
                eth_wei,
                lrt_wei,
                txs,
                ..
            } => {
                write!(f, "zapped {eth_wei} ETH into {lrt_wei} LRT")?;
                totals(f, txs)
            }
            Self::Redeem {
                request_id,
                lrt_wei,
                lst_value_wei,
                txs,
                ..
            } => {
                write!(
                    f,
                    "redemption request {request_id}: {lrt_wei} LRT locked, worth {lst_value_wei} LST now; claim it with `lrt claim {request_id}` once the keeper fulfils it"
                )?;
                totals(f, txs)
            }
            Self::Claim {
                request_ids,
                lrt_wei,
                lst_wei,
                txs,
                ..
            } => {
                write!(
                    f,
                    "claimed {lrt_wei} LRT of fulfilled redemptions ({}): received {lst_wei} LST",
                    ids(request_ids)
                )?;
                totals(f, txs)
            }
            Self::WithdrawLst {
                request_id,
                lst_wei,
                eth_value_wei,
                txs,
                ..
            } => {
                write!(
                    f,
                    "withdrawal request {request_id}: {lst_wei} LST locked, worth {eth_value_wei} ETH now; claim it with `lrt claim-eth {request_id}` once the oracle finalizes it"
                )?;
                totals(f, txs)
            }
            Self::ClaimEth {
                claims,
                eth_wei,
                txs,
                ..
            } => {
                for claim in claims {
                    writeln!(
                        f,
                        "claimed withdrawal {}: {} ETH",
                        claim.id, claim.value_wei
                    )?;
                }
                write!(f, "received {eth_wei} ETH")?;
                totals(f, txs)
            }
            Self::Status(status) => status.fmt(f),
            Self::Rate(rates) => write!(
                f,
                "1 LST = {} ETH\n1 LRT = {} ETH\n1 LRT = {} LST",
                rates.eth_per_lst_wei, rates.eth_per_lrt_wei, rates.lst_per_lrt_wei
            ),
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "account {}", self.account)?;
        writeln!(f, "ETH  {}", self.eth_wei)?;
        writeln!(f, "LST  {} (= {} ETH)", self.lst_wei, self.lst_eth_wei)?;
        writeln!(
            f,
            "LRT  {} (= {} LST = {} ETH)",
            self.lrt_wei, self.lrt_lst_wei, self.lrt_eth_wei
        )?;
        let r = &self.redemptions;
        writeln!(
            f,
            "LRT redemptions (ids from {} scanned):",
            r.scanned_from_id
        )?;
        if r.pending.is_empty() {
            writeln!(f, "  pending    none")?;
        }
        for request in &r.pending {
            writeln!(
                f,
                "  pending    #{}: {} LRT, worth {} LST at request",
                request.id, request.locked_wei, request.value_wei
            )?;
        }
        write!(
            f,
            "  claimable  {} LRT -> {} LST",
            r.claimable_lrt_wei, r.claimable_lst_wei
        )?;
        if !r.fulfilled_ids.is_empty() {
            write!(f, " (fulfilled: {})", ids(&r.fulfilled_ids))?;
        }
        writeln!(f)?;
        let w = &self.withdrawals;
        writeln!(
            f,
            "LST withdrawals (ids from {} scanned):",
            w.scanned_from_id
        )?;
        if w.pending.is_empty() {
            writeln!(f, "  pending    none")?;
        }
        for request in &w.pending {
            writeln!(
                f,
                "  pending    #{}: {} LST, worth {} ETH at request",
                request.id, request.locked_wei, request.value_wei
            )?;
        }
        if w.claimable.is_empty() {
            write!(f, "  claimable  none")?;
        }
        for (i, request) in w.claimable.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  claimable  #{}: {} ETH", request.id, request.value_wei)?;
        }
        Ok(())
    }
}
