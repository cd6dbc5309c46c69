/// The kinds of letter the lifecycle asks for. Raw values are stable (file names, JSON).
public enum LetterKind: String, Codable, Sendable, CaseIterable {
    case reminder
    case finalDemand = "final-demand"
    case validationNotice = "validation-notice"
    case planAgreement = "plan-agreement"
    case settlementAgreement = "settlement-agreement"
    case promiseConfirmation = "promise-confirmation"
    case agencyNotice = "agency-notice"
    /// Confirms to a debtor who asked us to stop that collection stops, or names a remedy that
    /// may or will be used: the only letters allowed after a cease request.
    case ceaseConfirmation = "cease-confirmation"
    case disputeVerification = "dispute-verification"

    /// Letters that demand payment: never sent while a dispute is open.
    public var demandsPayment: Bool {
        switch self {
        case .reminder, .finalDemand, .agencyNotice: return true
        default: return false
        }
    }

    /// Letters Regulation F still allows after a cease request.
    public var allowedAfterCease: Bool { self == .ceaseConfirmation }
}
