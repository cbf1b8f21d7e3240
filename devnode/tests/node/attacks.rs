//! Attacks on the deployed suite (release wasm on the node), each its own test: first-depositor
//! donations on the vault and the LRT, a deposit sandwiching a gain report, a slash during a
//! pending undelegation and a pending redemption, a hostile receiver re-entering on ETH receipt,
//! a front-run (reused) permit, and the LRT's extension program called directly.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolValue};
use devnode::{Node, Tx};

use crate::suite::{
    abi, Allocator, Erc20, Lrt, Manager, Permit, Registry, Suite, Vault, ADMIN, KEEPER, OPERATORS,
    ORACLE, SINK, SLASHER,
};
use crate::support::{ether, evm_init_code, forwarding_code, op};

const VIRTUAL: u64 = 1_000;
const HOUR: u64 = 3_600;
const DAY: u64 = 24 * HOUR;

fn e18() -> U256 {
    U256::from(10).pow(U256::from(18))
}

/// `n / 100` ether.
fn centi_ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10).pow(U256::from(16))
}

/// Reports the validators' balance unchanged after the minimum interval, so requests made
/// before now become finalizable.
fn quiet_report(s: &Suite) {
    s.node.warp(13 * HOUR);
    let validator_balance = s.view(s.vault, &Vault::validatorBalanceCall {});
    s.must(
        ORACLE,
        s.vault,
        &Vault::reportCall {
            timestamp: s.node.timestamp(),
            validator_balance,
        },
    );
}

#[test]
fn first_depositor_donation_on_the_vault_changes_no_rate() {
    let s = Suite::deploy();
    let (attacker, victim) = (s.user(0), s.user(1));
    // A one-wei first deposit is refused: the minimum keeps shares from being dust.
    let refused = s.send(
        attacker,
        s.vault,
        U256::from(1),
        &Vault::depositCall { receiver: attacker },
    );
    assert!(
        refused
            .revert::<abi::vault::IStakingVault::VaultDepositTooSmall>()
            .is_some(),
        "1 wei deposit: {refused:?}"
    );
    s.must_value(
        attacker,
        s.vault,
        centi_ether(1),
        &Vault::depositCall { receiver: attacker },
    );
    let rate = s.view(s.vault, &Vault::getRateCall {});
    // 100 ETH forced in (self-destruct or coinbase): the vault never reads its balance.
    s.node.fund(s.vault, ether(100));
    assert_eq!(
        s.view(s.vault, &Vault::getRateCall {}),
        rate,
        "forced ETH moves no rate"
    );
    let shares = s.must_value(
        victim,
        s.vault,
        ether(10),
        &Vault::depositCall { receiver: victim },
    );
    let value = s.view(s.vault, &Vault::convertToAssetsCall { shares });
    assert!(
        value + U256::from(1) >= ether(10) && value <= ether(10),
        "the victim's 10 ETH is worth {value}"
    );
    assert_eq!(s.view(s.vault, &Vault::getRateCall {}), rate);
}

/// The attacker's first LRT deposit (after a refused 1-wei one), the allocator's delegation,
/// and LST transfers to the allocator and the LRT that must not move the rate.
fn first_lrt_deposit_and_transfer_donations(s: &Suite, attacker: Address, victim: Address) {
    for user in [attacker, victim] {
        s.must_value(
            user,
            s.vault,
            ether(20),
            &Vault::depositCall { receiver: user },
        );
        s.must(
            user,
            s.lst,
            &Erc20::approveCall {
                spender: s.lrt,
                value: U256::MAX,
            },
        );
    }
    let refused = s.send(
        attacker,
        s.lrt,
        U256::ZERO,
        &Lrt::depositCall {
            assets: U256::from(1),
            receiver: attacker,
        },
    );
    assert!(
        refused
            .revert::<abi::lrt::ILrt::LrtDepositTooSmall>()
            .is_some(),
        "{refused:?}"
    );
    s.must(
        attacker,
        s.lrt,
        &Lrt::depositCall {
            assets: centi_ether(1),
            receiver: attacker,
        },
    );
    s.must(
        KEEPER,
        s.allocator,
        &Allocator::delegateCall {
            assets: centi_ether(1) * U256::from(7) / U256::from(10),
        },
    );
    let rate = s.view(s.lrt, &Lrt::getRateCall {});

    // Donations by transfer are not counted: the allocator counts credits, the LRT reserves.
    for to in [s.allocator, s.lrt] {
        s.must(
            attacker,
            s.lst,
            &Erc20::transferCall {
                to,
                value: ether(5),
            },
        );
    }
    assert_eq!(
        s.view(s.lrt, &Lrt::getRateCall {}),
        rate,
        "LST sent uninvited moves no rate"
    );
}

#[test]
fn first_depositor_donation_on_the_lrt_costs_the_attacker_and_not_the_victim() {
    let s = Suite::deploy();
    let (attacker, victim) = (s.user(0), s.user(1));
    first_lrt_deposit_and_transfer_donations(&s, attacker, victim);

    // A donation that does count: 100 ETH of AVS rewards into the pool the allocator is alone in.
    let spent = ether(100);
    s.must_value(
        attacker,
        s.registries[0],
        spent,
        &Registry::distributeRewardsCall {
            operator: OPERATORS[0],
        },
    );
    let assets = s.view(s.lrt, &Lrt::totalAssetsCall {});
    let supply = s.view(s.lrt, &Lrt::totalSharesCall {});
    let deposit = ether(10);
    let shares = s.must(
        victim,
        s.lrt,
        &Lrt::depositCall {
            assets: deposit,
            receiver: victim,
        },
    );
    let value = s.view(s.lrt, &Lrt::convertToAssetsCall { shares });
    let loss = deposit - value;
    // The victim loses less than one share's worth (shares are counted from 0.01 LST up) …
    let share_value = (assets + U256::from(VIRTUAL)).div_ceil(supply + U256::from(VIRTUAL));
    assert!(
        loss <= share_value + U256::from(1),
        "victim lost {loss} (one share: {share_value})"
    );
    // … while the attacker paid the operator's and the protocol's fees out of its donation.
    let attacker_value = s.view(
        s.lrt,
        &Lrt::convertToAssetsCall {
            shares: s.lrt_of(attacker),
        },
    );
    let vault_rate = s.view(s.vault, &Vault::getRateCall {});
    let recovered = attacker_value * vault_rate / e18();
    assert!(
        spent + centi_ether(1) - recovered > U256::from(1_000_000) * loss.max(U256::from(1)),
        "the attacker lost {} wei for the victim's {loss}",
        spent + centi_ether(1) - recovered
    );
}

#[test]
fn a_deposit_just_before_a_gain_report_earns_its_pro_rata_share_and_no_more() {
    let s = Suite::deploy();
    let (honest, attacker) = (s.user(0), s.user(1));
    s.must_value(
        honest,
        s.vault,
        ether(100),
        &Vault::depositCall { receiver: honest },
    );
    s.must(
        KEEPER,
        s.vault,
        &Vault::fundValidatorsCall { amount: ether(90) },
    );
    quiet_report(&s);
    s.node.warp(30 * DAY);

    // The attacker sees the report coming and deposits right before it.
    let deposit = ether(100);
    let shares = s.must_value(
        attacker,
        s.vault,
        deposit,
        &Vault::depositCall { receiver: attacker },
    );
    let before = s.view(s.vault, &Vault::validatorBalanceCall {});
    let last = s.view(s.vault, &Vault::lastReportTimestampCall {});
    let elapsed = s.node.timestamp() - last;
    let apr = U256::from(s.view(s.vault, &Vault::maxAprBpsCall {}));
    let gain = before * apr * U256::from(elapsed) / U256::from(10_000 * 365 * DAY);
    let total_shares = s.view(s.vault, &Vault::totalSharesCall {});
    s.must(
        ORACLE,
        s.vault,
        &Vault::reportCall {
            timestamp: s.node.timestamp(),
            validator_balance: before + gain,
        },
    );
    // … and leaves at once: the request bears the next report before it can be finalized.
    let id = s.must(attacker, s.vault, &Vault::requestWithdrawalCall { shares });
    quiet_report(&s);
    s.must(ORACLE, s.vault, &Vault::finalizeCall { up_to_id: id });
    let paid = s.node.balance(attacker);
    s.must(attacker, s.vault, &Vault::claimCall { id });
    let profit = s.node.balance(attacker) - paid - deposit;
    // Pro rata: its shares' part of the gain after the fee, never more.
    let fee = U256::from(s.view(s.vault, &Vault::feeBpsCall {}));
    let pro_rata = gain * shares / (total_shares + U256::from(VIRTUAL))
        * (U256::from(10_000) - fee)
        / U256::from(10_000);
    assert!(profit > U256::ZERO, "the depositor shares the gain");
    assert!(
        profit <= pro_rata + U256::from(2),
        "profit {profit} above the pro-rata share {pro_rata}"
    );
    // The gain itself is bounded by the APR since the last report: the sandwich is worth at most
    // deposit × maxApr × elapsed / year.
    assert!(profit <= deposit * apr * U256::from(elapsed) / U256::from(10_000 * 365 * DAY));
}

/// Two users zap 50 ETH each, the allocator delegates, then queues the undelegation of all its
/// stake; the leaver requests redemption of all its shares. Returns (queued withdrawal ids,
/// request id, the leaver's shares, the request's value at request).
fn pending_undelegations_and_redemption(
    s: &Suite,
    leaver: Address,
    stayer: Address,
) -> (Vec<U256>, U256, U256, U256) {
    for user in [leaver, stayer] {
        s.must_value(
            user,
            s.lrt,
            ether(50),
            &Lrt::depositEthCall { receiver: user },
        );
    }
    let idle = s.view(s.allocator, &Allocator::idleCall {});
    s.must(
        KEEPER,
        s.allocator,
        &Allocator::delegateCall {
            assets: idle * U256::from(3) / U256::from(4),
        },
    );
    // Everything delegated comes home through queued undelegations …
    let mut queued = Vec::new();
    for operator in OPERATORS {
        let shares = s.view(
            s.manager,
            &Manager::stakerSharesCall {
                staker: s.allocator,
                operator,
            },
        );
        queued.push(s.must(
            KEEPER,
            s.allocator,
            &Allocator::undelegateCall { operator, shares },
        ));
    }
    // … and the leaver asks for everything.
    let leaver_shares = s.lrt_of(leaver);
    let request = s.must(
        leaver,
        s.lrt,
        &Lrt::requestRedeemCall {
            shares: leaver_shares,
            controller: leaver,
            owner: leaver,
        },
    );
    let value_at_request = s
        .view(
            s.lrt,
            &Lrt::redeemRequestCall {
                request_id: request,
            },
        )
        ._2;
    (queued, request, leaver_shares, value_at_request)
}

/// `registry` slashes `operator` by the 10% bound; the amount is ⌈allocated × 10%⌉ and not zero.
fn slash_by_the_bound(s: &Suite, operator: Address, registry: Address) -> U256 {
    let allocated = s.view(
        s.manager,
        &Manager::allocatedStakeCall { operator, registry },
    );
    let taken = s.must(
        SLASHER,
        registry,
        &Registry::slashCall {
            operator,
            bps: U256::from(1_000),
            reason: B256::repeat_byte(1),
        },
    );
    assert_eq!(
        taken,
        (allocated * U256::from(1_000)).div_ceil(U256::from(10_000))
    );
    assert!(taken > U256::ZERO);
    taken
}

#[test]
fn a_slash_during_a_pending_undelegation_and_a_pending_redemption_is_borne_pro_rata() {
    let s = Suite::deploy();
    let (leaver, stayer) = (s.user(0), s.user(1));
    let (queued, request, leaver_shares, value_at_request) =
        pending_undelegations_and_redemption(&s, leaver, stayer);
    let queued_before: Vec<U256> = queued
        .iter()
        .map(|&id| s.view(s.manager, &Manager::queuedValueCall { id }))
        .collect();
    let assets_before = s.view(s.lrt, &Lrt::totalAssetsCall {});

    // The AVS slashes operator 0 by the bound while both are pending.
    let taken = slash_by_the_bound(&s, OPERATORS[0], s.registries[0]);
    let queued_after = s.view(s.manager, &Manager::queuedValueCall { id: queued[0] });
    assert!(
        queued_after < queued_before[0],
        "queued stake is slashable until completion"
    );
    assert_eq!(
        s.view(s.manager, &Manager::queuedValueCall { id: queued[1] }),
        queued_before[1]
    );
    let assets_after = s.view(s.lrt, &Lrt::totalAssetsCall {});
    assert!(
        assets_before - assets_after <= taken,
        "the LRT loses at most what was taken"
    );

    // Completion only after the delay, then the request is paid its slashed value.
    let early = s.send(
        KEEPER,
        s.allocator,
        U256::ZERO,
        &Allocator::completeCall { id: queued[0] },
    );
    assert!(
        early
            .revert::<abi::manager::IRestakingManager::ManagerWithdrawalNotReady>()
            .is_some(),
        "{early:?}"
    );
    s.node.warp(7 * DAY);
    for id in queued {
        s.must(KEEPER, s.allocator, &Allocator::completeCall { id });
    }
    let supply = s.view(s.lrt, &Lrt::totalSharesCall {});
    let assets = s.view(s.lrt, &Lrt::totalAssetsCall {});
    let stayer_before = s.view(
        s.lrt,
        &Lrt::convertToAssetsCall {
            shares: s.lrt_of(stayer),
        },
    );
    s.must(KEEPER, s.lrt, &Lrt::fulfillCall { up_to_id: request });
    let payout = s.view(s.lrt, &Lrt::maxWithdrawCall { controller: leaver });
    assert_eq!(
        payout,
        leaver_shares * assets / (supply + U256::from(VIRTUAL)),
        "paid the value now"
    );
    assert!(payout < value_at_request, "the leaver bears the slash");
    // Both bore the same fraction: the leaver's payout over its value at request equals the
    // stayer's value now over its value before the slash (to rounding).
    let stayer_after = s.view(
        s.lrt,
        &Lrt::convertToAssetsCall {
            shares: s.lrt_of(stayer),
        },
    );
    assert!(
        stayer_after >= stayer_before,
        "the fulfilment takes nothing from those who stay"
    );
    let leaver_kept = payout * e18() / value_at_request;
    let stayer_value_at_request = value_at_request * s.lrt_of(stayer) / leaver_shares;
    let stayer_kept = stayer_after * e18() / stayer_value_at_request;
    assert!(
        leaver_kept.abs_diff(stayer_kept) <= U256::from(1_000_000),
        "the slash is shared pro rata: {leaver_kept} vs {stayer_kept}"
    );
    s.must(
        leaver,
        s.lrt,
        &Lrt::redeemCall {
            shares: leaver_shares,
            receiver: leaver,
            controller: leaver,
        },
    );
    assert_eq!(s.view(s.lrt, &Lrt::reservedAssetsCall {}), U256::ZERO);
}

/// An EVM account that forwards every call with calldata to `target` (so it can hold
/// positions) and, when it receives ETH without calldata, calls `target` again with `reentry`;
/// it records in slot 1 that it tried and in slot 2 whether that call succeeded.
fn hostile_receiver(target: Address, reentry: &[u8]) -> Vec<u8> {
    let mut code = vec![op::CALLDATASIZE, op::ISZERO, op::PUSH2, 0, 0, op::JUMPI];
    let forward = forwarding_code(target, code.len());
    code.extend(forward);
    let receive = u16::try_from(code.len()).expect("short");
    code[3..5].copy_from_slice(&receive.to_be_bytes());
    let len = u8::try_from(reentry.len()).expect("short calldata");
    code.extend([op::JUMPDEST, op::PUSH1, 1, op::PUSH1, 1, op::SSTORE]);
    let data_at = code.len() + 40;
    code.extend([
        op::PUSH1,
        len,
        op::PUSH2,
        0,
        u8::try_from(data_at).expect("short"),
        op::PUSH0,
        op::CODECOPY,
    ]);
    code.extend([
        op::PUSH0,
        op::PUSH0,
        op::PUSH1,
        len,
        op::PUSH0,
        op::PUSH0,
        op::PUSH20,
    ]);
    code.extend_from_slice(target.as_slice());
    code.extend([op::GAS, op::CALL, op::PUSH1, 2, op::SSTORE, op::STOP]);
    assert_eq!(
        code.len(),
        data_at,
        "the re-entry calldata follows the code"
    );
    code.extend_from_slice(reentry);
    code
}

fn slot(node: &Node, account: Address, n: u64) -> U256 {
    node.storage(account, U256::from(n))
}

#[test]
fn a_hostile_receiver_cannot_reenter_the_vault_claim() {
    let s = Suite::deploy();
    let owner = s.user(0);
    let (next_id, _) = {
        let state = s.view(s.vault, &Vault::queueStateCall {});
        (state._0, state._1)
    };
    let hostile = s
        .node
        .deploy_evm(
            owner,
            evm_init_code(&hostile_receiver(
                s.vault,
                &Vault::claimCall { id: next_id }.abi_encode(),
            )),
        )
        .expect("the hostile receiver deploys");
    // Through the forwarder the hostile contract stakes and requests a withdrawal …
    s.must_value(
        owner,
        hostile,
        ether(10),
        &Vault::depositCall { receiver: hostile },
    );
    let shares = s.lst_of(hostile);
    let id = s.must(owner, hostile, &Vault::requestWithdrawalCall { shares });
    assert_eq!(id, next_id);
    quiet_report(&s);
    s.must(ORACLE, s.vault, &Vault::finalizeCall { up_to_id: id });
    let payout = s.view(s.vault, &Vault::withdrawalRequestCall { id })._2;
    let reserved = s.view(s.vault, &Vault::reservedEtherCall {});
    // … then claims, and on receiving the ETH claims again from inside the transfer.
    s.must(owner, hostile, &Vault::claimCall { id });
    assert_eq!(
        slot(&s.node, hostile, 1),
        U256::from(1),
        "the re-entry was attempted"
    );
    assert_eq!(slot(&s.node, hostile, 2), U256::ZERO, "the re-entry failed");
    assert_eq!(s.node.balance(hostile), payout, "paid exactly once");
    assert_eq!(
        s.view(s.vault, &Vault::reservedEtherCall {}),
        reserved - payout
    );
    assert_eq!(
        s.view(s.vault, &Vault::withdrawalRequestCall { id })._4,
        2,
        "claimed"
    );
    let again = s.send(owner, hostile, U256::ZERO, &Vault::claimCall { id });
    assert_eq!(
        again.output.get(..4),
        Some(&abi::vault::IStakingVault::VaultRequestAlreadyClaimed::SELECTOR[..]),
        "{again:?}"
    );
    assert_eq!(
        s.node.balance(s.vault),
        s.view(s.vault, &Vault::bufferedEtherCall {})
            + s.view(s.vault, &Vault::reservedEtherCall {}),
    );
}

#[test]
fn a_hostile_fee_recipient_cannot_reenter_the_fee_claim() {
    let s = Suite::deploy();
    let owner = s.user(0);
    let hostile = s
        .node
        .deploy_evm(
            owner,
            evm_init_code(&hostile_receiver(
                s.manager,
                &Manager::claimFeesCall {}.abi_encode(),
            )),
        )
        .expect("the hostile receiver deploys");
    s.must(
        ADMIN,
        s.manager,
        &Manager::setRecipientsCall {
            treasury: hostile,
            slash_recipient: SINK,
        },
    );
    // A delegation so the pool can take rewards, then rewards whose protocol fee is the hostile's.
    let staker = s.user(1);
    s.must_value(
        staker,
        s.vault,
        ether(10),
        &Vault::depositCall { receiver: staker },
    );
    s.must(
        staker,
        s.lst,
        &Erc20::approveCall {
            spender: s.manager,
            value: U256::MAX,
        },
    );
    s.must(
        staker,
        s.manager,
        &Manager::delegateCall {
            operator: OPERATORS[0],
            assets: ether(5),
        },
    );
    s.must_value(
        staker,
        s.registries[0],
        ether(10),
        &Registry::distributeRewardsCall {
            operator: OPERATORS[0],
        },
    );
    let fees = s.view(s.manager, &Manager::claimableFeesCall { account: hostile });
    assert!(fees > U256::ZERO);
    let held = s.node.balance(s.manager);
    s.must(owner, hostile, &Manager::claimFeesCall {});
    assert_eq!(
        slot(&s.node, hostile, 1),
        U256::from(1),
        "the re-entry was attempted"
    );
    assert_eq!(slot(&s.node, hostile, 2), U256::ZERO, "the re-entry failed");
    assert_eq!(s.node.balance(hostile), fees, "paid exactly once");
    assert_eq!(s.node.balance(s.manager), held - fees);
    assert_eq!(
        s.view(s.manager, &Manager::claimableFeesCall { account: hostile }),
        U256::ZERO
    );
    // The operator's own fees are untouched.
    assert!(
        s.view(
            s.manager,
            &Manager::claimableFeesCall {
                account: OPERATORS[0]
            }
        ) > U256::ZERO
    );
}

#[test]
fn a_reused_permit_does_not_block_the_deposit() {
    let s = Suite::deploy();
    let (user, thief) = (&s.users[0], s.user(1));
    s.must_value(
        user.address,
        s.vault,
        ether(10),
        &Vault::depositCall {
            receiver: user.address,
        },
    );
    s.must_value(
        thief,
        s.vault,
        ether(1),
        &Vault::depositCall { receiver: thief },
    );
    let value = ether(5);
    let deadline = U256::from(s.node.timestamp() + HOUR);
    let (v, r, sig) = user.sign_permit(&s.node, s.lst, s.lrt, value, deadline);
    let permit = Permit::permitCall {
        owner: user.address,
        spender: s.lrt,
        value,
        deadline,
        v,
        r,
        s: sig,
    };
    // Someone copies the permit from the mempool and submits it first.
    s.must(thief, s.lst, &permit);
    // The user's own permit is now refused with a named error …
    let own = s.send(user.address, s.lst, U256::ZERO, &permit);
    assert!(
        own.revert::<abi::lst::ILstToken::ERC2612InvalidSigner>()
            .is_some(),
        "{own:?}"
    );
    // … the thief cannot spend the allowance (it names the LRT, and the LRT pulls from its
    // caller) …
    let pull = s.send(
        thief,
        s.lst,
        U256::ZERO,
        &Erc20::transferFromCall {
            from: user.address,
            to: thief,
            value,
        },
    );
    assert!(
        pull.revert::<abi::lst::ILstToken::ERC20InsufficientAllowance>()
            .is_some(),
        "{pull:?}"
    );
    let thief_lst = s.lst_of(thief);
    let stolen = s.send(
        thief,
        s.lrt,
        U256::ZERO,
        &Lrt::depositCall {
            assets: value,
            receiver: thief,
        },
    );
    assert!(
        !stolen.success,
        "a deposit by the thief spends the thief's own LST only"
    );
    assert_eq!(s.lst_of(thief), thief_lst);
    // … and the user's deposit goes through on the allowance the permit set.
    let shares = s.must(
        user.address,
        s.lrt,
        &Lrt::depositCall {
            assets: value,
            receiver: user.address,
        },
    );
    assert!(shares > U256::ZERO);
    assert_eq!(s.lrt_of(user.address), shares);
    assert_eq!(
        s.view(
            s.lst,
            &Erc20::allowanceCall {
                owner: user.address,
                spender: s.lrt
            }
        ),
        U256::ZERO
    );
}

/// `contract`'s extension program `ext` called directly runs on its own empty storage: each
/// of `admin_calls`, sent by the admin, reverts with `AccessControlUnauthorizedAccount`; each
/// of `unrouted` (the contract's constructor calldata and its own functions) reverts with no
/// data. Through `contract`, value sent to `pause()` (an extension function) is refused with
/// no data and an unknown selector reverts with no data. The admin role stays the contract's
/// and the extension holds none.
fn extension_holds_nothing(
    s: &Suite,
    contract: Address,
    ext: Address,
    admin_calls: Vec<Vec<u8>>,
    unrouted: Vec<Vec<u8>>,
) {
    // The access and pause ABI every governed contract shares (the LRT's bindings for all).
    let admin_at = |storage: Address| {
        s.view(
            storage,
            &Lrt::hasRoleCall {
                role: B256::ZERO,
                account: ADMIN,
            },
        )
    };
    assert!(admin_at(contract));
    assert!(!admin_at(ext));
    let grant = Lrt::grantRoleCall {
        role: B256::ZERO,
        account: ADMIN,
    };
    for call in [grant.abi_encode(), Lrt::pauseCall {}.abi_encode()]
        .into_iter()
        .chain(admin_calls)
    {
        let receipt = s
            .node
            .send(Tx::call(ADMIN, ext, call))
            .expect("a valid transaction");
        assert!(
            receipt
                .revert::<abi::lrt::ILrt::AccessControlUnauthorizedAccount>()
                .is_some(),
            "{receipt:?}"
        );
    }
    for call in unrouted {
        let receipt = s
            .node
            .send(Tx::call(ADMIN, ext, call))
            .expect("a valid transaction");
        assert!(!receipt.success && receipt.output.is_empty(), "{receipt:?}");
    }
    let receipt = s.send(ADMIN, contract, U256::from(1), &Lrt::pauseCall {});
    assert!(!receipt.success && receipt.output.is_empty(), "{receipt:?}");
    assert!(!s.view(contract, &Lrt::pausedCall {}));
    let receipt = s
        .node
        .send(Tx::call(ADMIN, contract, vec![0xde, 0xad, 0xbe, 0xef]))
        .expect("a valid transaction");
    assert!(!receipt.success && receipt.output.is_empty(), "{receipt:?}");
    assert!(admin_at(contract));
    assert!(!admin_at(ext));
}

#[test]
fn the_lrts_extension_called_directly_holds_nothing_and_grants_nothing() {
    let s = Suite::deploy();
    let ext = s.lrt_extension;
    // Through the LRT, the extension's functions run on the LRT's storage; called directly, on
    // its own empty storage: no links, no limits.
    assert_eq!(s.view(s.lrt, &Lrt::extensionCall {}), ext);
    assert_eq!(s.view(s.lrt, &Lrt::vaultCall {}), s.vault);
    assert_eq!(s.view(ext, &Lrt::vaultCall {}), Address::ZERO);
    assert_eq!(s.view(ext, &Lrt::minDepositCall {}), U256::ZERO);
    let limits = Lrt::setLimitsCall {
        min_deposit: U256::from(1),
        deposit_cap: U256::from(1),
        min_redeem: U256::from(1),
    };
    let create = Lrt::createShareCall {
        code: s.node.code(s.lrt_token),
    };
    let deposit = Lrt::depositCall {
        assets: U256::from(1),
        receiver: ADMIN,
    };
    extension_holds_nothing(
        &s,
        s.lrt,
        ext,
        vec![limits.abi_encode(), create.abi_encode()],
        vec![
            devnode::constructor_calldata(&(ADMIN, s.vault, s.allocator, ext).abi_encode_params()),
            deposit.abi_encode(),
            Lrt::extensionCall {}.abi_encode(),
        ],
    );
}

#[test]
fn the_vaults_extension_called_directly_holds_nothing_and_grants_nothing() {
    let s = Suite::deploy();
    let ext = s.view(s.vault, &Vault::extensionCall {});
    // Through the vault, the extension's views read the vault's storage; called directly, its
    // own empty storage.
    assert_eq!(
        s.view(s.vault, &Vault::treasuryCall {}),
        crate::suite::TREASURY
    );
    assert_eq!(s.view(ext, &Vault::treasuryCall {}), Address::ZERO);
    assert_eq!(s.view(ext, &Vault::minDepositCall {}), U256::ZERO);
    let create = Vault::createTokenCall {
        code: s.node.code(s.lst),
    };
    let args = (ADMIN, crate::suite::TREASURY, crate::suite::VALIDATORS, ext);
    extension_holds_nothing(
        &s,
        s.vault,
        ext,
        vec![
            Vault::setFeeCall { fee_bps: 0 }.abi_encode(),
            Vault::setTreasuryCall { treasury: ADMIN }.abi_encode(),
            create.abi_encode(),
        ],
        vec![
            devnode::constructor_calldata(&args.abi_encode_params()),
            Vault::depositCall { receiver: ADMIN }.abi_encode(),
            Vault::getRateCall {}.abi_encode(),
            Vault::extensionCall {}.abi_encode(),
        ],
    );
}

#[test]
fn the_tokens_take_mint_lock_and_burn_only_from_the_vault_that_created_them() {
    use crate::suite::abi::{lrt_token::ILrtToken as Share, lst::ILstToken as Lst};
    let s = Suite::deploy();
    let holder = s.user(0);
    s.must_value(
        holder,
        s.vault,
        ether(10),
        &Vault::depositCall { receiver: holder },
    );
    s.must_value(
        holder,
        s.lrt,
        ether(10),
        &Lrt::depositEthCall { receiver: holder },
    );
    let held = |token: Address, account: Address| s.view(token, &Erc20::balanceOfCall { account });
    for (token, vault) in [(s.lst, s.vault), (s.lrt_token, s.lrt)] {
        // An account, and a contract forwarding its calldata to the token: neither created it.
        let forwarder = s
            .node
            .deploy_evm(ADMIN, evm_init_code(&forwarding_code(token, 0)))
            .expect("the forwarder deploys");
        let before = (
            held(token, holder),
            held(token, vault),
            s.view(token, &Erc20::totalSupplyCall {}),
        );
        assert!(before.0 > U256::ZERO, "the holder has shares to lock");
        for (from, to, caller) in [(ADMIN, token, ADMIN), (ADMIN, forwarder, forwarder)] {
            let lst_calls = [
                Lst::mintCall {
                    to: holder,
                    shares: U256::from(1),
                }
                .abi_encode(),
                Lst::lockCall {
                    owner: holder,
                    shares: U256::from(1),
                }
                .abi_encode(),
                Lst::burnCall {
                    shares: U256::from(1),
                }
                .abi_encode(),
            ];
            let share_calls = [
                Share::mintCall {
                    to: holder,
                    shares: U256::from(1),
                }
                .abi_encode(),
                Share::lockCall {
                    owner: holder,
                    spender: holder,
                    shares: U256::from(1),
                }
                .abi_encode(),
                Share::burnCall {
                    shares: U256::from(1),
                }
                .abi_encode(),
            ];
            let calls = if token == s.lst {
                lst_calls
            } else {
                share_calls
            };
            for call in calls {
                let receipt = s
                    .node
                    .send(Tx::call(from, to, call))
                    .expect("a valid transaction");
                let refused = if token == s.lst {
                    receipt.revert::<Lst::LstNotVault>().map(|e| e.caller)
                } else {
                    receipt
                        .revert::<Share::LrtTokenNotVault>()
                        .map(|e| e.caller)
                };
                assert_eq!(refused, Some(caller), "{receipt:?}");
            }
        }
        assert_eq!(
            (
                held(token, holder),
                held(token, vault),
                s.view(token, &Erc20::totalSupplyCall {})
            ),
            before,
            "nothing moved"
        );
    }
}
