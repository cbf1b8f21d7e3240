//! The wallet's whole story against the local node in-process, through the built `lrt` binary:
//! stake → deposit (with a signed permit, then on an allowance) → zap → status → redeem → the keeper fulfils →
//! claim → withdraw-lst → the oracle reports and finalizes → claim-eth → rate, every `--json`
//! answer checked against the chain; refusals (an amount too precise, a redemption beyond the
//! balance, claims before fulfilment and finalization, a missing addresses file, a missing key
//! or a wrong keystore password) come back as sentences with a non-zero exit code.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use alloy::{
    primitives::{hex, Address, B256, U256},
    signers::local::PrivateKeySigner,
};
use lsr_deploy::{
    abi::{Erc20, Lrt, Vault},
    addresses::AddressBook,
    flows::{ether, Suite},
};
use serde_json::Value;

/// The test user's key (a constant: test only, funded on a fresh in-process chain).
const USER_KEY: B256 = B256::repeat_byte(0x42);

/// One run of `lrt`.
struct Run {
    ok: bool,
    json: Value,
    stderr: String,
}

struct Cli {
    url: String,
    addresses: PathBuf,
}

impl Cli {
    fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, Some(USER_KEY), &self.addresses)
    }

    fn run_with(&self, args: &[&str], key: Option<B256>, addresses: &Path) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lrt"));
        command
            .args(["--json", "--rpc-url", &self.url, "--addresses"])
            .arg(addresses)
            .args(args)
            .env_remove("PRIVATE_KEY");
        if let Some(key) = key {
            command.env("PRIVATE_KEY", hex::encode_prefixed(key));
        }
        let output = command.output().expect("the lrt binary runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!("lrt {args:?}: stdout is not JSON ({e}): {stdout}\n{stderr}")
        });
        Run {
            ok: output.status.success(),
            json,
            stderr,
        }
    }

    /// A successful run's JSON.
    fn ok(&self, args: &[&str]) -> Value {
        let run = self.run(args);
        assert!(run.ok, "lrt {args:?} failed: {}", run.stderr);
        run.json
    }

    /// A refused run's sentence (it is also the JSON's `error`).
    fn refused(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert!(!run.ok, "lrt {args:?} succeeded: {}", run.json);
        let error = run.json["error"]
            .as_str()
            .expect("an error field")
            .to_owned();
        assert!(run.stderr.contains(&error), "{}", run.stderr);
        error
    }
}

#[track_caller]
fn wei(value: &Value) -> U256 {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a string of wei"))
        .parse()
        .expect("a decimal number of wei")
}

#[track_caller]
fn id(value: &Value) -> U256 {
    let Some(id) = value.as_u64() else {
        panic!("{value} is not an id")
    };
    U256::from(id)
}

fn tx_fees(report: &Value) -> U256 {
    report["txs"]
        .as_array()
        .expect("txs")
        .iter()
        .map(|tx| wei(&tx["fee_wei"]))
        .sum()
}

async fn lst_of(suite: &Suite, account: Address) -> U256 {
    suite.lst_of(account).await.unwrap()
}

async fn lrt_of(suite: &Suite, account: Address) -> U256 {
    suite.lrt_of(account).await.unwrap()
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one story, told in order
async fn stake_restake_redeem_claim_withdraw_through_the_cli() {
    let (_node, suite) = e2e::suite("cli-story").await.unwrap();
    let c = suite.contracts;
    let admin = &suite.admin;
    let chain_id = admin.chain_id().await.unwrap();
    let cli = Cli {
        url: admin.url().to_owned(),
        addresses: AddressBook::path(&e2e::addresses_dir("cli-story"), chain_id),
    };
    let signer = PrivateKeySigner::from_bytes(&USER_KEY).unwrap();
    let user = signer.address();
    admin.transfer(user, ether(50)).await.unwrap();

    // Amounts are checked before anything is sent.
    let error = cli.refused(&["stake", "0.0000000000000000001"]);
    assert!(error.contains("at most 18"), "{error}");

    // stake 10 ETH → LST.
    let staked = cli.ok(&["stake", "10"]);
    assert_eq!(staked["command"], "stake");
    assert_eq!(wei(&staked["eth_wei"]), ether(10));
    assert_eq!(wei(&staked["lst_wei"]), lst_of(&suite, user).await);
    assert_eq!(staked["txs"].as_array().unwrap().len(), 1);

    // deposit 4 LST → LRT: the allowance is short, so the deposit carries a permit of exactly
    // 4 LST signed by the CLI: one transaction, no approve.
    let deposited = cli.ok(&["deposit", "4"]);
    assert_eq!(deposited["permit"], true);
    assert_eq!(deposited["txs"].as_array().unwrap().len(), 1);
    assert_eq!(deposited["txs"][0]["what"], "depositWithPermit");
    assert_eq!(wei(&deposited["lst_wei"]), ether(4));
    assert_eq!(wei(&deposited["lrt_wei"]), lrt_of(&suite, user).await);
    let allowance = admin
        .view(
            c.lst,
            &Erc20::allowanceCall {
                owner: user,
                spender: c.lrt,
            },
        )
        .await
        .unwrap();
    assert_eq!(allowance, U256::ZERO, "the permit was exactly the deposit");

    // With an allowance already in place a plain deposit is sent.
    let user_chain = admin.signing(signer.clone()).unwrap();
    user_chain
        .send(
            c.lst,
            U256::ZERO,
            &Erc20::approveCall {
                spender: c.lrt,
                value: ether(1),
            },
        )
        .await
        .unwrap();
    let before = lrt_of(&suite, user).await;
    let deposited = cli.ok(&["--wei", "deposit", &ether(1).to_string()]);
    assert_eq!(deposited["permit"], false);
    assert_eq!(deposited["txs"].as_array().unwrap().len(), 1);
    assert_eq!(deposited["txs"][0]["what"], "deposit");
    assert_eq!(
        wei(&deposited["lrt_wei"]),
        lrt_of(&suite, user).await - before
    );

    // zap 2 ETH → LRT.
    let before = lrt_of(&suite, user).await;
    let zapped = cli.ok(&["zap", "2"]);
    assert_eq!(wei(&zapped["eth_wei"]), ether(2));
    assert_eq!(wei(&zapped["lrt_wei"]), lrt_of(&suite, user).await - before);

    // status, with the key and read-only for an address.
    let status = cli.ok(&["status"]);
    assert_eq!(status["command"], "status");
    assert_eq!(wei(&status["lst_wei"]), lst_of(&suite, user).await);
    assert_eq!(wei(&status["lrt_wei"]), lrt_of(&suite, user).await);
    let lst_value = admin
        .view(
            c.vault,
            &Vault::convertToAssetsCall {
                shares: lst_of(&suite, user).await,
            },
        )
        .await
        .unwrap();
    assert_eq!(wei(&status["lst_eth_wei"]), lst_value);
    assert!(status["redemptions"]["pending"]
        .as_array()
        .unwrap()
        .is_empty());
    let read_only = cli.run_with(&["status", &user.to_string()], None, &cli.addresses);
    assert!(read_only.ok, "{}", read_only.stderr);
    assert_eq!(read_only.json["lrt_wei"], status["lrt_wei"]);

    // redeem more than the balance: the share token's refusal, in words.
    let error = cli.refused(&["redeem", "1000"]);
    assert!(error.contains("LRT, the command needs 1000 LRT"), "{error}");

    // redeem 1 LRT: a request id.
    let redeemed = cli.ok(&["redeem", "1"]);
    let redemption = id(&redeemed["request_id"]);
    let request = admin
        .view(
            c.lrt,
            &Lrt::redeemRequestCall {
                request_id: redemption,
            },
        )
        .await
        .unwrap();
    assert_eq!(request._0, user);
    assert_eq!(request._1, ether(1));
    assert_eq!(wei(&redeemed["lst_value_wei"]), request._2);
    let status = cli.ok(&["status"]);
    let pending = &status["redemptions"]["pending"][0];
    assert_eq!(id(&pending["id"]), redemption);
    assert_eq!(wei(&pending["locked_wei"]), ether(1));

    // Claims before the keeper fulfils are refused.
    let error = cli.refused(&["claim", &redemption.to_string()]);
    assert_eq!(
        error,
        format!("request {redemption} is not fulfilled yet: try again after the keeper fulfils it")
    );
    let error = cli.refused(&["claim"]);
    assert!(error.contains("1 pending"), "{error}");

    // The keeper fulfils; the claim pays the LST.
    suite.fulfil(redemption).await.unwrap();
    let status = cli.ok(&["status"]);
    assert_eq!(wei(&status["redemptions"]["claimable_lrt_wei"]), ether(1));
    let before = lst_of(&suite, user).await;
    let claimed = cli.ok(&["claim"]);
    assert_eq!(id(&claimed["request_ids"][0]), redemption);
    assert_eq!(wei(&claimed["lrt_wei"]), ether(1));
    assert_eq!(
        wei(&claimed["lst_wei"]),
        lst_of(&suite, user).await - before
    );
    assert!(wei(&claimed["lst_wei"]) > U256::ZERO);
    let error = cli.refused(&["claim", &redemption.to_string()]);
    assert!(error.contains("already been claimed"), "{error}");

    // withdraw-lst 1 LST: a request in the vault's queue.
    let withdrawn = cli.ok(&["withdraw-lst", "1"]);
    let withdrawal = id(&withdrawn["request_id"]);
    let request = admin
        .view(c.vault, &Vault::withdrawalRequestCall { id: withdrawal })
        .await
        .unwrap();
    assert_eq!(request._0, user);
    assert_eq!(wei(&withdrawn["eth_value_wei"]), request._2);

    // Claiming before finalization: the vault's own error, decoded.
    let error = cli.refused(&["claim-eth", &withdrawal.to_string()]);
    assert_eq!(
        error,
        format!("withdrawal request {withdrawal} is not finalized yet: try again after the oracle finalizes it")
    );

    // The oracle reports after the request (time moved on), then finalizes it.
    suite.report_and_finalize(withdrawal).await.unwrap();
    let status = cli.ok(&["status"]);
    let claimable = &status["withdrawals"]["claimable"][0];
    assert!(claimable.is_object(), "{status}");
    assert_eq!(id(&claimable["id"]), withdrawal);
    let payout = admin
        .view(c.vault, &Vault::withdrawalRequestCall { id: withdrawal })
        .await
        .unwrap()
        ._2;
    assert_eq!(wei(&claimable["value_wei"]), payout);

    // claim-eth (all finalized): the ETH arrives, less the gas.
    let before = admin.balance(user).await.unwrap();
    let claimed = cli.ok(&["claim-eth"]);
    assert_eq!(id(&claimed["claims"][0]["id"]), withdrawal);
    assert_eq!(wei(&claimed["eth_wei"]), payout);
    assert_eq!(
        admin.balance(user).await.unwrap(),
        before + payout - tx_fees(&claimed)
    );
    let error = cli.refused(&["claim-eth", &withdrawal.to_string()]);
    assert!(error.contains("already been claimed"), "{error}");

    // rate: the contracts' own numbers.
    let rates = cli.ok(&["rate"]);
    assert_eq!(
        wei(&rates["eth_per_lst_wei"]),
        suite.lst_rate().await.unwrap()
    );
    assert_eq!(
        wei(&rates["eth_per_lrt_wei"]),
        suite.lrt_rate().await.unwrap()
    );
    let lst_per_lrt = admin
        .view(c.lrt, &Lrt::convertToAssetsCall { shares: ether(1) })
        .await
        .unwrap();
    assert_eq!(wei(&rates["lst_per_lrt_wei"]), lst_per_lrt);

    // The key from an encrypted keystore, its password from LRT_KEYSTORE_PASSWORD.
    let keys = std::env::temp_dir().join(format!("lrt-keystore-{}", std::process::id()));
    std::fs::create_dir_all(&keys).unwrap();
    PrivateKeySigner::encrypt_keystore(
        &keys,
        &mut rand::thread_rng(),
        USER_KEY,
        "correct horse",
        Some("user.json"),
    )
    .unwrap();
    let keystore = |password: &str| {
        Command::new(env!("CARGO_BIN_EXE_lrt"))
            .args(["--json", "--rpc-url", &cli.url, "--addresses"])
            .arg(&cli.addresses)
            .arg("--keystore")
            .arg(keys.join("user.json"))
            .arg("status")
            .env_remove("PRIVATE_KEY")
            .env("LRT_KEYSTORE_PASSWORD", password)
            .output()
            .expect("the lrt binary runs")
    };
    let output = keystore("correct horse");
    assert!(output.status.success());
    let status: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["account"], user.to_string().to_lowercase());
    let output = keystore("wrong");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot decrypt"));
    let _ = std::fs::remove_dir_all(&keys);

    // Without an addresses file, and without a key, the CLI says what to do.
    let missing = cli.run_with(&["rate"], None, Path::new("/nonexistent/addresses.json"));
    assert!(!missing.ok);
    assert!(
        missing.stderr.contains("no addresses file") && missing.stderr.contains("--addresses"),
        "{}",
        missing.stderr
    );
    let broke = cli.run_with(
        &["stake", "1"],
        Some(B256::repeat_byte(0x43)),
        &cli.addresses,
    );
    assert!(!broke.ok);
    assert!(broke.stderr.contains("fund it"), "{}", broke.stderr);
    let keyless = cli.run_with(&["stake", "1"], None, &cli.addresses);
    assert!(!keyless.ok);
    assert!(keyless.stderr.contains("PRIVATE_KEY"), "{}", keyless.stderr);
}
