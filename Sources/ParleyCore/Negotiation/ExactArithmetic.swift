import Foundation

/// Exact decimal arithmetic for rates, with the single half-up rounding to money that
/// DESIGN.md asks for. Rates travel as `Decimal` (never binary floating point); money stays `Int64` minor units.
enum Exact {
    /// A percentage as a fraction: 12.5% → 0.125.
    static func fraction(_ percent: Percent) -> Decimal {
        Decimal(percent.basisPoints) / Decimal(10_000)
    }

    /// A whole amount of money as a decimal number of minor units.
    static func minor(_ money: Money) -> Decimal { Decimal(money.minorUnits) }

    /// Rounds half away from zero (half-up for the positive amounts money flows in) to `scale` decimals.
    static func roundHalfUp(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }

    /// Rounds a decimal number of minor units once, half-up, to a whole amount of money.
    static func money(minor value: Decimal, currency: Currency) throws(NegotiationError) -> Money {
        let rounded = roundHalfUp(value, scale: 0)
        guard let units = Int64(rounded.description) else {
            throw .money(.overflow(operation: "rounding \(value) to \(currency.code)"))
        }
        return Money(minorUnits: units, currency: currency)
    }

    /// A decimal for display with at most `scale` decimals, rounded half-up: "12.5", "33.33".
    static func text(_ value: Decimal, scale: Int = 2) -> String {
        roundHalfUp(value, scale: scale).description
    }

    /// `base` to a non-negative whole power, exactly as far as `Decimal`'s 38 digits go.
    static func power(_ base: Decimal, _ exponent: Int) -> Decimal {
        var result = Decimal(1)
        for _ in 0..<max(0, exponent) { result *= base }
        return result
    }
}
