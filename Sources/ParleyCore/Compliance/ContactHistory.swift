import Foundation

/// What the contact rules make of a call's outcome (`CallOutcome` is defined with the case
/// events). A wrong number counts as an attempt: the call was placed and connected. A call that
/// never connected to the dialled number (busy, network failure, out of service) is not an
/// attempt under Regulation F.
extension CallOutcome {
    /// Whether the call counts towards the 7-attempts-in-7-days limit.
    public var countsAsAttempt: Bool { self != .notConnected }
    /// Whether the call was a telephone conversation with the debtor (starts the 7-day wait).
    public var isConversation: Bool { self == .conversation }
}

/// One call placed to the debtor.
public struct CallRecord: Hashable, Sendable, Codable {
    public var at: Date
    public var outcome: CallOutcome
    /// The accounts (debts) the call was about. A conversation about several debts counts for
    /// each of them. Empty means "about every debt of this debtor" and counts for all.
    public var accountIDs: Set<String>

    public init(at: Date, outcome: CallOutcome, accountIDs: Set<String> = []) {
        self.at = at
        self.outcome = outcome
        self.accountIDs = accountIDs
    }

    /// Whether the call was about the given account.
    public func isAbout(_ accountID: String) -> Bool {
        accountIDs.isEmpty || accountIDs.contains(accountID)
    }
}

/// The calls placed to a debtor, in any order. The store builds it from the recorded call
/// events of the debtor's accounts; calls about other accounts are ignored by the rules.
public struct ContactHistory: Hashable, Sendable, Codable {
    public var calls: [CallRecord]

    public init(calls: [CallRecord] = []) { self.calls = calls }

    public static let empty = ContactHistory()

    /// The calls about one account.
    public func calls(about accountID: String) -> [CallRecord] {
        calls.filter { $0.isAbout(accountID) }
    }
}
