import Foundation

/// What a transition asks the world to do. The store and the front end carry these out; the
/// lifecycle never does I/O.
public enum Effect: Hashable, Codable, Sendable {
    case sendLetter(LetterKind)
    case scheduleCall(at: Date)
    case placeWithAgency
    case recallFromAgency
    case askSupervisor(String)
    case produceAgreement(Arrangement)
    case notifyAgencyOfPayment(Money)

    public var summary: String {
        switch self {
        case .sendLetter(let kind): return "send the \(kind.rawValue) letter"
        case .scheduleCall: return "schedule a call"
        case .placeWithAgency: return "place with the agency"
        case .recallFromAgency: return "recall from the agency"
        case .askSupervisor(let why): return "ask a supervisor: \(why)"
        case .produceAgreement(let a): return "send the written agreement (\(a.summary))"
        case .notifyAgencyOfPayment(let m): return "tell the agency of a payment of \(m.formatted)"
        }
    }
}

/// What the next step on a case is, and when.
public struct NextAction: Hashable, Codable, Sendable {
    /// Stable id: "send-reminder", "call", "call-back", "check-promise", "check-installment",
    /// "check-settlement", "final-demand", "place", "review", "verify-dispute", "none", ...
    public var kind: String
    public var text: String
    public var on: CivilDate?

    public init(kind: String, text: String, on: CivilDate?) {
        self.kind = kind
        self.text = text
        self.on = on
    }
}
