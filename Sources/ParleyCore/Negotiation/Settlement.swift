import Foundation

/// A lump sum accepted in full and final settlement of a balance, if paid by the expiry date.
/// JSON: `balance`, `pay`, `discount` (money), `discountPercent` ("33.33", two decimals),
/// `expires` (date, absent when open-ended).
public struct Settlement: Hashable, Sendable, Codable {
    public var balance: Money
    /// What the debtor pays.
    public var pay: Money
    /// What the creditor gives up: balance − pay.
    public var discount: Money
    /// The last day the sum may be paid; after it the offer lapses and the full balance is owed.
    public var expires: CivilDate?

    /// The discount as an exact share of the balance, in percent (may have many decimals when
    /// the settlement was given as an amount: 100.00 settled for 66.67 is 33.33%).
    public var discountPercent: Decimal {
        Exact.minor(discount) * 100 / Exact.minor(balance)
    }

    /// Settles for `balance − discount% of balance`, the discount rounded half-up to the minor unit.
    public init(balance: Money, discount: Percent, expires: CivilDate? = nil) throws(NegotiationError) {
        try Settlement.checkBalance(balance)
        guard discount >= .zero, discount < .hundred else {
            throw .invalidTerm(term: "discount", value: discount.decimalString,
                               reason: "a discount runs from 0 to less than 100% (100% pays nothing: that is a write-off)")
        }
        let off = try checkedMoney { () throws(MoneyError) in try discount.of(balance) }
        let pay = try checkedMoney { () throws(MoneyError) in try balance.subtracting(off) }
        try self.init(balance: balance, pay: pay, expires: expires)
    }

    /// Settles for a given sum, which must be positive and no more than the balance.
    public init(balance: Money, pay: Money, expires: CivilDate? = nil) throws(NegotiationError) {
        try Settlement.checkBalance(balance)
        guard pay.currency == balance.currency else { throw .money(.mixedCurrencies(balance.currency, pay.currency)) }
        guard pay.isPositive else {
            throw .invalidTerm(term: "pay", value: pay.decimalString, reason: "a settlement must pay something")
        }
        guard pay <= balance else {
            throw .invalidTerm(term: "pay", value: pay.decimalString, reason: "more than the balance \(balance.decimalString)")
        }
        self.balance = balance
        self.pay = pay
        self.discount = try checkedMoney { () throws(MoneyError) in try balance.subtracting(pay) }
        self.expires = expires
    }

    private enum CodingKeys: String, CodingKey { case balance, pay, discount, discountPercent, expires }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(balance: c.decode(Money.self, forKey: .balance), pay: c.decode(Money.self, forKey: .pay),
                      expires: c.decodeIfPresent(CivilDate.self, forKey: .expires))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(balance, forKey: .balance)
        try c.encode(pay, forKey: .pay)
        try c.encode(discount, forKey: .discount)
        try c.encode(Exact.text(discountPercent), forKey: .discountPercent)
        try c.encodeIfPresent(expires, forKey: .expires)
    }

    private static func checkBalance(_ balance: Money) throws(NegotiationError) {
        guard balance.isPositive else {
            throw .invalidTerm(term: "amount", value: balance.decimalString, reason: "there is no balance to settle")
        }
    }
}

/// The debtor's word to pay an amount on a date.
public struct PromiseToPay: Hashable, Sendable, Codable {
    public var amount: Money
    public var date: CivilDate

    public init(amount: Money, date: CivilDate) throws(NegotiationError) {
        guard amount.isPositive else {
            throw .invalidTerm(term: "amount", value: amount.decimalString, reason: "a promise must be for a positive amount")
        }
        self.amount = amount
        self.date = date
    }
}

/// New payment terms for a business account: net 30 becomes net 45.
public struct RevisedTerms: Hashable, Sendable, Codable {
    public var previousNetDays: Int?
    public var newNetDays: Int

    /// Refused for a consumer, and for a term outside 1…365 days.
    public init(previousNetDays: Int? = nil, newNetDays: Int, debtorKind: DebtorKind) throws(NegotiationError) {
        guard debtorKind == .business else { throw .revisedTermsForConsumer }
        guard (1...365).contains(newNetDays) else {
            throw .invalidTerm(term: "net-days", value: String(newNetDays), reason: "net terms run from 1 to 365 days")
        }
        if let previousNetDays, newNetDays <= previousNetDays {
            throw .invalidTerm(term: "net-days", value: String(newNetDays),
                               reason: "revised terms give more time than the current net \(previousNetDays)")
        }
        self.previousNetDays = previousNetDays
        self.newNetDays = newNetDays
    }
}
