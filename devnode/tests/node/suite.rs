//! The whole suite on its release wasm, deployed and wired as in production: staking vault +
//! LST, allocation manager, restaking manager, two AVS registries, the LRT allocator, the LRT
//! and its share token; two registered operators opted into both registries, allocator targets
//! over both, roles held by separate accounts. The invariant suite and the attack tests start
//! from here.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use devnode::{Node, Receipt, Tx};
use k256::ecdsa::SigningKey;

use crate::support::{create_program, deploy_staking_vault, ether, release_wasm, stylus_code};

/// Typed bindings from the committed ABIs (one module per file: they share helper interfaces).
#[allow(missing_docs, clippy::pedantic)]
pub mod abi {
    pub mod vault {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/staking-vault.sol"
        );
    }
    pub mod lst {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/lst-token.sol"
        );
    }
    pub mod allocations {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/allocation-manager.sol"
        );
    }
    pub mod manager {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/restaking-manager.sol"
        );
    }
    pub mod registry {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/avs-registry.sol"
        );
    }
    pub mod allocator {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/lrt-allocator.sol"
        );
    }
    pub mod lrt {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/lrt.sol"
        );
    }
    pub mod lrt_token {
        alloy_sol_types::sol!(
            #[sol(all_derives)]
            "../abi/lrt-token.sol"
        );
    }
}

pub use abi::{
    allocations::IAllocationManager as Allocations, allocator::ILrtAllocator as Allocator,
    lrt::ILrt as Lrt, lst::ILstToken as Erc20, lst::ILstToken as Permit,
    manager::IRestakingManager as Manager, registry::IAvsRegistry as Registry,
    vault::IStakingVault as Vault,
};

/// Admin of every contract (and pauser).
pub const ADMIN: Address = Address::repeat_byte(0xAD);
/// The vault's oracle (`report`, `finalize`).
pub const ORACLE: Address = Address::repeat_byte(0x0C);
/// The keeper: `ALLOCATOR_ROLE` on the vault (validator funding), the allocator and the LRT
/// (fulfilment).
pub const KEEPER: Address = Address::repeat_byte(0x4B);
/// The validator operator (receives funded ETH, returns exited ETH).
pub const VALIDATORS: Address = Address::repeat_byte(0x0E);
/// Fee recipient of the vault and the manager.
pub const TREASURY: Address = Address::repeat_byte(0x7E);
/// Receives slashed LST.
pub const SINK: Address = Address::repeat_byte(0x51);
/// Holds `SLASHER_ROLE` on both registries.
pub const SLASHER: Address = Address::repeat_byte(0x5A);
/// The two operators.
pub const OPERATORS: [Address; 2] = [Address::repeat_byte(0x01), Address::repeat_byte(0x02)];
/// Deploys the LRT from its first nonce, so the allocator can be built with its address.
const LRT_DEPLOYER: Address = Address::repeat_byte(0xD1);
/// Operator fee (10%).
pub const OPERATOR_FEE_BPS: u16 = 1_000;
/// The allocator's targets: 60% and 20% of the LRT's assets, 20% idle buffer.
pub const TARGET_WEIGHTS: [u16; 2] = [6_000, 2_000];
/// The allocator's idle buffer.
pub const BUFFER_BPS: u16 = 2_000;
/// Stake each operator puts at risk for registry 0 and 1.
pub const ALLOCATION_BPS: [[u16; 2]; 2] = [[5_000, 3_000], [4_000, 6_000]];
/// Number of users.
pub const USERS: usize = 4;

/// `keccak256(name)` as a role id.
pub fn role(name: &str) -> B256 {
    keccak256(name)
}

/// A user: a secp256k1 key (for permits) and its address.
pub struct User {
    /// The signing key.
    pub key: SigningKey,
    /// Its address.
    pub address: Address,
}

impl User {
    /// The user with key `[seed; 32]`.
    ///
    /// # Panics
    /// For seed 0 (not a valid key).
    pub fn new(seed: u8) -> Self {
        let key = SigningKey::from_slice(&[seed; 32]).expect("a valid secp256k1 scalar");
        let point = key.verifying_key().to_encoded_point(false);
        let address = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
        Self { key, address }
    }

    /// A signed EIP-2612 permit `(v, r, s)` of `token` (domain read from the chain).
    pub fn sign_permit(
        &self,
        node: &Node,
        token: Address,
        spender: Address,
        value: U256,
        deadline: U256,
    ) -> (u8, B256, B256) {
        let domain = node
            .call(self.address, token, &Permit::DOMAIN_SEPARATORCall {})
            .expect("the token answers DOMAIN_SEPARATOR");
        let nonce = node
            .call(
                self.address,
                token,
                &Permit::noncesCall {
                    owner: self.address,
                },
            )
            .expect("the token answers nonces");
        let permit = keccak256(
            (
                keccak256(
                    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
                ),
                self.address,
                spender,
                value,
                nonce,
                deadline,
            )
                .abi_encode(),
        );
        let digest =
            keccak256([&[0x19_u8, 0x01][..], domain.as_slice(), permit.as_slice()].concat());
        let (signature, recovery) = self
            .key
            .sign_prehash_recoverable(digest.as_slice())
            .expect("signing a 32-byte prehash");
        let (r, s) = signature.split_bytes();
        (
            27 + u8::from(recovery.is_y_odd()),
            B256::from_slice(&r),
            B256::from_slice(&s),
        )
    }
}

/// The deployed suite.
pub struct Suite {
    /// The chain.
    pub node: Node,
    /// Staking vault.
    pub vault: Address,
    /// Its LST (ssETH).
    pub lst: Address,
    /// Allocation manager.
    pub allocations: Address,
    /// Restaking manager.
    pub manager: Address,
    /// Two AVS registries.
    pub registries: [Address; 2],
    /// The LRT's allocator.
    pub allocator: Address,
    /// The LRT (ERC-4626 / ERC-7540 vault).
    pub lrt: Address,
    /// Its share token (srETH).
    pub lrt_token: Address,
    /// Its extension program (roles, pause, admin setters, its own views).
    pub lrt_extension: Address,
    /// The users.
    pub users: Vec<User>,
}

impl Suite {
    /// Deploys and wires everything; users hold 1,000 ETH each and nothing else.
    ///
    /// # Panics
    /// When a deployment or wiring step fails.
    pub fn deploy() -> Self {
        let node = Node::new();
        let users: Vec<User> = (1..=u8::try_from(USERS).expect("few users"))
            .map(User::new)
            .collect();
        for user in &users {
            node.fund(user.address, ether(1_000));
        }
        for account in [
            ADMIN,
            ORACLE,
            KEEPER,
            VALIDATORS,
            TREASURY,
            SLASHER,
            LRT_DEPLOYER,
        ]
        .into_iter()
        .chain(OPERATORS)
        {
            node.fund(account, ether(1_000));
        }
        let deploy_from = |from: Address, name: &str, args: Vec<u8>| {
            node.deploy_stylus_code(from, &stylus_code(&release_wasm(name)), Some(&args))
                .unwrap_or_else(|e| panic!("{name} deploys: {e}"))
                .address
        };
        let deploy = |name: &str, args: Vec<u8>| deploy_from(ADMIN, name, args);
        let (vault, lst, _) = deploy_staking_vault(&node, ADMIN, TREASURY, VALIDATORS);
        let allocations = deploy("allocation-manager", ADMIN.abi_encode());
        let manager = deploy(
            "restaking-manager",
            (ADMIN, vault, allocations, TREASURY, SINK).abi_encode_params(),
        );
        let registries =
            [0, 1].map(|_| deploy("avs-registry", (manager, ADMIN).abi_encode_params()));
        // The LRT's extension program has no constructor.
        let lrt_extension = node
            .deploy_stylus_code(ADMIN, &stylus_code(&release_wasm("lrt-extension")), None)
            .unwrap_or_else(|e| panic!("lrt-extension deploys: {e}"))
            .address;
        // The LRT is its deployer's first creation; the allocator is built with that address.
        let lrt_address = LRT_DEPLOYER.create(node.nonce(LRT_DEPLOYER));
        let allocator = deploy(
            "lrt-allocator",
            (ADMIN, lrt_address, manager).abi_encode_params(),
        );
        let lrt = deploy_from(
            LRT_DEPLOYER,
            "lrt",
            (ADMIN, vault, allocator, lrt_extension).abi_encode_params(),
        );
        assert_eq!(lrt, lrt_address, "the LRT lands at the precomputed address");
        let (lrt_token, created) = create_program(
            &node,
            ADMIN,
            lrt,
            &Lrt::createShareCall {
                code: stylus_code(&release_wasm("lrt-token")).into(),
            },
        );
        assert_eq!(
            created.events::<abi::lrt::ILrt::ShareSet>(),
            [abi::lrt::ILrt::ShareSet { share: lrt_token }],
            "the LRT names its first creation"
        );
        assert_eq!(
            node.call(ADMIN, lrt_token, &abi::lrt_token::ILrtToken::vaultCall {})
                .expect("vault() answers"),
            lrt,
            "the creation code recorded the LRT in the token's slot 0"
        );
        assert_eq!(
            node.call(ADMIN, lrt, &Lrt::shareCall {})
                .expect("share() answers"),
            lrt_token
        );

        let suite = Self {
            node,
            vault,
            lst,
            allocations,
            manager,
            registries,
            allocator,
            lrt,
            lrt_token,
            lrt_extension,
            users,
        };
        suite.grant_roles();
        suite.register_operators();
        suite
    }

    /// Oracle, keeper, pauser and slasher roles; both registries whitelisted.
    fn grant_roles(&self) {
        let grant = |to: Address, name: &str, account: Address| {
            wire(
                &self.node,
                to,
                &abi::vault::IStakingVault::grantRoleCall {
                    role: role(name),
                    account,
                },
            );
        };
        grant(self.vault, "ORACLE_ROLE", ORACLE);
        grant(self.vault, "ALLOCATOR_ROLE", KEEPER);
        grant(self.allocator, "ALLOCATOR_ROLE", KEEPER);
        grant(self.lrt, "ALLOCATOR_ROLE", KEEPER);
        for contract in [
            self.vault,
            self.allocations,
            self.manager,
            self.allocator,
            self.lrt,
        ]
        .into_iter()
        .chain(self.registries)
        {
            grant(contract, "PAUSER_ROLE", ADMIN);
        }
        for registry in self.registries {
            grant(registry, "SLASHER_ROLE", SLASHER);
            wire(
                &self.node,
                self.allocations,
                &Allocations::setRegistryCall {
                    registry,
                    whitelisted: true,
                },
            );
        }
    }

    /// Both operators register (10% fee), opt into both registries and allocate to them; the
    /// keeper sets the allocator's targets over them.
    fn register_operators(&self) {
        for (operator, allocation) in OPERATORS.into_iter().zip(ALLOCATION_BPS) {
            self.must(
                operator,
                self.allocations,
                &Allocations::registerOperatorCall {
                    fee_bps: OPERATOR_FEE_BPS,
                    metadata_uri: "https://operator.example/metadata.json".into(),
                },
            );
            for (registry, bps) in self.registries.into_iter().zip(allocation) {
                self.must(operator, registry, &Registry::optInCall {});
                self.must(
                    operator,
                    self.allocations,
                    &Allocations::allocateCall { registry, bps },
                );
            }
        }
        self.must(
            KEEPER,
            self.allocator,
            &Allocator::setTargetsCall {
                operators: OPERATORS.to_vec(),
                weights_bps: TARGET_WEIGHTS.to_vec(),
                buffer_bps: BUFFER_BPS,
            },
        );
    }

    /// A mined call that must succeed.
    ///
    /// # Panics
    /// When it reverts.
    pub fn must<C: SolCall>(&self, from: Address, to: Address, call: &C) -> C::Return {
        self.node
            .transact(from, to, call)
            .unwrap_or_else(|e| panic!("{} from {from} failed: {e}", C::SIGNATURE))
            .returned
    }

    /// A mined call with value that must succeed.
    ///
    /// # Panics
    /// When it reverts.
    pub fn must_value<C: SolCall>(
        &self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> C::Return {
        self.node
            .transact_with_value(from, to, value, call)
            .unwrap_or_else(|e| panic!("{} from {from} failed: {e}", C::SIGNATURE))
            .returned
    }

    /// A view that must answer.
    ///
    /// # Panics
    /// When it reverts.
    pub fn view<C: SolCall>(&self, to: Address, call: &C) -> C::Return {
        self.node
            .call(ADMIN, to, call)
            .unwrap_or_else(|e| panic!("{} on {to} failed: {e}", C::SIGNATURE))
    }

    /// A mined call with value; the receipt whether it succeeded or not.
    ///
    /// # Panics
    /// When the transaction is invalid (not a revert: funds, nonce, gas).
    pub fn send<C: SolCall>(&self, from: Address, to: Address, value: U256, call: &C) -> Receipt {
        self.node
            .send(Tx::call(from, to, call.abi_encode()).value(value))
            .unwrap_or_else(|e| panic!("{} from {from}: invalid transaction: {e}", C::SIGNATURE))
    }

    /// LST balance of `account`.
    pub fn lst_of(&self, account: Address) -> U256 {
        self.view(self.lst, &Erc20::balanceOfCall { account })
    }

    /// srETH balance of `account`.
    pub fn lrt_of(&self, account: Address) -> U256 {
        self.view(self.lrt_token, &Erc20::balanceOfCall { account })
    }

    /// Address of user `i`.
    pub fn user(&self, i: usize) -> Address {
        self.users[i].address
    }
}

/// A wiring call by [`ADMIN`] that must succeed.
///
/// # Panics
/// When it is invalid or reverts.
fn wire<C: SolCall>(node: &Node, to: Address, call: &C) {
    let receipt = node
        .send(Tx::call(ADMIN, to, call.abi_encode()))
        .expect("a valid transaction");
    assert!(receipt.success, "wiring step on {to} failed: {receipt:?}");
}
