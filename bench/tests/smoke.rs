//! One operation of each suite through the bench code, so the benchmark cannot rot unnoticed.
//! Ignored by default (it deploys the three suites): `scripts/bench.sh` runs it before the
//! benchmark, after building the release wasm and compiling the baselines into
//! `target/solidity-bench`.

use std::path::PathBuf;

use lsr_bench::{baseline, run};

#[test]
#[ignore = "deploys the three suites; scripts/bench.sh runs it (cargo test -p lsr-bench -- --include-ignored)"]
fn a_mint_on_each_suite_costs_at_least_its_floor() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime (reason: the test machine has threads)");
    runtime.block_on(async {
        let artifacts = baseline::artifacts(&root.join("target/solidity-bench")).unwrap();
        let node = run::LocalNode::start();
        let scratch = std::env::temp_dir().join(format!("lsr-bench-smoke-{}", std::process::id()));
        let (stylus, _, programs, network) =
            run::deploy_stylus(&node, &root.join("target/wasm"), &scratch)
                .await
                .unwrap();
        assert_eq!(
            programs.len(),
            11,
            "nine contracts and the two extension programs"
        );
        let (solidity, modular, _) = run::deploy_solidity(&node, &artifacts, &network)
            .await
            .unwrap();
        for side in [&stylus, &solidity, &modular] {
            let minted = run::mint(&node, side).await.unwrap();
            // A first mint sets the holder's balance and the supply from zero, and logs.
            assert!(
                minted.floor.slots_set >= 1,
                "{}: {:?}",
                side.name,
                minted.floor
            );
            assert!(minted.floor.logs > 0, "{}", side.name);
            assert!(
                minted.gas >= minted.floor.total,
                "{}: {minted:?}",
                side.name
            );
        }
    });
}
