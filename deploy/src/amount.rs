//! Amounts as people write them: decimal ETH units (`1.5`, `0.000000000000000001`) parsed
//! exactly into wei, or integer wei (the wallet's `--wei`); and wei written back exactly. The
//! network files' amounts and the wallet CLI's arguments both go through it.

use alloy::primitives::U256;

/// Decimals of ETH, LST and LRT.
pub const DECIMALS: usize = 18;

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Nothing was given.
    #[error("no amount given: write it in ETH units, such as 1.5 (or integer wei with --wei)")]
    Empty,
    /// A character other than digits and one decimal point.
    #[error("{0:?} is not an amount: write digits with at most one decimal point, such as 1.5 (no sign, exponent or separators)")]
    Malformed(String),
    /// More decimals than a wei can express.
    #[error("{0:?} has {1} decimals: amounts have at most 18 (1 wei = 0.000000000000000001)")]
    TooPrecise(String, usize),
    /// Above 2^256 − 1 wei.
    #[error("{0:?} is too large: the most is 2^256 - 1 wei")]
    TooLarge(String),
    /// `--wei` with a decimal point.
    #[error("{0:?} is not a whole number of wei: with --wei give an integer, or drop --wei to write ETH units")]
    FractionalWei(String),
    /// Zero, where something must move.
    #[error("the amount is zero: give a positive amount")]
    Zero,
}

/// `text` in ETH units (`"1.5"`, `".5"`, `"2."`, `"10"`) as wei, exactly.
///
/// # Errors
/// [`AmountError`] for empty or malformed text, more than 18 decimals, or an overflow.
pub fn parse_eth(text: &str) -> Result<U256, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return Err(AmountError::Malformed(text.to_owned()));
    }
    if fraction.len() > DECIMALS {
        return Err(AmountError::TooPrecise(text.to_owned(), fraction.len()));
    }
    let padded = format!("{whole}{fraction:0<DECIMALS$}");
    U256::from_str_radix(&padded, 10).map_err(|_| AmountError::TooLarge(text.to_owned()))
}

/// `text` as integer wei (`--wei`).
///
/// # Errors
/// [`AmountError`] for empty, fractional or malformed text, or an overflow.
pub fn parse_wei(text: &str) -> Result<U256, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if text.contains('.') {
        return Err(AmountError::FractionalWei(text.to_owned()));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::Malformed(text.to_owned()));
    }
    U256::from_str_radix(text, 10).map_err(|_| AmountError::TooLarge(text.to_owned()))
}

/// `text` as wei: integer wei when `wei`, else ETH units; zero refused.
///
/// # Errors
/// As [`parse_eth`] and [`parse_wei`], and [`AmountError::Zero`].
pub fn parse_amount(text: &str, wei: bool) -> Result<U256, AmountError> {
    let amount = if wei {
        parse_wei(text)?
    } else {
        parse_eth(text)?
    };
    if amount.is_zero() {
        return Err(AmountError::Zero);
    }
    Ok(amount)
}

/// `wei` in ETH units, exactly, without trailing zeros (`1.5`, `0.000000000000000001`, `10`).
#[must_use]
pub fn format_units(wei: U256) -> String {
    let unit = U256::from(10).pow(U256::from(DECIMALS));
    let whole = wei / unit;
    let fraction = wei % unit;
    if fraction.is_zero() {
        return whole.to_string();
    }
    let fraction = format!("{fraction:0>DECIMALS$}");
    format!("{whole}.{}", fraction.trim_end_matches('0'))
}

/// An amount in wei: written in ETH units ([`format_units`]) for people, and as a decimal
/// string of wei in JSON (exact, and safe from JavaScript's 53-bit numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Wei(pub U256);

impl std::fmt::Display for Wei {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_units(self.0))
    }
}

impl serde::Serialize for Wei {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wei(n: u128) -> U256 {
        U256::from(n)
    }

    #[test]
    fn decimal_amounts_parse_exactly() {
        assert_eq!(parse_eth("1.5"), Ok(wei(1_500_000_000_000_000_000)));
        assert_eq!(parse_eth("10"), Ok(wei(10_000_000_000_000_000_000)));
        assert_eq!(parse_eth(".5"), Ok(wei(500_000_000_000_000_000)));
        assert_eq!(parse_eth("2."), Ok(wei(2_000_000_000_000_000_000)));
        assert_eq!(parse_eth("0.000000000000000001"), Ok(wei(1)));
        assert_eq!(parse_eth(" 0.1 "), Ok(wei(100_000_000_000_000_000)));
        assert_eq!(parse_eth("007.25"), Ok(wei(7_250_000_000_000_000_000)));
    }

    #[test]
    fn more_than_eighteen_decimals_are_refused_not_rounded() {
        let error = parse_eth("0.0000000000000000001").unwrap_err();
        assert_eq!(
            error,
            AmountError::TooPrecise("0.0000000000000000001".into(), 19)
        );
        assert!(error.to_string().contains("at most 18"), "{error}");
    }

    #[test]
    fn signs_exponents_separators_and_words_are_refused() {
        for text in [
            "-1", "+1", "1e18", "1,5", "1.2.3", ".", "one", "0x10", "1_000",
        ] {
            assert!(
                matches!(parse_eth(text), Err(AmountError::Malformed(_))),
                "{text} was accepted"
            );
        }
        assert_eq!(parse_eth("  "), Err(AmountError::Empty));
    }

    #[test]
    fn amounts_beyond_u256_are_refused() {
        let huge = "1".repeat(80);
        assert!(matches!(parse_eth(&huge), Err(AmountError::TooLarge(_))));
        assert!(matches!(parse_wei(&huge), Err(AmountError::TooLarge(_))));
        assert_eq!(parse_wei(&U256::MAX.to_string()), Ok(U256::MAX));
    }

    #[test]
    fn wei_takes_integers_only() {
        assert_eq!(parse_wei("1500"), Ok(wei(1_500)));
        assert!(matches!(
            parse_wei("1.5"),
            Err(AmountError::FractionalWei(_))
        ));
        assert!(matches!(parse_wei("1e3"), Err(AmountError::Malformed(_))));
    }

    #[test]
    fn zero_is_refused_where_something_must_move() {
        assert_eq!(parse_amount("0.0", false), Err(AmountError::Zero));
        assert_eq!(parse_amount("0", true), Err(AmountError::Zero));
        assert_eq!(parse_amount("3", true), Ok(wei(3)));
        assert_eq!(parse_amount("3", false), Ok(wei(3_000_000_000_000_000_000)));
    }

    #[test]
    fn formatting_is_exact_and_trims_zeros() {
        assert_eq!(format_units(U256::ZERO), "0");
        assert_eq!(format_units(wei(1)), "0.000000000000000001");
        assert_eq!(format_units(wei(1_500_000_000_000_000_000)), "1.5");
        assert_eq!(format_units(wei(10_000_000_000_000_000_000)), "10");
        assert_eq!(
            format_units(wei(123_456_789_012_345_678)),
            "0.123456789012345678"
        );
    }

    #[test]
    fn wei_is_a_decimal_string_in_json_and_eth_units_in_words() {
        let amount = Wei(wei(1_500_000_000_000_000_000));
        assert_eq!(
            serde_json::to_string(&amount).unwrap(),
            "\"1500000000000000000\""
        );
        assert_eq!(amount.to_string(), "1.5");
    }

    #[test]
    fn formatting_then_parsing_gives_the_same_wei() {
        for n in [
            1_u128,
            999,
            10_u128.pow(18),
            10_u128.pow(18) + 1,
            123_456_789_987_654_321_000,
        ] {
            assert_eq!(parse_eth(&format_units(wei(n))), Ok(wei(n)));
        }
        assert_eq!(parse_eth(&format_units(U256::MAX)), Ok(U256::MAX));
    }
}
