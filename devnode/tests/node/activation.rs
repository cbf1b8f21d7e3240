//! Activation through `ArbWasm`: the rules, the fee, the event, the views, and calls to programs
//! that are not activated.

use alloy_primitives::{keccak256, Address, U256};
use alloy_sol_types::{SolCall, SolError};
use devnode::{
    arbwasm::{ArbWasm, ARB_WASM},
    program, ActivationError, NodeError, Tx,
};

use crate::support::{node, wat, ALICE, ECHO};

fn activation_error(result: Result<devnode::Deployment, NodeError>) -> ActivationError {
    match result {
        Err(NodeError::Activation(e)) => e,
        other => panic!("expected an activation error, got {other:?}"),
    }
}

#[test]
fn an_activated_program_runs_and_the_activation_is_recorded() {
    let node = node();
    let wasm = wat(ECHO);
    let deployment = node.deploy_stylus(ALICE, &wasm, None).unwrap();
    let program = deployment.address;
    let code = node.code(program);
    assert!(program::is_stylus(&code));
    let code_hash = keccak256(&code);

    // The event, the return value and the fee.
    let activation = deployment.activation.unwrap();
    let events = activation.events::<ArbWasm::ProgramActivated>();
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.codehash, code_hash);
    assert_eq!(event.program, program);
    assert_eq!(event.version, 2);
    assert_eq!(
        event.moduleHash,
        keccak256(program::decompress(&code).unwrap())
    );
    let stats = program::analyze(&code).unwrap().stats;
    assert_eq!(event.dataFee, stats.data_fee());
    assert_eq!(deployment.data_fee, stats.data_fee());
    assert_eq!(node.balance(ARB_WASM), stats.data_fee());
    let returned = ArbWasm::activateProgramCall::abi_decode_returns(&activation.output).unwrap();
    assert_eq!((returned.version, returned.dataFee), (2, stats.data_fee()));

    // It runs.
    let echoed = node.send(Tx::call(ALICE, program, vec![1, 2, 3])).unwrap();
    assert!(echoed.success);
    assert_eq!(echoed.output.as_ref(), &[1, 2, 3]);

    // Views.
    let version = node
        .call(
            ALICE,
            ARB_WASM,
            &ArbWasm::codehashVersionCall {
                codehash: code_hash,
            },
        )
        .unwrap();
    assert_eq!(version, 2);
    let init = node
        .call(ALICE, ARB_WASM, &ArbWasm::programInitGasCall { program })
        .unwrap();
    assert_eq!(init.gas, stats.init_gas());
    assert_eq!(init.gasWhenCached, stats.cached_gas());
    let footprint = node
        .call(
            ALICE,
            ARB_WASM,
            &ArbWasm::programMemoryFootprintCall { program },
        )
        .unwrap();
    assert_eq!(footprint, 1);
    let left = node
        .call(ALICE, ARB_WASM, &ArbWasm::programTimeLeftCall { program })
        .unwrap();
    assert_eq!(left, 365 * 24 * 3600);
    let asm = node
        .call(
            ALICE,
            ARB_WASM,
            &ArbWasm::codehashAsmSizeCall {
                codehash: code_hash,
            },
        )
        .unwrap();
    assert_eq!(u64::from(asm), stats.asm_estimate());
    assert_eq!(
        node.call(ALICE, ARB_WASM, &ArbWasm::inkPriceCall {})
            .unwrap(),
        10_000
    );
    assert_eq!(
        node.call(ALICE, ARB_WASM, &ArbWasm::stylusVersionCall {})
            .unwrap(),
        2
    );
    assert_eq!(
        node.call(ALICE, ARB_WASM, &ArbWasm::freePagesCall {})
            .unwrap(),
        2
    );
    assert_eq!(
        node.call(ALICE, ARB_WASM, &ArbWasm::expiryDaysCall {})
            .unwrap(),
        365
    );
    let min = node
        .call(ALICE, ARB_WASM, &ArbWasm::minInitGasCall {})
        .unwrap();
    assert_eq!((min.gas, min.cached), (69 * 128, 11 * 32));
}

#[test]
fn activating_twice_is_refused_as_up_to_date() {
    let node = node();
    let program = node.deploy_stylus(ALICE, &wat(ECHO), None).unwrap().address;
    assert!(matches!(
        node.activate(ALICE, program),
        Err(NodeError::Activation(ActivationError::UpToDate))
    ));
    // The same code deployed again needs no activation, and runs.
    let again = node.deploy_stylus(ALICE, &wat(ECHO), None).unwrap();
    assert_ne!(again.address, program);
    assert!(again.activation.is_none());
    let echoed = node.send(Tx::call(ALICE, again.address, vec![5])).unwrap();
    assert_eq!(echoed.output.as_ref(), &[5]);
}

#[test]
fn too_little_value_is_refused_and_excess_value_refunded() {
    let node = node();
    let code = program::stylus_code(&wat(ECHO)).unwrap();
    let deploy = node
        .send(Tx::create(ALICE, program::deploy_init_code(&code)))
        .unwrap();
    let program = deploy.contract_address.unwrap();
    let fee = program::analyze(&code).unwrap().stats.data_fee();
    let call = ArbWasm::activateProgramCall { program }.abi_encode();

    let short = node
        .send(Tx::call(ALICE, ARB_WASM, call.clone()).value(fee - U256::from(1)))
        .unwrap();
    assert!(!short.success);
    assert_eq!(
        short.revert::<ArbWasm::ProgramInsufficientValue>(),
        Some(ArbWasm::ProgramInsufficientValue {
            have: fee - U256::from(1),
            want: fee
        })
    );

    let before = node.balance(ALICE);
    let paid = node
        .send(Tx::call(ALICE, ARB_WASM, call).value(fee * U256::from(3)))
        .unwrap();
    assert!(paid.success);
    let gas_fee = U256::from(paid.gas_used) * U256::from(node.config().basefee);
    assert_eq!(node.balance(ALICE), before - fee - gas_fee);
    assert_eq!(node.balance(ARB_WASM), fee);
}

#[test]
fn calling_a_program_that_is_not_activated_fails_with_program_not_activated() {
    let node = node();
    let code = program::stylus_code(&wat(ECHO)).unwrap();
    let deploy = node
        .send(Tx::create(ALICE, program::deploy_init_code(&code)))
        .unwrap();
    let program = deploy.contract_address.unwrap();
    let call = node.send(Tx::call(ALICE, program, vec![1])).unwrap();
    assert!(!call.success);
    assert_eq!(
        call.output.as_ref(),
        ArbWasm::ProgramNotActivated {}.abi_encode()
    );
    let view = node.call(ALICE, ARB_WASM, &ArbWasm::programVersionCall { program });
    assert!(view
        .unwrap_err()
        .revert_as::<ArbWasm::ProgramNotActivated>()
        .is_some());
}

#[test]
fn a_float_instruction_fails_activation() {
    let node = node();
    let floats = ECHO.replace(
        "(i32.const 0)))",
        "(drop (f32.add (f32.const 1) (f32.const 2))) (i32.const 0)))",
    );
    let error = activation_error(node.deploy_stylus(ALICE, &wat(&floats), None));
    assert!(matches!(error, ActivationError::Floats(_)), "{error}");
}

#[test]
fn an_unknown_import_fails_activation() {
    let node = node();
    let unknown = ECHO.replace(
        "(memory",
        r#"(import "vm_hooks" "read_secrets" (func (param i32))) (memory"#,
    );
    let error = activation_error(node.deploy_stylus(ALICE, &wat(&unknown), None));
    match error {
        ActivationError::Imports(reason) => assert!(reason.contains("read_secrets"), "{reason}"),
        other => panic!("{other}"),
    }
}

#[test]
fn a_missing_user_entrypoint_fails_activation() {
    let node = node();
    let renamed = ECHO.replace("\"user_entrypoint\"", "\"main\"");
    let error = activation_error(node.deploy_stylus(ALICE, &wat(&renamed), None));
    match error {
        ActivationError::Exports(reason) => {
            assert!(reason.contains("user_entrypoint"), "{reason}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn code_over_24576_bytes_fails_activation() {
    let node = node();
    let program = Address::repeat_byte(0x77);
    let mut code = program::STYLUS_PREFIX.to_vec();
    code.push(0);
    code.resize(24_577, 0x42);
    node.set_code(program, code);
    assert!(matches!(
        node.activate(ALICE, program),
        Err(NodeError::Activation(ActivationError::CodeTooLarge(24_577)))
    ));
}

#[test]
fn evm_code_and_unknown_dictionaries_fail_activation() {
    let node = node();
    let evm = Address::repeat_byte(0x78);
    node.set_code(evm, vec![0x60, 0x00]);
    let error = node.activate(ALICE, evm).unwrap_err();
    assert!(matches!(
        error,
        NodeError::Activation(ActivationError::NotWasm)
    ));

    let dictionary = Address::repeat_byte(0x79);
    node.set_code(dictionary, vec![0xEF, 0xF0, 0x00, 0x09, 0x00]);
    assert!(matches!(
        node.activate(ALICE, dictionary),
        Err(NodeError::Activation(ActivationError::UnknownDictionary(9)))
    ));
    // The revert data of a refusal without a custom error is `Error(string)`.
    let raw = node
        .send(Tx::call(
            ALICE,
            ARB_WASM,
            ArbWasm::activateProgramCall {
                program: dictionary,
            }
            .abi_encode(),
        ))
        .unwrap();
    let reason = alloy_sol_types::Revert::abi_decode(&raw.output)
        .unwrap()
        .reason;
    assert!(reason.contains("unknown brotli dictionary 9"), "{reason}");
}

#[test]
fn unsupported_instructions_and_unpaid_memory_growth_fail_activation() {
    let node = node();
    let memory_init = ECHO
        .replace(
            "(memory (export \"memory\") 1 1)",
            "(memory (export \"memory\") 1 1) (data \"abc\")",
        )
        .replace(
            "(i32.const 0)))",
            "(memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)) (i32.const 0)))",
        );
    let error = activation_error(node.deploy_stylus(ALICE, &wat(&memory_init), None));
    match error {
        ActivationError::Module(reason) => assert!(reason.contains("memory.init"), "{reason}"),
        other => panic!("{other}"),
    }
    let growable = ECHO.replace(
        "(memory (export \"memory\") 1 1)",
        "(memory (export \"memory\") 1 2)",
    );
    let error = activation_error(node.deploy_stylus(ALICE, &wat(&growable), None));
    match error {
        ActivationError::Imports(reason) => {
            assert!(reason.contains("pay_for_memory_grow"), "{reason}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn programs_expire_after_a_year_unless_kept_alive() {
    let node = node();
    let deployment = node.deploy_stylus(ALICE, &wat(ECHO), None).unwrap();
    let (program, fee) = (deployment.address, deployment.data_fee);
    let codehash = keccak256(node.code(program));
    let keepalive = ArbWasm::codehashKeepaliveCall { codehash }.abi_encode();

    // Too soon: under 31 days old.
    let early = node
        .send(Tx::call(ALICE, ARB_WASM, keepalive.clone()).value(fee))
        .unwrap();
    assert_eq!(
        early.revert::<ArbWasm::ProgramKeepaliveTooSoon>(),
        Some(ArbWasm::ProgramKeepaliveTooSoon { ageInSeconds: 0 })
    );
    // After 200 days a keepalive restarts the year.
    node.warp(200 * 86_400);
    let kept = node
        .send(Tx::call(ALICE, ARB_WASM, keepalive).value(fee))
        .unwrap();
    assert!(kept.success, "{kept:?}");
    assert_eq!(
        kept.events::<ArbWasm::ProgramLifetimeExtended>(),
        vec![ArbWasm::ProgramLifetimeExtended {
            codehash,
            dataFee: fee
        }]
    );
    node.warp(300 * 86_400);
    assert!(
        node.send(Tx::call(ALICE, program, vec![1]))
            .unwrap()
            .success
    );
    // A year and a day without keepalive: expired.
    node.warp(366 * 86_400);
    let expired = node.send(Tx::call(ALICE, program, vec![1])).unwrap();
    assert_eq!(
        expired.revert::<ArbWasm::ProgramExpired>(),
        Some(ArbWasm::ProgramExpired {
            ageInSeconds: 666 * 86_400
        })
    );
}
