import ArgumentParser
import Foundation
import ParleyCore

/// `parley calc plan|settlement|interest`: the offer and interest arithmetic, no account needed.
struct CalcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calc",
        abstract: "The offer and interest arithmetic, without an account.",
        discussion: "Conventions (rounding, day count, dates) are described in Docs/negotiation.md.",
        subcommands: [Plan.self, Settle.self, Interest.self]
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    /// Options every calc command shares.
    struct Common: ParsableArguments {
        @Option(help: "The amount owed, e.g. 1234.56 (the currency's own decimals).")
        var amount: String

        @Option(help: "ISO 4217 currency code, e.g. EUR, GBP, USD, JPY.")
        var currency: String

        @Option(help: "A policy TOML file (default: the bundled policy).")
        var policy: String?

        @Option(help: "text (an aligned table) or json.")
        var format: OutputFormat = .text

        func parsedCurrency() throws -> Currency {
            do { return try Currency(code: currency) } catch {
                throw InputError("--currency \"\(currency)\": \(error)")
            }
        }

        func parsedAmount() throws -> Money {
            try CalcCommand.money(amount, option: "amount", currency: parsedCurrency())
        }

        func loadedPolicy() throws -> Policy {
            guard let policy else { return .standard }
            do { return try Policy.load(contentsOf: policy) } catch {
                throw InputError("--policy \(policy): \(error)")
            }
        }
    }

    /// `--role` asks whether the offer is within that role's authority under the policy,
    /// counting plan days from `--as-of` (today by default).
    struct AuthorityOptions: ParsableArguments {
        @Option(help: "collector or supervisor: also check the offer against this role's authority.")
        var role: String?

        @Option(name: .customLong("as-of"), help: "The offer date for the authority check (YYYY-MM-DD; default today).")
        var asOf: String?

        func check(_ offer: Offer, policy: @autoclosure () throws -> Policy) throws -> AuthorityCheck? {
            guard let role else { return nil }
            guard let parsedRole = Role(rawValue: role.lowercased()) else {
                throw InputError("--role \"\(role)\": expected collector or supervisor")
            }
            let day = try asOf.map { try CalcCommand.date($0, option: "as-of") } ?? CalcCommand.today()
            let policy = try policy()
            return try CalcCommand.domain { () throws(NegotiationError) in
                try AuthorityCheck.check(offer, role: parsedRole, policy: policy, asOf: day)
            }
        }
    }

    // MARK: plan

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An installment schedule: date, payment, principal, interest, remaining.",
            discussion: """
                --first is the date of the plan's first payment. With --deposit and no --deposit-date the \
                deposit is paid on --first and the installments follow one period later. Without --apr the \
                installments are equal with the remainder on the last; with --apr the plan is amortised and \
                the final payment absorbs the rounding.
                """
        )

        @OptionGroup var common: Common

        @Option(help: "Number of installments after the deposit.")
        var installments: Int

        @Option(help: "week, fortnight or month.")
        var every: String

        @Option(help: "Date of the first payment (YYYY-MM-DD).")
        var first: String

        @Option(help: "Paid up front, e.g. 100.00.")
        var deposit: String?

        @Option(name: .customLong("deposit-date"), help: "When the deposit is paid, if not on --first.")
        var depositDate: String?

        @Option(help: "Annual percentage rate, e.g. 12 or 9.9.")
        var apr: String?

        @OptionGroup var authority: AuthorityOptions

        func run() throws { try CalcCommand.reporting(body) }

        private func body() throws {
            let total = try common.parsedAmount()
            guard let frequency = PaymentFrequency(rawValue: every.lowercased()) else {
                throw InputError("--every \"\(every)\": expected week, fortnight or month")
            }
            let request = PlanRequest(
                total: total,
                deposit: try deposit.map { try CalcCommand.money($0, option: "deposit", currency: total.currency) },
                depositDate: try depositDate.map { try CalcCommand.date($0, option: "deposit-date") },
                installments: installments, frequency: frequency,
                first: try CalcCommand.date(first, option: "first"),
                apr: try apr.map { try CalcCommand.percent($0, option: "apr") })
            let plan = try CalcCommand.domain { () throws(NegotiationError) in try InstallmentPlan(request) }
            let check = try authority.check(.plan(plan), policy: try common.loadedPolicy())

            switch common.format {
            case .json: try CalcCommand.printJSON(WithAuthority(value: plan, authority: check))
            case .text:
                let aprText = request.apr.map { $0.basisPoints > 0 ? ", APR \($0)" : "" } ?? ""
                let per = ["week": "weekly", "fortnight": "fortnightly", "month": "monthly"][frequency.rawValue]!
                print("Plan: \(total.formatted) in \(request.installments) \(per) installments from \(plan.rows.first { $0.kind == .installment }?.date.iso ?? request.first.iso)\(aprText)"
                      + (request.deposit.isPositive ? ", deposit \(request.deposit.formatted)" : ""))
                print("")
                var table: [[String]] = [["#", "Date", "Payment", "Principal", "Interest", "Remaining"]]
                for row in plan.rows {
                    table.append([row.kind == .deposit ? "deposit" : String(row.number), row.date.iso,
                                  amount(row.payment), amount(row.principal), amount(row.interest), amount(row.remaining)])
                }
                table.append(["Total", "", amount(plan.totalPaid), amount(plan.totalPrincipal), amount(plan.totalInterest), ""])
                CalcCommand.printTable(table, rightAligned: [2, 3, 4, 5], ruleBeforeLast: true)
                CalcCommand.printAuthority(check)
            }
        }
    }

    // MARK: settlement

    struct Settle: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settlement",
            abstract: "A lump-sum settlement: what is paid and what is given up."
        )

        @OptionGroup var common: Common

        @Option(help: "Discount in percent, e.g. 15 (give this or --pay).")
        var discount: String?

        @Option(help: "The sum the debtor pays (give this or --discount).")
        var pay: String?

        @Option(help: "Last day the sum may be paid (YYYY-MM-DD).")
        var expires: String?

        @OptionGroup var authority: AuthorityOptions

        func validate() throws {
            if (discount == nil) == (pay == nil) {
                throw ValidationError("give exactly one of --discount PCT or --pay AMOUNT")
            }
        }

        func run() throws { try CalcCommand.reporting(body) }

        private func body() throws {
            let balance = try common.parsedAmount()
            let expiry = try expires.map { try CalcCommand.date($0, option: "expires") }
            let settlement: Settlement
            if let discount {
                let pct = try CalcCommand.percent(discount, option: "discount")
                settlement = try CalcCommand.domain { () throws(NegotiationError) in try Settlement(balance: balance, discount: pct, expires: expiry) }
            } else {
                let sum = try CalcCommand.money(pay ?? "", option: "pay", currency: balance.currency)
                settlement = try CalcCommand.domain { () throws(NegotiationError) in try Settlement(balance: balance, pay: sum, expires: expiry) }
            }
            let check = try authority.check(.settlement(settlement), policy: try common.loadedPolicy())
            switch common.format {
            case .json: try CalcCommand.printJSON(WithAuthority(value: settlement, authority: check))
            case .text:
                var table: [[String]] = [
                    ["Balance", settlement.balance.formatted],
                    ["Discount", "\(settlement.discount.formatted)  (\(CalcCommand.percentText(settlement.discountPercent))%)"],
                    ["Pay", settlement.pay.formatted],
                ]
                if let e = settlement.expires { table.append(["Expires", e.iso]) }
                CalcCommand.printTable(table, rightAligned: [], ruleBeforeLast: false)
                CalcCommand.printAuthority(check)
            }
        }
    }

    // MARK: interest

    struct Interest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Statutory interest and compensation on a late commercial debt.",
            discussion: """
                uk-late-payment: the Late Payment of Commercial Debts (Interest) Act 1998. Simple interest at \
                the reference rate + the policy margin (8%), 1/365 of the annual rate a day, from the day \
                after --from (the due date) up to and including --to, rounded once half-up; the reference \
                rate of each half-year comes from the policy table unless --base-rate is given. Fixed \
                compensation £40 below £1,000, £70 below £10,000, £100 from £10,000.
                """
        )

        @OptionGroup var common: Common

        @Option(help: "The due date (YYYY-MM-DD); interest runs from the next day.")
        var from: String

        @Option(help: "The last day charged, included (YYYY-MM-DD).")
        var to: String

        @Option(help: "The interest regime: uk-late-payment.")
        var regime: String

        @Option(name: .customLong("base-rate"), help: "Reference rate in percent for every day, instead of the policy table.")
        var baseRate: String?

        func run() throws { try CalcCommand.reporting(body) }

        private func body() throws {
            guard regime == "uk-late-payment" else {
                throw InputError("--regime \"\(regime)\": expected uk-late-payment")
            }
            let debt = try common.parsedAmount()
            let policy = try common.loadedPolicy()
            let due = try CalcCommand.date(from, option: "from")
            let through = try CalcCommand.date(to, option: "to")
            let base = try baseRate.map { try CalcCommand.percent($0, option: "base-rate") }
            let claim = try CalcCommand.domain { () throws(NegotiationError) in
                try LatePaymentClaim(debt: debt, dueDate: due, through: through, interest: policy.interest, baseRate: base)
            }
            switch common.format {
            case .json: try CalcCommand.printJSON(claim)
            case .text:
                print("Late payment interest on \(debt.formatted), due \(due.iso), to \(through.iso): \(claim.days) days")
                print("")
                var table: [[String]] = [["From", "To", "Days", "Base", "Rate", "Interest"]]
                for p in claim.periods {
                    table.append([p.from.iso, p.through.iso, String(p.days), "\(p.referenceRate)", "\(p.annualRate)", amount(p.interest)])
                }
                table.append(["Interest", "", String(claim.days), "", "", amount(claim.interest)])
                CalcCommand.printTable(table, rightAligned: [2, 3, 4, 5], ruleBeforeLast: true)
                print("")
                CalcCommand.printTable([
                    ["Interest", claim.interest.formatted],
                    ["Compensation", claim.compensation.formatted],
                    ["Claim", claim.claim.formatted],
                    ["Total due", claim.totalDue.formatted],
                ], rightAligned: [1], ruleBeforeLast: false)
            }
        }
    }

    /// Bad input found while running: printed as "Error: …" without the usage text, exit code 64
    /// (EX_USAGE, as for options ArgumentParser refuses itself).
    struct InputError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs a command body, reporting bad input on standard error with exit code 64.
    static func reporting(_ body: () throws -> Void) throws {
        do { try body() } catch let error as InputError {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            throw ExitCode(64)
        }
    }

    // MARK: Reading options

    static func money(_ text: String, option: String, currency: Currency) throws -> Money {
        do { return try Money.parse(text, currency: currency) } catch {
            throw InputError("--\(option): \(error)")
        }
    }

    static func date(_ text: String, option: String) throws -> CivilDate {
        guard let date = CivilDate(iso: text) else {
            throw InputError("--\(option) \"\(text)\": not a date (expected YYYY-MM-DD, e.g. 2026-11-23)")
        }
        return date
    }

    static func percent(_ text: String, option: String) throws -> Percent {
        guard let pct = Percent(text: text) else {
            throw InputError("--\(option) \"\(text)\": not a percentage (expected e.g. 12 or 9.75, at most two decimals)")
        }
        return pct
    }

    /// Runs domain code, turning its refusal into a message that names the option.
    static func domain<T>(_ body: () throws(NegotiationError) -> T) throws -> T {
        do { return try body() } catch {
            switch error {
            case .invalidTerm(let term, let value, let reason): throw InputError("--\(term) \(value): \(reason)")
            default: throw InputError(error.description)
            }
        }
    }

    /// Today's date in UTC: the executable may read the clock; ParleyCore never does.
    static func today() -> CivilDate {
        CivilDate(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    // MARK: Printing

    /// The value's own JSON object, with an `authority` key added when a role was checked.
    struct WithAuthority<Value: Encodable>: Encodable {
        var value: Value
        var authority: AuthorityCheck?
        private enum CodingKeys: String, CodingKey { case authority }

        func encode(to encoder: Encoder) throws {
            try value.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(authority, forKey: .authority)
        }
    }

    static func printAuthority(_ check: AuthorityCheck?) {
        guard let check else { return }
        print("")
        if check.needsApproval {
            print("Needs a supervisor's approval (beyond the \(check.role.rawValue)'s authority):")
            for limit in check.exceeded { print("  - \(limit.message)") }
        } else {
            print("Within the \(check.role.rawValue)'s authority.")
        }
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func percentText(_ value: Decimal) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 2, .plain)
        return rounded.description
    }

    /// Columns padded to their widest cell; numbers right-aligned.
    static func printTable(_ rows: [[String]], rightAligned: Set<Int>, ruleBeforeLast: Bool) {
        guard let columns = rows.map(\.count).max() else { return }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(rightAligned.contains(i) ? pad + cell : cell + pad)
            }
            return parts.joined(separator: "  ").trimmingTrailingSpaces()
        }
        for (index, row) in rows.enumerated() {
            if ruleBeforeLast && index == rows.count - 1 {
                print(String(repeating: "-", count: widths.reduce(0, +) + 2 * (columns - 1)))
            }
            print(line(row))
        }
    }
}

/// "1,234.56" without the currency code, for table cells.
private func amount(_ money: Money) -> String {
    String(money.formatted.dropFirst(money.currency.code.count + 1))
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
