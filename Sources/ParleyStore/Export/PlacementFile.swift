import Foundation
import ParleyCore

/// The file the collection agency receives for the accounts placed (or recalled) on a day:
/// RFC 4180 CSV, UTF-8, one row per account.
///
/// Columns: account_id, debtor_name, debtor_kind, contact_name, phone, email, address, country,
/// region, time_zone, currency, balance, open_invoices (`ID due DATE outstanding AMOUNT`, joined
/// by "; "), placed_on, last_contact, call_attempts, conversations, promises_kept,
/// promises_broken, letters_sent (kinds joined by "; "), history (the last events, "DATE kind",
/// joined by "; ").
public enum PlacementFile {
    public static let header = [
        "account_id", "debtor_name", "debtor_kind", "contact_name", "phone", "email", "address", "country", "region",
        "time_zone", "currency", "balance", "open_invoices", "placed_on", "last_contact", "call_attempts",
        "conversations", "promises_kept", "promises_broken", "letters_sent", "history",
    ]

    /// How many of the latest events the history column lists.
    public static let historyLength = 10

    public static func row(account: Account, record: CaseRecord, history: [StoredEvent]) -> [String] {
        let state = record.state
        let contact = account.debtor.contacts.first
        let invoices = state.openInvoices
            .sorted { ($0.value.due, $0.key) < ($1.value.due, $1.key) }
            .map { "\($0.key) due \($0.value.due.iso) outstanding \($0.value.outstanding.decimalString)" }
            .joined(separator: "; ")
        let recent = history.filter { $0.kind != EventKind.tick.rawValue }.suffix(historyLength)
            .map { "\(CivilDate(utcInstant: $0.at).iso) \($0.event.summary)" }
            .joined(separator: "; ")
        return [
            account.id, account.debtor.name, account.debtor.kind.rawValue, contact?.name ?? "", contact?.phone ?? "",
            contact?.email ?? "", contact?.address ?? "", account.debtor.country, account.debtor.region ?? "",
            account.debtor.timeZone ?? "", account.currency.code, state.balance.decimalString, invoices,
            state.placedOn?.iso ?? "", state.lastContactAt.map { $0.formatted(.iso8601) } ?? "",
            String(state.callAttempts), String(state.conversations), String(state.promisesKept),
            String(state.promisesBroken), state.lettersSent.map(\.rawValue).joined(separator: "; "), recent,
        ]
    }

    public static func csv(_ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
