/// What the contact rules need to know about one account and its debtor. The store fills it
/// from the account and the case's event log; the rules never look anything up themselves.
public struct ContactProfile: Hashable, Sendable, Codable {
    /// The account (the debt) a contact would be about; `CallRecord.accountIDs` are matched
    /// against it.
    public var accountID: String
    public var kind: DebtorKind
    /// IANA zone such as "America/Chicago"; nil (or an identifier Foundation does not know) when
    /// unknown: the hours are then checked against every zone of the country or region.
    public var timeZone: String?
    /// ISO 3166-1 alpha-2, e.g. "US".
    public var country: String
    /// State or province ("CA", "NY", "ON"), when known.
    public var region: String?
    /// A dispute is open and no verification has been recorded: no collection.
    public var disputedUnverified: Bool
    /// The debtor asked that communication stop.
    public var ceased: Bool
    /// The debtor is represented by an attorney about this debt.
    public var attorneyRepresented: Bool
    /// Oldest due date still owing; starts the limitation clock when no payment is later.
    public var oldestDueDate: CivilDate?
    /// Last payment received; a later payment restarts the limitation clock.
    public var lastPaymentDate: CivilDate?
    /// The day the validation notice was sent (consumer accounts).
    public var validationNoticeSent: CivilDate?

    public init(
        accountID: String,
        kind: DebtorKind,
        timeZone: String?,
        country: String,
        region: String? = nil,
        disputedUnverified: Bool = false,
        ceased: Bool = false,
        attorneyRepresented: Bool = false,
        oldestDueDate: CivilDate? = nil,
        lastPaymentDate: CivilDate? = nil,
        validationNoticeSent: CivilDate? = nil
    ) {
        self.accountID = accountID
        self.kind = kind
        self.timeZone = timeZone
        self.country = country
        self.region = region
        self.disputedUnverified = disputedUnverified
        self.ceased = ceased
        self.attorneyRepresented = attorneyRepresented
        self.oldestDueDate = oldestDueDate
        self.lastPaymentDate = lastPaymentDate
        self.validationNoticeSent = validationNoticeSent
    }

    /// The profile of an account as far as the account itself tells: debtor kind, zone, country
    /// and region, the oldest open due date and the last payment. The case's status (dispute,
    /// cease, attorney) and the validation notice date come from the event log and are passed in.
    public init(
        account: Account,
        disputedUnverified: Bool = false,
        ceased: Bool = false,
        attorneyRepresented: Bool = false,
        validationNoticeSent: CivilDate? = nil
    ) {
        self.init(
            accountID: account.id,
            kind: account.debtor.kind,
            timeZone: account.debtor.timeZone,
            country: account.debtor.country,
            region: account.debtor.region,
            disputedUnverified: disputedUnverified,
            ceased: ceased,
            attorneyRepresented: attorneyRepresented,
            oldestDueDate: account.oldestOpenDueDate,
            lastPaymentDate: account.payments.map(\.paidOn).max(),
            validationNoticeSent: validationNoticeSent
        )
    }
}
