/// Building the rules' inputs from a case: its folded state and its event log.
extension ContactProfile {
    /// The profile of a case's account: dispute (status `disputed`), cease and attorney from the
    /// state; the oldest open due date from the state's open invoices; the last payment and the
    /// latest validation notice from the events.
    public init(state: CaseState, debtor: Debtor, events: [RecordedEvent]) {
        var lastPayment: CivilDate?
        var validationNotice: CivilDate?
        for recorded in events {
            switch recorded.event {
            case .paymentReceived(_, let on):
                lastPayment = max(lastPayment ?? on, on)
            case .letterSent(.validationNotice, let on):
                validationNotice = max(validationNotice ?? on, on)
            default:
                break
            }
        }
        self.init(
            accountID: state.accountID,
            kind: debtor.kind,
            timeZone: debtor.timeZone,
            country: debtor.country,
            region: debtor.region,
            disputedUnverified: state.status == .disputed,
            ceased: state.ceased,
            attorneyRepresented: state.attorney != nil,
            oldestDueDate: state.openInvoices.values.map(\.due).min(),
            lastPaymentDate: lastPayment,
            validationNoticeSent: validationNotice
        )
    }
}

extension ContactHistory {
    /// The calls recorded in one case's events (`callAttempted`, overridden ones included: they
    /// were placed), each about that case's account. For a call about several accounts, join
    /// the histories of those accounts' cases.
    public init(events: [RecordedEvent], accountID: String) {
        self.init(calls: events.compactMap { recorded in
            guard case .callAttempted(let outcome, _, _) = recorded.event else { return nil }
            return CallRecord(at: recorded.at, outcome: outcome, accountIDs: [accountID])
        })
    }

    /// Both histories' calls.
    public func merged(with other: ContactHistory) -> ContactHistory {
        ContactHistory(calls: calls + other.calls)
    }
}
