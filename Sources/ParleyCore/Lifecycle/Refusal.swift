/// Why the lifecycle refused an event, in words a collector understands.
public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Codable, Sendable {
        case supervisorOnly = "supervisor-only"
        case caseClosed = "case-closed"
        case disputed
        case ceased
        case onHold = "on-hold"
        case withAgency = "with-agency"
        case arrangementInForce = "arrangement-in-force"
        case callBlocked = "call-blocked"
        case tooManyBrokenPromises = "too-many-broken-promises"
        case belowAgencyMinimum = "below-agency-minimum"
        case placementBlocked = "placement-blocked"
        case nothingToApprove = "nothing-to-approve"
        case letterNotAllowed = "letter-not-allowed"
        case invalid
        case notApplicable = "not-applicable"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
