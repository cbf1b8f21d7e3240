//! Unit-test host for contracts that call other contracts (feature `testing`).
//!
//! [`MockHost`] is the SDK's `TestVM` plus in-process callees: a handler registered for an
//! address answers every call to it, sees who called with what, and returns data or revert
//! data that the caller then reads back (the `TestVM` alone answers with the data of the most
//! recently registered mock, whatever was called). Calls to other addresses fall through to
//! the `TestVM`'s mocks. [`Erc20Ledger`] is such a handler: a model of the suite's LST token
//! with its vault-only `mint` / `burn` / `lock` and the standard ERC-20 calls, so a caller's
//! unit tests can check the balances its calls leave behind. Real multi-contract runs on the
//! release wasm belong to the local node's tests.
#![allow(unsafe_code)] // `UnsafeCallAccess` and `UnsafeDeploymentAccess` are unsafe traits.

use alloc::{
    boxed::Box,
    collections::{BTreeMap, BTreeSet},
    rc::Rc,
    string::String,
    vec,
    vec::Vec,
};
use core::{cell::RefCell, ops::Deref, slice};

use alloy_json_abi::{Function, JsonAbi, StateMutability};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolError, SolEvent};
use stylus_sdk::{
    host::VM,
    stylus_core::{
        AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host,
        MemoryAccess, MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess,
        UnsafeDeploymentAccess,
    },
    testing::TestVM,
    ArbResult,
};

use crate::{
    erc20::{
        Approval, ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
        ERC2612InvalidSigner, Transfer,
    },
    interfaces::{erc20_selectors as erc20, lst_selectors as lst},
    router::Route,
};

/// One call a contract made, as the callee saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Called {
    /// The calling contract.
    pub from: Address,
    /// The callee.
    pub to: Address,
    /// Calldata.
    pub data: Vec<u8>,
    /// Attached wei.
    pub value: U256,
    /// Whether it was a static call.
    pub is_static: bool,
    /// Whether it was a delegate call (`value` is then the caller's `msg.value`, which the
    /// callee's code sees).
    pub is_delegate: bool,
}

impl Called {
    /// The 4-byte selector (zeros for shorter calldata).
    #[must_use]
    pub fn selector(&self) -> [u8; 4] {
        let mut selector = [0; 4];
        if self.data.len() >= 4 {
            selector.copy_from_slice(&self.data[..4]);
        }
        selector
    }

    /// ABI word `index` of the arguments (zero past the end).
    #[must_use]
    pub fn word(&self, index: usize) -> B256 {
        let start = 4 + 32 * index;
        self.data
            .get(start..start + 32)
            .map_or(B256::ZERO, B256::from_slice)
    }

    /// Argument `index` read as an address.
    #[must_use]
    pub fn address(&self, index: usize) -> Address {
        Address::from_word(self.word(index))
    }

    /// Argument `index` read as a `uint256`.
    #[must_use]
    pub fn amount(&self, index: usize) -> U256 {
        U256::from_be_bytes(self.word(index).0)
    }
}

/// What a handler answers: return data, or revert data.
pub type Answer = Result<Vec<u8>, Vec<u8>>;

type Handler = Rc<RefCell<dyn FnMut(&Called) -> Answer>>;

#[derive(Default)]
struct Shared {
    handlers: BTreeMap<Address, Handler>,
    /// Return data of the last handled call; `None` after a call the `TestVM` answered.
    return_data: Option<Vec<u8>>,
    calls: Vec<Called>,
}

/// `TestVM` plus in-process callees. Dereferences to the `TestVM` for its setters.
#[derive(Clone)]
pub struct MockHost {
    vm: TestVM,
    shared: Rc<RefCell<Shared>>,
}

impl Default for MockHost {
    fn default() -> Self {
        Self::new(TestVM::default())
    }
}

impl Deref for MockHost {
    type Target = TestVM;

    fn deref(&self) -> &TestVM {
        &self.vm
    }
}

impl MockHost {
    /// Wraps `vm`.
    #[must_use]
    pub fn new(vm: TestVM) -> Self {
        Self {
            vm,
            shared: Rc::default(),
        }
    }

    /// Answers every call to `to` with `handler`.
    pub fn on_call(&self, to: Address, handler: impl FnMut(&Called) -> Answer + 'static) {
        self.shared
            .borrow_mut()
            .handlers
            .insert(to, Rc::new(RefCell::new(handler)));
    }

    /// Every call made so far, handled or not, in order.
    #[must_use]
    pub fn calls(&self) -> Vec<Called> {
        self.shared.borrow().calls.clone()
    }

    /// Forgets the recorded calls.
    pub fn clear_calls(&self) {
        self.shared.borrow_mut().calls.clear();
    }

    /// Records the call and lets its handler answer; `None` when no handler is registered.
    fn dispatch(&self, called: Called) -> Option<Answer> {
        let handler = self.shared.borrow().handlers.get(&called.to).cloned();
        let answer = handler.map(|handler| (handler.borrow_mut())(&called));
        let mut shared = self.shared.borrow_mut();
        shared.calls.push(called);
        shared.return_data = answer
            .as_ref()
            .map(|answer| answer.as_ref().map_or_else(Clone::clone, Clone::clone));
        answer
    }

    /// Writes the answer's length and returns the call status (0 success, 1 revert).
    fn status(answer: &Answer, outs_len: &mut usize) -> u8 {
        match answer {
            Ok(data) => {
                *outs_len = data.len();
                0
            }
            Err(data) => {
                *outs_len = data.len();
                1
            }
        }
    }

    /// Lets a handler answer a call (`value` `None`: a static call; `is_delegate`: a delegate
    /// call, which a handler runs on this host to model one); `None` when no handler is
    /// registered for the callee. Writes the answer's length to `outs_len` and returns the
    /// call status.
    ///
    /// # Safety
    /// `to` points to 20 readable bytes and `data` to `len`.
    unsafe fn intercept(
        &self,
        to: *const u8,
        data: *const u8,
        len: usize,
        value: Option<U256>,
        is_delegate: bool,
        outs_len: &mut usize,
    ) -> Option<u8> {
        let call = Called {
            from: self.vm.contract_address(),
            to: Address::from_slice(slice::from_raw_parts(to, 20)),
            data: slice::from_raw_parts(data, len).to_vec(),
            value: value.unwrap_or_default(),
            is_static: value.is_none(),
            is_delegate,
        };
        self.dispatch(call)
            .map(|answer| Self::status(&answer, outs_len))
    }
}

/// Implements a host trait for [`MockHost`] by handing every method to the `TestVM`.
macro_rules! delegate {
    ($(impl $trait:ident {
        $($(unsafe $($unsafe:lifetime)?)? fn $name:ident(&self $(, $arg:ident: $ty:ty)*) $(-> $ret:ty)?;)*
    })*) => {
        $(impl $trait for MockHost {
            $(
                $(unsafe $($unsafe)?)? fn $name(&self $(, $arg: $ty)*) $(-> $ret)? {
                    self.vm.$name($($arg),*)
                }
            )*
        })*
    };
}

impl Host for MockHost {}

delegate! {
    impl CryptographyAccess {
        fn native_keccak256(&self, input: &[u8]) -> B256;
    }
    impl StorageAccess {
        fn storage_load_bytes32(&self, key: U256) -> B256;
        unsafe fn storage_cache_bytes32(&self, key: U256, value: B256);
        fn flush_cache(&self, clear: bool);
    }
    impl BlockAccess {
        fn block_basefee(&self) -> U256;
        fn block_coinbase(&self) -> Address;
        fn block_number(&self) -> u64;
        fn block_timestamp(&self) -> u64;
        fn block_gas_limit(&self) -> u64;
    }
    impl ChainAccess {
        fn chain_id(&self) -> u64;
    }
    impl AccountAccess {
        fn balance(&self, account: Address) -> U256;
        fn contract_address(&self) -> Address;
        fn code(&self, account: Address) -> Vec<u8>;
        fn code_size(&self, account: Address) -> usize;
        fn code_hash(&self, account: Address) -> B256;
    }
    impl MemoryAccess {
        fn pay_for_memory_grow(&self, pages: u16);
    }
    impl MessageAccess {
        fn msg_sender(&self) -> Address;
        fn msg_reentrant(&self) -> bool;
        fn msg_value(&self) -> U256;
        fn tx_origin(&self) -> Address;
    }
    impl MeteringAccess {
        fn evm_gas_left(&self) -> u64;
        fn evm_ink_left(&self) -> u64;
        fn tx_gas_price(&self) -> U256;
        fn tx_ink_price(&self) -> u32;
    }
    impl RawLogAccess {
        fn emit_log(&self, input: &[u8], num_topics: usize);
        fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str>;
    }
}

impl CalldataAccess for MockHost {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }

    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let shared = self.shared.borrow();
        let Some(data) = &shared.return_data else {
            return self.vm.read_return_data(offset, size);
        };
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |size| (start + size).min(data.len()));
        data[start..end].to_vec()
    }

    fn return_data_size(&self) -> usize {
        match &self.shared.borrow().return_data {
            Some(data) => data.len(),
            None => self.vm.return_data_size(),
        }
    }

    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data);
    }
}

unsafe impl UnsafeDeploymentAccess for MockHost {
    unsafe fn create1(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        self.vm
            .create1(code, code_len, endowment, contract, revert_data_len);
    }

    unsafe fn create2(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        self.vm
            .create2(code, code_len, endowment, salt, contract, revert_data_len);
    }
}

unsafe impl UnsafeCallAccess for MockHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let value_u256 = U256::from_be_slice(slice::from_raw_parts(value, 32));
        self.intercept(to, data, data_len, Some(value_u256), false, outs_len)
            .unwrap_or_else(|| {
                self.vm
                    .call_contract(to, data, data_len, value, gas, outs_len)
            })
    }

    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.intercept(to, data, data_len, None, false, outs_len)
            .unwrap_or_else(|| {
                self.vm
                    .static_call_contract(to, data, data_len, gas, outs_len)
            })
    }

    unsafe fn delegate_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let value = self.vm.msg_value();
        self.intercept(to, data, data_len, Some(value), true, outs_len)
            .unwrap_or_else(|| {
                self.vm
                    .delegate_call_contract(to, data, data_len, gas, outs_len)
            })
    }
}

/// A model of the suite's LST token for callers' unit tests: balances, supply and allowances,
/// the vault-only `mint` / `burn` / `lock` (which panic when anyone but `minter` calls, a bug
/// in the test), `transfer`, `transferFrom`, `approve`, `balanceOf`, `totalSupply` and
/// `vault`, `allowance` and EIP-2612 `permit` (a signature is valid unless its `r` is zero or
/// was used before: a replay), with ERC-6093 revert data and the token's `Transfer` / `Approval` logs, written
/// into the caller's log list at the moment of the call (where a receipt has them). Transfers
/// to the token itself are refused as the real token refuses them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erc20Ledger {
    /// The token's address.
    pub token: Address,
    /// The only caller of `mint`, `burn` and `lock`; returned by `vault()`.
    pub minter: Address,
    /// Balances.
    pub balances: BTreeMap<Address, U256>,
    /// Allowances by (owner, spender).
    pub allowances: BTreeMap<(Address, Address), U256>,
    /// Total supply.
    pub supply: U256,
    /// The `r` of every permit used.
    pub used_permits: BTreeSet<B256>,
    /// Logs of the call being answered, moved to the host's log list when it returns.
    logs: Vec<(Vec<B256>, Vec<u8>)>,
}

impl Erc20Ledger {
    /// An empty ledger at `token`, minted by `minter`, answering calls made through `host`.
    /// Returns the shared ledger for inspection and snapshots.
    ///
    /// # Panics
    /// In calls to the token, as [`Self::answer`] does.
    pub fn install(host: &MockHost, token: Address, minter: Address) -> Rc<RefCell<Self>> {
        let ledger = Rc::new(RefCell::new(Self {
            token,
            minter,
            ..Self::default()
        }));
        let handle = Rc::clone(&ledger);
        let vm = host.vm.clone();
        host.on_call(token, move |called| {
            let mut ledger = handle.borrow_mut();
            let answer = ledger.answer(called);
            for (topics, data) in ledger.logs.drain(..) {
                if answer.is_ok() {
                    vm.raw_log(&topics, &data)
                        .expect("the TestVM takes any log");
                }
            }
            answer
        });
        ledger
    }

    /// Balance of `account`.
    #[must_use]
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(&account).copied().unwrap_or_default()
    }

    /// Answers one call to the token.
    ///
    /// # Errors
    /// ERC-6093 revert data, as the token reverts.
    ///
    /// # Panics
    /// On a call the model does not know, or a vault-only call from anyone but the minter.
    pub fn answer(&mut self, called: &Called) -> Answer {
        let selector = called.selector();
        if [lst::MINT, lst::BURN, lst::LOCK].contains(&selector) {
            assert_eq!(
                called.from, self.minter,
                "vault-only token call by a stranger"
            );
            assert!(
                !called.is_static,
                "a state-changing token call must not be static"
            );
        }
        match selector {
            lst::MINT => {
                let to = called.address(0);
                if to.is_zero() {
                    return Err(ERC20InvalidReceiver { receiver: to }.abi_encode());
                }
                let value = called.amount(1);
                self.supply += value;
                *self.balances.entry(to).or_default() += value;
                self.log_transfer(Address::ZERO, to, value);
                Ok(Vec::new())
            }
            lst::BURN => {
                let value = called.amount(0);
                self.debit(self.minter, value)?;
                self.supply -= value;
                self.log_transfer(self.minter, Address::ZERO, value);
                Ok(Vec::new())
            }
            lst::LOCK => {
                self.move_tokens(called.address(0), self.minter, called.amount(1))?;
                Ok(Vec::new())
            }
            erc20::TRANSFER => {
                self.move_tokens(called.from, called.address(0), called.amount(1))?;
                Ok(true_word())
            }
            erc20::TRANSFER_FROM => {
                let (owner, spender, value) = (called.address(0), called.from, called.amount(2));
                let allowance = self
                    .allowances
                    .get(&(owner, spender))
                    .copied()
                    .unwrap_or_default();
                if allowance < value {
                    return Err(ERC20InsufficientAllowance {
                        spender,
                        allowance,
                        needed: value,
                    }
                    .abi_encode());
                }
                self.move_tokens(owner, called.address(1), value)?;
                if allowance != U256::MAX {
                    self.allowances.insert((owner, spender), allowance - value);
                }
                Ok(true_word())
            }
            erc20::APPROVE => {
                self.approve(called.from, called.address(0), called.amount(1));
                Ok(true_word())
            }
            erc20::PERMIT => {
                let (owner, r) = (called.address(0), called.word(5));
                if r.is_zero() || !self.used_permits.insert(r) {
                    return Err(ERC2612InvalidSigner {
                        signer: Address::ZERO,
                        owner,
                    }
                    .abi_encode());
                }
                self.approve(owner, called.address(1), called.amount(2));
                Ok(Vec::new())
            }
            erc20::ALLOWANCE => Ok(B256::from(
                self.allowances
                    .get(&(called.address(0), called.address(1)))
                    .copied()
                    .unwrap_or_default(),
            )
            .to_vec()),
            erc20::BALANCE_OF => Ok(B256::from(self.balance_of(called.address(0))).to_vec()),
            erc20::TOTAL_SUPPLY => Ok(B256::from(self.supply).to_vec()),
            lst::VAULT => Ok(self.minter.into_word().to_vec()),
            other => panic!("Erc20Ledger: unknown selector {other:02x?}"),
        }
    }

    fn approve(&mut self, owner: Address, spender: Address, value: U256) {
        self.allowances.insert((owner, spender), value);
        self.logs.push((
            vec![
                Approval::SIGNATURE_HASH,
                owner.into_word(),
                spender.into_word(),
            ],
            B256::from(value).to_vec(),
        ));
    }

    /// A holder's transfer, as the token's `transfer` would make it (for tests that move
    /// shares between holders without a calling contract).
    ///
    /// # Errors
    /// ERC-6093 revert data.
    pub fn move_tokens(&mut self, from: Address, to: Address, value: U256) -> Result<(), Vec<u8>> {
        if to.is_zero() || to == self.token {
            return Err(ERC20InvalidReceiver { receiver: to }.abi_encode());
        }
        self.debit(from, value)?;
        *self.balances.entry(to).or_default() += value;
        self.log_transfer(from, to, value);
        Ok(())
    }

    fn log_transfer(&mut self, from: Address, to: Address, value: U256) {
        self.logs.push((
            vec![Transfer::SIGNATURE_HASH, from.into_word(), to.into_word()],
            B256::from(value).to_vec(),
        ));
    }

    fn debit(&mut self, from: Address, value: U256) -> Result<(), Vec<u8>> {
        let balance = self.balance_of(from);
        if balance < value {
            return Err(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }
            .abi_encode());
        }
        self.balances.insert(from, balance - value);
        Ok(())
    }
}

fn true_word() -> Vec<u8> {
    B256::from(U256::from(1)).to_vec()
}

/// The storage a test compares: the non-zero slots only (`TestVM` records a zero written to an
/// empty slot, which the chain would not).
#[must_use]
pub fn nonzero_storage(vm: &TestVM) -> BTreeMap<U256, B256> {
    vm.snapshot()
        .storage
        .into_iter()
        .filter(|(_, value)| !value.is_zero())
        .collect()
}

/// A unit-test fixture: one contract on the `TestVM` with models of what it calls, and the
/// checks every contract's tests make of a refused call.
pub trait Fixture {
    /// The contract under test.
    type Contract;
    /// Its error enum.
    type Error: PartialEq + core::fmt::Debug;
    /// Everything a call could change, through the views, the models and the raw storage.
    type State: PartialEq + core::fmt::Debug;
    /// What a revert restores besides the contract's storage: the models' state.
    type Models;

    /// The host.
    fn vm(&self) -> &TestVM;
    /// The contract, to call.
    fn contract(&mut self) -> &mut Self::Contract;
    /// A snapshot of [`Self::State`].
    fn state(&self) -> Self::State;
    /// The models' state, before a call that may revert.
    fn save_models(&self) -> Self::Models;
    /// Puts the models back after a reverted call.
    fn restore_models(&mut self, models: Self::Models);

    /// The call fails with `expected` before writing anything or emitting any event.
    ///
    /// # Panics
    /// When it does not.
    #[track_caller]
    fn rejects<T, E: Into<Self::Error>>(
        &mut self,
        expected: Self::Error,
        call: impl FnOnce(&mut Self::Contract) -> Result<T, E>,
    ) {
        let before = self.state();
        let logs = self.vm().get_emitted_logs().len();
        let result = call(self.contract()).map_err(Into::into);
        assert_eq!(result.err(), Some(expected));
        assert_eq!(self.state(), before, "a rejected call changed state");
        assert_eq!(
            self.vm().get_emitted_logs().len(),
            logs,
            "a rejected call emitted an event"
        );
    }

    /// The call fails with `expected`; its writes are rolled back as the host's revert does,
    /// and the state then equals the state before. `TestVM` can only drop the reverted call's
    /// logs together with the mocks, so this clears both.
    ///
    /// # Panics
    /// When the call does not fail with `expected`, or the state differs afterwards.
    #[track_caller]
    fn reverts<T, E: Into<Self::Error>>(
        &mut self,
        expected: Self::Error,
        call: impl FnOnce(&mut Self::Contract) -> Result<T, E>,
    ) {
        let before = self.state();
        let result = self.attempt(call);
        assert_eq!(result.err(), Some(expected));
        self.vm().clear_mocks();
        assert_eq!(self.state(), before, "state differs after the revert");
    }

    /// Runs `call` as a transaction: on an error, the contract's storage and the models go
    /// back to what they were.
    ///
    /// # Errors
    /// The call's error, converted to [`Self::Error`].
    fn attempt<T, E: Into<Self::Error>>(
        &mut self,
        call: impl FnOnce(&mut Self::Contract) -> Result<T, E>,
    ) -> Result<T, Self::Error> {
        let storage = self.vm().snapshot().storage;
        let models = self.save_models();
        let result = call(self.contract()).map_err(Into::into);
        if result.is_err() {
            let vm = self.vm();
            vm.clear_storage();
            for (key, value) in storage {
                vm.set_storage(key, value);
            }
            self.restore_models(models);
        }
        result
    }
}

/// A contract's routes ([`crate::router!`]'s `ROUTES`) are its golden ABI (`abi/NAME.json`):
/// every function routed at its selector, payable exactly where the ABI says so, nothing
/// else, and no selector twice.
///
/// # Panics
/// When they differ, or the ABI does not parse.
#[track_caller]
pub fn assert_routes_match_abi(table: &[Route], abi_json: &str) {
    let abi = JsonAbi::from_json_str(abi_json).expect("the golden ABI parses");
    let route = |function: &Function| {
        (
            function.selector().0,
            function.state_mutability == StateMutability::Payable,
        )
    };
    let mut expected: Vec<Route> = abi.functions().map(route).collect();
    expected.sort_unstable();
    let mut routed = table.to_vec();
    routed.sort_unstable();
    let missing: Vec<String> = abi
        .functions()
        .filter(|function| !routed.contains(&route(function)))
        .map(Function::signature)
        .collect();
    let extra: Vec<&Route> = routed
        .iter()
        .filter(|route| !expected.contains(route))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "routes differ from the golden ABI: not routed (or payability differs) {missing:?}, \
         routed but not in the ABI {extra:?}"
    );
    assert_eq!(routed.len(), expected.len(), "a function is routed twice");
    routed.dedup_by_key(|route| route.0);
    assert_eq!(routed.len(), expected.len(), "a selector is routed twice");
}

/// Calldata of the function `signature` (`"transfer(address,uint256)"`) with its ABI-encoded
/// `args`, for calling a router.
#[must_use]
pub fn calldata(signature: &str, args: &[u8]) -> Vec<u8> {
    [&alloy_primitives::keccak256(signature)[..4], args].concat()
}

/// Calls a contract's router (the `route` of [`crate::router!`]) with `calldata` on `host`,
/// from the host's sender with its value, as the SDK's `user_entrypoint` does.
///
/// # Errors
/// The revert data.
pub fn call_route<H: Host + Clone + 'static>(
    route: fn(Vec<u8>, VM) -> ArbResult,
    host: &H,
    calldata: Vec<u8>,
) -> ArbResult {
    route(
        calldata,
        VM {
            host: Box::new(host.clone()),
        },
    )
}

/// A contract's routing function (`route` or `route_extension` of [`crate::router!`]).
pub type RouteFn = fn(Vec<u8>, VM) -> ArbResult;

/// Calls a two-program contract's router (`route`) with `calldata` from `who` with `value`,
/// its extension program at `extension` modelled as the chain runs a delegate call: the
/// extension's router (`route_extension`) on the caller's own host (storage, sender, value).
/// The value is reset to zero afterwards.
///
/// # Errors
/// The revert data.
///
/// # Panics
/// When the contract calls the extension other than by delegate call.
pub fn call_route_with_extension(
    route: RouteFn,
    route_extension: RouteFn,
    host: &MockHost,
    extension: Address,
    who: Address,
    value: U256,
    calldata: Vec<u8>,
) -> ArbResult {
    let inner = host.clone();
    host.on_call(extension, move |called| {
        assert!(called.is_delegate, "the extension is only delegate-called");
        call_route(route_extension, &inner, called.data.clone())
    });
    host.set_sender(who);
    host.set_value(value);
    let answer = call_route(route, host, calldata);
    host.set_value(U256::ZERO);
    answer
}

/// The delegate calls made on `host` since its calls were last cleared.
#[must_use]
pub fn delegated(host: &MockHost) -> Vec<Called> {
    host.calls()
        .into_iter()
        .filter(|called| called.is_delegate)
        .collect()
}

/// A contract split over two programs (the staking vault, the LRT), as its tests describe it
/// to [`TwoPrograms::check`].
pub struct TwoPrograms {
    /// The contract's router and its extension's.
    pub routes: (RouteFn, RouteFn),
    /// The contract's and the extension program's addresses.
    pub addresses: (Address, Address),
    /// The contract's admin (`DEFAULT_ADMIN_ROLE`).
    pub admin: Address,
    /// An account holding no role.
    pub stranger: Address,
    /// An admin-only extension function, which the stranger is refused with
    /// `AccessControlUnauthorizedAccount(stranger, 0x00)`.
    pub admin_only: Vec<u8>,
    /// An extension view and what it answers on the contract's storage.
    pub view: (Vec<u8>, Vec<u8>),
    /// Functions the contract's own program runs.
    pub own: Vec<Vec<u8>>,
    /// The constructor's arguments, ABI-encoded.
    pub constructor_args: Vec<u8>,
}

impl TwoPrograms {
    /// Checks the routing of a deployed contract on `host` whose constructor was called
    /// directly (its guard not set):
    /// - a role granted by the admin through the extension lands in the contract's storage,
    ///   with one delegate call of the whole calldata; a view answers through it;
    /// - the extension's refusals come back unchanged: the stranger's admin-only call with its
    ///   named error, value sent to it and a selector neither program routes with no data;
    ///   calldata under four bytes never leaves the contract; nothing is written;
    /// - the contract's own functions never reach the extension, nor the constructor
    ///   selector, whose guard lets one call through and refuses the next;
    /// - the extension, called directly, routes no constructor.
    ///
    /// # Panics
    /// When any of that does not hold.
    #[allow(clippy::too_many_lines)] // one scenario, step by step
    pub fn check(&self, host: &MockHost) {
        let (contract, extension) = self.addresses;
        let send = |who: Address, value: U256, data: Vec<u8>| {
            call_route_with_extension(
                self.routes.0,
                self.routes.1,
                host,
                extension,
                who,
                value,
                data,
            )
        };
        let role = alloy_primitives::keccak256("PAUSER_ROLE");
        host.clear_calls();
        let grant = crate::calls::calldata(
            crate::interfaces::selector("grantRole(bytes32,address)"),
            &[role, self.stranger.into_word()],
        );
        assert_eq!(send(self.admin, U256::ZERO, grant.clone()), Ok(Vec::new()));
        assert_eq!(
            delegated(host),
            [Called {
                from: contract,
                to: extension,
                data: grant,
                value: U256::ZERO,
                is_static: false,
                is_delegate: true,
            }],
            "one delegate call with the caller's whole calldata"
        );
        let has_role = crate::calls::calldata(
            crate::interfaces::selector("hasRole(bytes32,address)"),
            &[role, self.stranger.into_word()],
        );
        assert_eq!(
            send(self.stranger, U256::ZERO, has_role),
            Ok(U256::from(1).to_be_bytes_vec()),
            "the role landed in the contract's storage"
        );
        assert_eq!(
            send(self.stranger, U256::ZERO, self.view.0.clone()),
            Ok(self.view.1.clone())
        );

        let before = host.snapshot().storage;
        host.clear_calls();
        let refusal = crate::access::AccessControlUnauthorizedAccount {
            account: self.stranger,
            neededRole: B256::ZERO,
        };
        assert_eq!(
            send(self.stranger, U256::ZERO, self.admin_only.clone()),
            Err(refusal.abi_encode())
        );
        assert_eq!(
            send(self.admin, U256::from(1), self.admin_only.clone()),
            Err(Vec::new()),
            "value sent to a function that takes none"
        );
        let unknown = crate::interfaces::selector("noSuchFunction()").to_vec();
        assert_eq!(send(self.admin, U256::ZERO, unknown), Err(Vec::new()));
        assert_eq!(delegated(host).len(), 3);
        assert_eq!(send(self.admin, U256::ZERO, vec![1, 2, 3]), Err(Vec::new()));
        assert_eq!(
            delegated(host).len(),
            3,
            "short calldata stays in the contract"
        );
        assert_eq!(host.snapshot().storage, before, "nothing written");

        host.clear_calls();
        for data in &self.own {
            assert!(send(self.stranger, U256::ZERO, data.clone()).is_ok());
        }
        let constructor = [
            &stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes()[..],
            &self.constructor_args[..],
        ]
        .concat();
        assert_eq!(
            send(self.admin, U256::ZERO, constructor.clone()),
            Ok(Vec::new())
        );
        assert_eq!(
            send(self.admin, U256::ZERO, constructor.clone()),
            Err(Vec::new())
        );
        assert!(delegated(host).is_empty(), "nothing reached the extension");

        let alone = MockHost::default();
        alone.set_contract_address(extension);
        assert_eq!(
            call_route(self.routes.1, &alone, constructor),
            Err(Vec::new())
        );
        assert!(alone.snapshot().storage.values().all(B256::is_zero));
    }
}
