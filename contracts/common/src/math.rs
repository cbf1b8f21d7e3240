//! Fixed-point arithmetic with explicit rounding, and share conversion with a virtual offset.
//!
//! Every conversion in the suite goes through [`mul_div`] and names its [`Rounding`]; callers
//! pick the direction that favours the protocol (fewer shares out, more shares in, less value
//! out). Share tokens price against `total + VIRTUAL_*` so that an empty pool has a defined
//! rate of 1 and a first-depositor donation mostly accrues to the virtual shares, which makes
//! the inflation attack cost the attacker more than any victim loses.

use alloy_primitives::{aliases::U96, U128, U256};

crate::sol_abi! {
    /// An intermediate or final result did not fit in 256 bits (or a division by zero).
    #[derive(Debug, PartialEq, Eq)]
    error MathOverflow();
}

crate::contract_error! {
    /// The only way arithmetic fails: overflow of 256 bits.
    pub enum MathError only {
    /// See [`MathOverflow`].
    Overflow(MathOverflow {}),
    }
}

/// Result of checked arithmetic.
pub type MathResult<T = U256> = Result<T, MathError>;

/// Direction of rounding for a division.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// Towards zero (floor).
    Down,
    /// Away from zero (ceiling).
    Up,
}

/// Basis points in one whole (100%).
pub const BPS: u64 = 10_000;
/// One unit with 18 decimals.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// Virtual shares added to a share token's supply in every conversion.
pub const VIRTUAL_SHARES: U256 = U256::from_limbs([1_000, 0, 0, 0]);
/// Virtual assets added to a share token's assets in every conversion.
pub const VIRTUAL_ASSETS: U256 = U256::from_limbs([1_000, 0, 0, 0]);

fn overflow() -> MathError {
    MathError::Overflow(MathOverflow {})
}

/// `x * y / d` computed on the full 512-bit product, rounded as asked.
///
/// The product's low word is the wrapping product and its high word comes from
/// `mulmod(x, y, 2^256 − 1)`; the remainder, which decides the rounding, is `mulmod(x, y, d)`.
/// When the product fits in 256 bits (every amount the suite handles) the quotient is one
/// 256-bit division; otherwise, with the high word below `d`, a long division one bit per step
/// (256 steps). The two primitives, 256-bit division and `mulmod`, are Nitro's `math_div` and
/// `math_mul_mod` host functions on wasm (no division code in the contract) and ruint
/// natively. This is about a kilobyte of deployed code smaller than inverting `d` modulo 2^256
/// by Newton's iteration, for two more host calls (about 11 gas).
///
/// # Errors
/// [`MathOverflow`] when `d` is zero or the quotient does not fit in 256 bits.
#[allow(clippy::many_single_char_names)] // the textbook names: x × y / d
pub fn mul_div(x: U256, y: U256, d: U256, rounding: Rounding) -> MathResult {
    if d.is_zero() {
        return Err(overflow());
    }
    let low = mul_lo(x, y);
    let modulo_max = host::mul_mod_max(x, y);
    let high = modulo_max
        .wrapping_sub(low)
        .wrapping_sub(U256::from(modulo_max < low));
    let remainder = host::mul_mod(x, y, d);
    let quotient = if high.is_zero() {
        host::div(low, d)
    } else {
        if high >= d {
            return Err(overflow());
        }
        long_division(high, low, d)
    };
    round(quotient, !remainder.is_zero(), rounding)
}

/// The two 256-bit primitives [`mul_div`] needs.
#[cfg(not(target_arch = "wasm32"))]
mod host {
    use alloy_primitives::U256;

    /// `a / b` (`b` ≠ 0).
    pub fn div(a: U256, b: U256) -> U256 {
        a / b
    }

    /// `a × b mod m` on the full product.
    pub fn mul_mod(a: U256, b: U256, m: U256) -> U256 {
        a.mul_mod(b, m)
    }

    /// `a × b mod (2^256 − 1)`.
    pub fn mul_mod_max(a: U256, b: U256) -> U256 {
        a.mul_mod(b, U256::MAX)
    }
}

/// The two 256-bit primitives [`mul_div`] needs, as Nitro host functions (big-endian words,
/// the result overwrites the first operand).
#[cfg(target_arch = "wasm32")]
#[allow(unsafe_code)] // calls into the host's documented `vm_hooks` ABI
mod host {
    use alloy_primitives::U256;

    #[link(wasm_import_module = "vm_hooks")]
    extern "C" {
        fn math_div(value: *mut u8, divisor: *const u8);
        fn math_mul_mod(value: *mut u8, multiplier: *const u8, modulus: *const u8);
    }

    /// A host function's big-endian answer, converted in one place.
    #[inline(never)]
    fn from_be(value: [u8; 32]) -> U256 {
        U256::from_be_bytes(value)
    }

    /// `a / b` (`b` ≠ 0).
    pub fn div(a: U256, b: U256) -> U256 {
        let mut value = crate::abi::u256_word(&a).0;
        // SAFETY: both pointers are to live 32-byte buffers, as the host function requires.
        unsafe { math_div(value.as_mut_ptr(), crate::abi::u256_word(&b).0.as_ptr()) };
        from_be(value)
    }

    /// `a × b mod m` on the full product.
    pub fn mul_mod(a: U256, b: U256, m: U256) -> U256 {
        mul_mod_word(a, b, crate::abi::u256_word(&m))
    }

    /// `a × b mod (2^256 − 1)`, the modulus written from immediates (as a constant it would
    /// sit in the data segment, paid for on every call).
    pub fn mul_mod_max(a: U256, b: U256) -> U256 {
        mul_mod_word(
            a,
            b,
            crate::abi::from_limbs(u64::MAX, u64::MAX, u64::MAX, u64::MAX),
        )
    }

    /// `a × b mod m`, `m` as its big-endian word.
    fn mul_mod_word(a: U256, b: U256, m: alloy_primitives::B256) -> U256 {
        let mut value = crate::abi::u256_word(&a).0;
        // SAFETY: all three pointers are to live 32-byte buffers, as the host function requires.
        unsafe {
            math_mul_mod(
                value.as_mut_ptr(),
                crate::abi::u256_word(&b).0.as_ptr(),
                m.0.as_ptr(),
            );
        };
        from_be(value)
    }
}

/// `(high × 2²⁵⁶ + low) / divisor` for `high < divisor`: long division one bit per step, on
/// the limbs (`U256`'s generic shifts and bit access cost far more code).
#[inline(never)]
fn long_division(high: U256, low: U256, divisor: U256) -> U256 {
    let (mut rem, low, divisor) = (*high.as_limbs(), *low.as_limbs(), *divisor.as_limbs());
    let mut quotient = [0_u64; 4];
    let mut bit = 256;
    while bit > 0 {
        bit -= 1;
        // rem = rem × 2 + bit `bit` of low; `carry` is the bit shifted out.
        let carry = rem[3] >> 63;
        rem[3] = rem[3] << 1 | rem[2] >> 63;
        rem[2] = rem[2] << 1 | rem[1] >> 63;
        rem[1] = rem[1] << 1 | rem[0] >> 63;
        rem[0] = rem[0] << 1 | (low[bit / 64] >> (bit % 64)) & 1;
        if carry != 0 || !less(&rem, &divisor) {
            let mut borrow = false;
            for (limb, subtrahend) in rem.iter_mut().zip(divisor) {
                let (difference, under) = limb.overflowing_sub(subtrahend);
                let (difference, under_again) = difference.overflowing_sub(u64::from(borrow));
                *limb = difference;
                borrow = under || under_again;
            }
            quotient[bit / 64] |= 1 << (bit % 64);
        }
    }
    U256::from_limbs(quotient)
}

/// `left < right` on little-endian limbs.
fn less(left: &[u64; 4], right: &[u64; 4]) -> bool {
    for (l, r) in left.iter().rev().zip(right.iter().rev()) {
        if l != r {
            return l < r;
        }
    }
    false
}

/// The low 256 bits of `a × b`, out of line: [`mul_div`] needs it several times.
#[inline(never)]
fn mul_lo(a: U256, b: U256) -> U256 {
    a.wrapping_mul(b)
}

fn round(q: U256, inexact: bool, rounding: Rounding) -> MathResult {
    if inexact && rounding == Rounding::Up {
        q.checked_add(U256::from(1)).ok_or_else(overflow)
    } else {
        Ok(q)
    }
}

/// `amount * bps / 10_000`, rounded as asked.
///
/// # Errors
/// [`MathOverflow`] when the result does not fit (never for `bps <= 10_000`).
pub fn bps_of(amount: U256, bps: u64, rounding: Rounding) -> MathResult {
    mul_div(amount, U256::from(bps), U256::from(BPS), rounding)
}

/// `x` as a 128-bit storage integer.
///
/// # Errors
/// [`MathOverflow`] when `x ≥ 2^128`.
pub fn to_u128(x: U256) -> MathResult<U128> {
    if x > U256::from(u128::MAX) {
        return Err(overflow());
    }
    Ok(U128::from_limbs([x.as_limbs()[0], x.as_limbs()[1]]))
}

/// `x` as a 96-bit storage integer (packed next to an address in one slot).
///
/// # Errors
/// [`MathOverflow`] when `x ≥ 2^96` (about 7.9e28 wei: 79 billion tokens of 18 decimals).
pub fn to_u96(x: U256) -> MathResult<U96> {
    if x.bit_len() > 96 {
        return Err(overflow());
    }
    Ok(U96::from_limbs([x.as_limbs()[0], x.as_limbs()[1]]))
}

/// `a + b`, checked.
///
/// # Errors
/// [`MathOverflow`] on overflow.
pub fn add(a: U256, b: U256) -> MathResult {
    a.checked_add(b).ok_or_else(overflow)
}

/// `a - b`, checked.
///
/// # Errors
/// [`MathOverflow`] when `b > a` (an accounting invariant would be broken).
pub fn sub(a: U256, b: U256) -> MathResult {
    a.checked_sub(b).ok_or_else(overflow)
}

/// Shares worth `assets` in a pool of `total_assets` backing `total_shares`, with the virtual
/// offset: `assets × (total_shares + V_s) / (total_assets + V_a)`.
///
/// # Errors
/// [`MathOverflow`] on overflow.
pub fn to_shares(
    assets: U256,
    total_assets: U256,
    total_shares: U256,
    rounding: Rounding,
) -> MathResult {
    mul_div(
        assets,
        add(total_shares, VIRTUAL_SHARES)?,
        add(total_assets, VIRTUAL_ASSETS)?,
        rounding,
    )
}

/// Assets that `shares` are worth in a pool of `total_assets` backing `total_shares`:
/// `shares × (total_assets + V_a) / (total_shares + V_s)`.
///
/// # Errors
/// [`MathOverflow`] on overflow.
pub fn to_assets(
    shares: U256,
    total_assets: U256,
    total_shares: U256,
    rounding: Rounding,
) -> MathResult {
    mul_div(
        shares,
        add(total_assets, VIRTUAL_ASSETS)?,
        add(total_shares, VIRTUAL_SHARES)?,
        rounding,
    )
}

/// Assets that `shares` can redeem from a pool that must always cover every claim on it:
/// `shares × total_assets / (total_shares + V_s)`, rounded down. Unlike [`to_assets`] it adds
/// no virtual assets, so the claims of all `total_shares` together are worth less than
/// `total_assets` in every state, also after a loss that leaves fewer assets than shares
/// (slashing). Deposits into such a pool price with [`to_shares`]; a deposit followed by a
/// redemption still never gains.
///
/// # Errors
/// [`MathOverflow`] on overflow.
pub fn to_backed_assets(shares: U256, total_assets: U256, total_shares: U256) -> MathResult {
    mul_div(
        shares,
        total_assets,
        add(total_shares, VIRTUAL_SHARES)?,
        Rounding::Down,
    )
}

/// Shares to mint to a fee recipient so that, after minting, they are worth `fee` out of
/// `total_assets` (which already includes the gain the fee is taken from):
/// `fee × (total_shares + V_s) / (total_assets + V_a − fee)`, rounded down so the recipient
/// never receives more than `fee`.
///
/// # Errors
/// [`MathOverflow`] on overflow or when `fee > total_assets`.
pub fn fee_shares(fee: U256, total_assets: U256, total_shares: U256) -> MathResult {
    mul_div(
        fee,
        add(total_shares, VIRTUAL_SHARES)?,
        sub(add(total_assets, VIRTUAL_ASSETS)?, fee)?,
        Rounding::Down,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::U512;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn mul_div_rounds_in_the_named_direction() {
        assert_eq!(mul_div(u(10), u(10), u(3), Rounding::Down), Ok(u(33)));
        assert_eq!(mul_div(u(10), u(10), u(3), Rounding::Up), Ok(u(34)));
        assert_eq!(mul_div(u(9), u(10), u(3), Rounding::Up), Ok(u(30)));
    }

    #[test]
    fn mul_div_uses_the_full_product() {
        let max = U256::MAX;
        assert_eq!(mul_div(max, max, max, Rounding::Down), Ok(max));
        assert_eq!(
            mul_div(max, u(2), u(4), Rounding::Up),
            Ok((max >> 1) + u(1))
        );
    }

    #[test]
    fn mul_div_reports_overflow_and_division_by_zero() {
        assert_eq!(
            mul_div(U256::MAX, u(2), u(1), Rounding::Down),
            Err(overflow())
        );
        assert_eq!(
            mul_div(u(1), u(1), U256::ZERO, Rounding::Down),
            Err(overflow())
        );
        assert_eq!(mul_div(U256::MAX, u(1), u(1), Rounding::Up), Ok(U256::MAX));
    }

    #[test]
    fn to_u128_keeps_every_value_below_two_to_the_128() {
        assert_eq!(to_u128(U256::from(u128::MAX)), Ok(U128::from(u128::MAX)));
        assert_eq!(to_u128(u(12_345)), Ok(U128::from(12_345_u128)));
        assert_eq!(to_u128(U256::from(u128::MAX) + u(1)), Err(overflow()));
    }

    #[test]
    fn to_u96_keeps_every_value_below_two_to_the_96() {
        let max = (U256::from(1) << 96) - u(1);
        assert_eq!(to_u96(max), Ok(U96::MAX));
        assert_eq!(to_u96(u(12_345)), Ok(U96::from(12_345_u64)));
        assert_eq!(to_u96(max + u(1)), Err(overflow()));
        assert_eq!(to_u96(U256::MAX), Err(overflow()));
    }

    #[test]
    fn an_empty_pool_converts_one_to_one() {
        let one = WAD;
        assert_eq!(
            to_shares(one, U256::ZERO, U256::ZERO, Rounding::Down),
            Ok(one)
        );
        assert_eq!(
            to_assets(one, U256::ZERO, U256::ZERO, Rounding::Down),
            Ok(one)
        );
    }

    fn amount() -> impl Strategy<Value = U256> {
        (0u128..=10u128.pow(30)).prop_map(U256::from)
    }

    proptest! {
        #[test]
        fn mul_div_matches_the_exact_quotient(x in any::<u128>(), y in any::<u128>(), d in 1u128..) {
            let exact = U512::from(x) * U512::from(y);
            let (q, r) = exact.div_rem(U512::from(d));
            let down = mul_div(u(x), u(y), u(d), Rounding::Down).unwrap();
            let up = mul_div(u(x), u(y), u(d), Rounding::Up).unwrap();
            prop_assert_eq!(U512::from(down), q);
            prop_assert_eq!(U512::from(up), if r.is_zero() { q } else { q + U512::from(1) });
        }

        #[test]
        fn mul_div_matches_the_exact_quotient_over_the_full_range(
            x in any::<[u64; 4]>(), y in any::<[u64; 4]>(), d in any::<[u64; 4]>()
        ) {
            let (x, y, d) = (U256::from_limbs(x), U256::from_limbs(y), U256::from_limbs(d));
            prop_assume!(!d.is_zero());
            let (q, r) = (U512::from(x) * U512::from(y)).div_rem(U512::from(d));
            let fits = q <= U512::from(U256::MAX);
            let down = mul_div(x, y, d, Rounding::Down);
            let up = mul_div(x, y, d, Rounding::Up);
            if fits {
                prop_assert_eq!(U512::from(down.unwrap()), q);
                prop_assert_eq!(U512::from(up.unwrap()), if r.is_zero() { q } else { q + U512::from(1) });
            } else if q > U512::from(U256::MAX) {
                prop_assert!(down.is_err() && up.is_err());
            }
        }

        #[test]
        fn mul_div_is_exact_for_quotients_near_the_top(d in 1u64.., k in 1u64..) {
            // x × y just below d × 2^256 forces the 512-bit path with a quotient near U256::MAX.
            let d = U256::from(d) << 128;
            let x = U256::MAX;
            let y = d - U256::from(k);
            let (q, _) = (U512::from(x) * U512::from(y)).div_rem(U512::from(d));
            prop_assert_eq!(U512::from(mul_div(x, y, d, Rounding::Down).unwrap()), q);
        }

        #[test]
        fn a_round_trip_through_shares_never_gains(
            assets in amount(), total_assets in amount(), total_shares in amount()
        ) {
            let shares = to_shares(assets, total_assets, total_shares, Rounding::Down).unwrap();
            let back = to_assets(shares, total_assets, total_shares, Rounding::Down).unwrap();
            prop_assert!(back <= assets);
            let shares_in = to_shares(back, total_assets, total_shares, Rounding::Up).unwrap();
            prop_assert!(shares_in <= shares);
        }

        #[test]
        fn backed_claims_never_exceed_the_pool(
            total_assets in amount(), holdings in prop::collection::vec(amount(), 1..8)
        ) {
            let total_shares = holdings.iter().copied().fold(U256::ZERO, |a, b| a + b);
            let claims = holdings
                .iter()
                .map(|&shares| to_backed_assets(shares, total_assets, total_shares).unwrap())
                .fold(U256::ZERO, |a, b| a + b);
            prop_assert!(claims <= total_assets);
            // Never more than the virtual-offset value, which prices deposits.
            for &shares in &holdings {
                prop_assert!(
                    to_backed_assets(shares, total_assets, total_shares).unwrap()
                        <= to_assets(shares, total_assets, total_shares, Rounding::Down).unwrap()
                );
            }
        }

        #[test]
        fn a_deposit_then_a_backed_redemption_never_gains(
            assets in amount(), total_assets in amount(), total_shares in amount()
        ) {
            let shares = to_shares(assets, total_assets, total_shares, Rounding::Down).unwrap();
            let back =
                to_backed_assets(shares, total_assets + assets, total_shares + shares).unwrap();
            prop_assert!(back <= assets);
        }

        #[test]
        fn rounding_up_is_never_below_rounding_down(
            x in amount(), total_assets in amount(), total_shares in amount()
        ) {
            let down = to_shares(x, total_assets, total_shares, Rounding::Down).unwrap();
            let up = to_shares(x, total_assets, total_shares, Rounding::Up).unwrap();
            prop_assert!(up == down || up == down + u(1));
        }

        #[test]
        fn fee_shares_are_worth_the_fee_within_one_share(
            total_assets in amount(), total_shares in amount(), fee_num in 0u64..=10_000
        ) {
            let fee = bps_of(total_assets, fee_num, Rounding::Down).unwrap();
            let shares = fee_shares(fee, total_assets, total_shares).unwrap();
            let worth = to_assets(shares, total_assets, total_shares + shares, Rounding::Down)
                .unwrap();
            let one_share = to_assets(u(1), total_assets, total_shares + shares, Rounding::Up)
                .unwrap();
            prop_assert!(worth <= fee);
            prop_assert!(fee - worth <= one_share + u(1));
        }
    }
}
