//! The deploy tool against the local node served in-process: a full deployment verifies, a
//! second run sends nothing, role holders from the file are honoured, and a stale addresses
//! file is refused with a sentence.

use std::path::{Path, PathBuf};

use alloy::primitives::Address;
use devnode::deployer::STYLUS_DEPLOYER;
use lsr_deploy::{
    chain::Chain,
    config::Network,
    deploy,
    local::{dev_signer, serve, TestChain},
    DeployError, Options, Outcome,
};

fn wasm_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/wasm");
    assert!(
        dir.join("staking-vault.wasm").exists(),
        "{} has no release wasm: run scripts/build-wasm.sh first",
        dir.display()
    );
    dir
}

/// A fresh directory for this test's addresses file.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lsr-deploy-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn options(network: Network, test: &str) -> Options {
    Options {
        network,
        wasm_dir: wasm_dir(),
        addresses_dir: scratch(test),
    }
}

/// Whether the addresses file records `key`.
fn book_has(file: &std::path::Path, key: &str) -> bool {
    std::fs::read_to_string(file)
        .unwrap()
        .contains(&format!("\"{key}\""))
}

fn local() -> Network {
    Network::load(&Network::default_dir(), "local").expect("the committed local network parses")
}

#[tokio::test]
async fn a_second_deployment_sends_nothing_and_reads_the_same_suite() {
    let node = serve(&[(devnode::DEV_ACCOUNT, devnode::DEV_ACCOUNT_BALANCE)]);
    let url = format!("http://{}", node.addr());
    let chain = Chain::connect(&url, dev_signer()).unwrap();
    let options = options(local(), "twice");

    let first = deploy(&chain, &options, &|_| ()).await.unwrap();
    let deployed = first
        .steps
        .iter()
        .filter(|step| step.name.starts_with("deploy ") && step.outcome != Outcome::Skipped)
        .count();
    assert_eq!(
        deployed, 9,
        "seven contracts and the two extension programs through the StylusDeployer"
    );
    let created: Vec<_> = first
        .steps
        .iter()
        .filter(|step| {
            (step.name.starts_with("create ") || step.name.starts_with("activate "))
                && step.outcome != Outcome::Skipped
        })
        .map(|step| step.name.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        created,
        [
            "create lst-token",
            "activate lst-token",
            "create lrt-token",
            "activate lrt-token"
        ],
        "each vault creates its token, which the tool then activates"
    );
    assert!(book_has(&first.file, "staking-vault-extension"));
    assert!(book_has(&first.file, "lrt-extension"));
    assert!(book_has(&first.file, "lrt-token"));
    // The two tokens' creations and activations, 4 + 2 role grants and 2 whitelistings at
    // least (the rest is what the constructors and defaults did not already set).
    assert!(
        first.transactions() >= 9 + 4 + 6 + 2,
        "{}",
        first.transactions()
    );
    assert!(first.verified > 60, "{} views verified", first.verified);
    let book = std::fs::read_to_string(&first.file).unwrap();
    assert!(book.contains("\"staking-vault\""), "{book}");

    let deployer_nonce = chain.nonce(chain.from()).await.unwrap();
    let factory_nonce = chain.nonce(STYLUS_DEPLOYER).await.unwrap();
    let second = deploy(&chain, &options, &|_| ()).await.unwrap();
    assert_eq!(second.transactions(), 0);
    assert!(second
        .steps
        .iter()
        .all(|step| step.outcome == Outcome::Skipped));
    assert_eq!(second.contracts, first.contracts);
    assert_eq!(second.steps.len(), first.steps.len());
    assert_eq!(chain.nonce(chain.from()).await.unwrap(), deployer_nonce);
    assert_eq!(chain.nonce(STYLUS_DEPLOYER).await.unwrap(), factory_nonce);
}

#[tokio::test]
async fn role_holders_from_the_file_get_their_roles_and_the_deployer_steps_down() {
    let node = serve(&[(devnode::DEV_ACCOUNT, devnode::DEV_ACCOUNT_BALANCE)]);
    let url = format!("http://{}", node.addr());
    let chain = Chain::connect(&url, dev_signer()).unwrap();
    let mut network = local();
    let admin = Address::repeat_byte(0xAD);
    network.roles.admin = Some(admin);
    network.roles.oracle = Some(Address::repeat_byte(0x0C));
    network.roles.treasury = Some(Address::repeat_byte(0x7E));
    let options = options(network, "roles");

    let report = deploy(&chain, &options, &|_| ()).await.unwrap();
    let handover: Vec<_> = report
        .steps
        .iter()
        .filter(|step| step.name.starts_with("renounce"))
        .collect();
    assert_eq!(handover.len(), 7);
    // The verification read `hasRole(DEFAULT_ADMIN_ROLE, admin)` everywhere; the deployer no
    // longer holds it.
    let held = chain
        .view(
            report.contracts.vault,
            &lsr_deploy::abi::AccessControl::hasRoleCall {
                role: lsr_deploy::deploy::DEFAULT_ADMIN_ROLE,
                account: chain.from(),
            },
        )
        .await
        .unwrap();
    assert!(!held);
}

#[tokio::test]
async fn an_addresses_file_from_a_reset_chain_is_refused_with_what_to_do() {
    let chain = TestChain::Local(serve(&[(
        devnode::DEV_ACCOUNT,
        devnode::DEV_ACCOUNT_BALANCE,
    )]));
    let client = Chain::connect(&chain.url(), dev_signer()).unwrap();
    let options = options(local(), "stale");
    std::fs::create_dir_all(&options.addresses_dir).unwrap();
    std::fs::write(
        options.addresses_dir.join("412346.json"),
        r#"{ "chain_id": 412346, "contracts": { "staking-vault": "0x00000000000000000000000000000000000000aa" } }"#,
    )
    .unwrap();
    let error = deploy(&client, &options, &|_| ()).await.unwrap_err();
    assert!(matches!(error, DeployError::NoCode { .. }), "{error}");
    assert!(error.to_string().contains("Delete the file"), "{error}");
}

#[tokio::test]
async fn a_network_file_for_another_chain_is_refused() {
    let chain = TestChain::Local(serve(&[(
        devnode::DEV_ACCOUNT,
        devnode::DEV_ACCOUNT_BALANCE,
    )]));
    let client = Chain::connect(&chain.url(), dev_signer()).unwrap();
    let sepolia = Network::load(&Network::default_dir(), "arbitrum-sepolia").unwrap();
    let error = deploy(&client, &options(sepolia, "chain"), &|_| ())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            DeployError::WrongChain {
                expected: 421_614,
                actual: 412_346
            }
        ),
        "{error}"
    );
}
