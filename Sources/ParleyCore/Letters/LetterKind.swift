/// The letters Parley sends. Raw values are stable: they name templates and appear in JSON.
public enum LetterKind: String, Hashable, Sendable, Codable, CaseIterable {
    case reminder = "reminder"
    /// Letter before action.
    case finalDemand = "final-demand"
    case validationNotice = "validation-notice"
    case planAgreement = "plan-agreement"
    case settlementAgreement = "settlement-agreement"
    /// Notice that the account is handed to a collection agency.
    case agencyNotice = "agency-notice"
    /// After a cease request: confirms that collection stops, or names a remedy that may or will
    /// be used. The only letter allowed after a cease request.
    case ceaseConfirmation = "cease-confirmation"

    /// Letters that demand payment: not sent while a dispute awaits verification.
    public var isDemand: Bool {
        switch self {
        case .reminder, .finalDemand, .agencyNotice: return true
        case .validationNotice, .planAgreement, .settlementAgreement, .ceaseConfirmation: return false
        }
    }
}
