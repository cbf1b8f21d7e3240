//! Fixed-point arithmetic with explicit rounding, and share conversion with a virtual offset.
//!
//! Every conversion in the suite goes through [`mul_div`] and names its [`Rounding`]; callers
//! pick the direction that favours the protocol (fewer shares out, more shares in, less value
//! out). Share tokens price against `total + VIRTUAL_*` so that an empty pool has a defined
//! rate of 1 and a first-depositor donation mostly accrues to the virtual shares, which makes
//! the inflation attack cost the attacker more than any victim loses.

use alloy_primitives::{ruint::UintTryFrom, U256, U512};
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

sol! {
    /// An intermediate or final result did not fit in 256 bits (or a division by zero).
    #[derive(Debug, PartialEq, Eq)]
    error MathOverflow();
}

/// The only way arithmetic fails: overflow of 256 bits.
#[derive(SolidityError, Debug, PartialEq, Eq)]
pub enum MathError {
    /// See [`MathOverflow`].
    Overflow(MathOverflow),
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
/// # Errors
/// [`MathOverflow`] when `d` is zero or the quotient does not fit in 256 bits.
#[allow(clippy::many_single_char_names)] // the textbook names: x × y / d = q rem r
pub fn mul_div(x: U256, y: U256, d: U256, rounding: Rounding) -> MathResult {
    if d.is_zero() {
        return Err(overflow());
    }
    if let Some(product) = x.checked_mul(y) {
        let (q, r) = product.div_rem(d);
        return round(q, !r.is_zero(), rounding);
    }
    let product: U512 = x.widening_mul(y);
    let (q, r) = product.div_rem(U512::from(d));
    let q = U256::uint_try_from(q).map_err(|_| overflow())?;
    round(q, !r.is_zero(), rounding)
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
