import Foundation
import Mustache

/// What a letter says, as plain values: the renderer turns it into text with a template.
public struct LetterContent: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var invoiceID: String
        public var dueOn: CivilDate
        public var outstanding: Money

        public init(invoiceID: String, dueOn: CivilDate, outstanding: Money) {
            self.invoiceID = invoiceID
            self.dueOn = dueOn
            self.outstanding = outstanding
        }
    }

    public var kind: LetterKind
    public var date: CivilDate
    public var accountID: String
    public var debtorName: String
    public var contactName: String?
    public var address: String?
    public var balance: Money
    public var invoices: [Line]
    /// The next step and when, in words ("we will pass the account to our collection agency on 2026-12-07").
    public var nextStep: String?
    /// The terms of a promise, plan or settlement, when the letter confirms one.
    public var arrangement: Arrangement?
    /// The last day of the validation period, for a validation notice.
    public var respondBy: CivilDate?
    public var creditor: String

    public init(kind: LetterKind, date: CivilDate, accountID: String, debtorName: String, contactName: String?, address: String?, balance: Money, invoices: [Line], nextStep: String?, arrangement: Arrangement?, respondBy: CivilDate?, creditor: String = "Parley Demo Ltd") {
        self.kind = kind
        self.date = date
        self.accountID = accountID
        self.debtorName = debtorName
        self.contactName = contactName
        self.address = address
        self.balance = balance
        self.invoices = invoices
        self.nextStep = nextStep
        self.arrangement = arrangement
        self.respondBy = respondBy
        self.creditor = creditor
    }

    /// The values a template sees. Documented in Docs/store.md (Letters); names are stable.
    public var templateValues: [String: Any] {
        var values: [String: Any] = [
            "kind": kind.rawValue,
            "date": date.iso,
            "account_id": accountID,
            "debtor_name": debtorName,
            "salutation": contactName ?? debtorName,
            "balance": balance.formatted,
            "currency": balance.currency.code,
            "creditor": creditor,
            "invoices": invoices.map { ["invoice_id": $0.invoiceID, "due_on": $0.dueOn.iso, "outstanding": $0.outstanding.formatted] as [String: Any] },
            "has_invoices": !invoices.isEmpty,
        ]
        if let contactName { values["contact_name"] = contactName }
        if let address { values["address"] = address }
        if let nextStep { values["next_step"] = nextStep }
        if let respondBy { values["respond_by"] = respondBy.iso }
        switch arrangement {
        case .promise(let amount, let due)?:
            values["promise"] = ["amount": amount.formatted, "due_on": due.iso]
        case .plan(let installments)?:
            values["plan"] = [
                "count": installments.count,
                "installments": installments.enumerated().map { ["number": $0.offset + 1, "due_on": $0.element.due.iso, "amount": $0.element.amount.formatted] as [String: Any] },
            ] as [String: Any]
        case .settlement(let amount, let expires)?:
            values["settlement"] = ["amount": amount.formatted, "expires_on": expires.iso]
        case nil:
            break
        }
        return values
    }
}

/// A letter template could not be read or parsed.
public struct LetterTemplateError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String

    public var description: String { "\(file): \(reason)" }
}

/// Renders letters with mustache templates: the bundled ones (Resources/letters/KIND.mustache),
/// each replaceable by a file of the same name in an override directory.
public struct LetterRenderer: Sendable {
    private var templates: [LetterKind: MustacheTemplate]

    /// Loads every letter kind's template; a file `KIND.mustache` in `overrides` wins over the
    /// bundled one.
    public init(overrides directory: String? = nil) throws(LetterTemplateError) {
        var templates: [LetterKind: MustacheTemplate] = [:]
        for kind in LetterKind.allCases {
            let (file, text) = try Self.source(for: kind, overrides: directory)
            do {
                templates[kind] = try MustacheTemplate(string: text)
            } catch {
                throw LetterTemplateError(file: file, reason: "the template does not parse: \(error)")
            }
        }
        self.templates = templates
    }

    public func render(_ content: LetterContent) -> String {
        guard let template = templates[content.kind] else { return "" }
        return template.render(content.templateValues)
    }

    /// The file name a rendered letter is written to: `ACCOUNT-KIND.txt`.
    public static func fileName(accountID: String, kind: LetterKind) -> String {
        let safe = accountID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return String(safe) + "-" + kind.rawValue + ".txt"
    }

    private static func source(for kind: LetterKind, overrides directory: String?) throws(LetterTemplateError) -> (String, String) {
        if let directory {
            let path = (directory as NSString).appendingPathComponent(kind.rawValue + ".mustache")
            if FileManager.default.fileExists(atPath: path) {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw LetterTemplateError(file: path, reason: "cannot be read as UTF-8 text")
                }
                return (path, text)
            }
        }
        guard let url = Bundle.module.url(forResource: kind.rawValue, withExtension: "mustache", subdirectory: "Resources/letters"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LetterTemplateError(file: "Resources/letters/\(kind.rawValue).mustache", reason: "the bundled template is missing")
        }
        return (url.path, text)
    }
}
