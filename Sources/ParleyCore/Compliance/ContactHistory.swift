import Foundation

/// How a call attempt ended. Raw values are the `--outcome` values of `parley record ACCOUNT call`.
public enum CallOutcome: String, Hashable, Sendable, Codable, CaseIterable {
    /// A telephone conversation with the debtor: counts as an attempt and starts the 7-day wait.
    case conversation = "conversation"
    case voicemail = "voicemail"
    case noAnswer = "no-answer"
    /// The number reached someone else. Counted as an attempt: the call was placed and connected.
    case wrongNumber = "wrong-number"
    /// The call never connected to the dialled number (busy, network failure, out of service):
    /// not an attempt under Regulation F.
    case notConnected = "not-connected"

    /// Whether the call counts towards the 7-attempts-in-7-days limit.
    public var countsAsAttempt: Bool { self != .notConnected }
    /// Whether the call was a telephone conversation with the debtor.
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
