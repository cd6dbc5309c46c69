/// Where a case stands in the call queue, and why: a score (higher is called first) and the
/// reasons that add up to it, largest first, so the front end can explain the order.
public struct Priority: Hashable, Codable, Sendable {
    public var score: Int
    public var reasons: [Reason]

    public struct Reason: Hashable, Codable, Sendable {
        public var points: Int
        public var text: String

        public init(points: Int, text: String) {
            self.points = points
            self.text = text
        }
    }

    public init(score: Int, reasons: [Reason]) {
        self.score = score
        self.reasons = reasons
    }

    /// What the queue weighs, taken from a case at one moment.
    public struct Factors: Hashable, Sendable {
        /// A callback the collector promised the debtor is due (its time has come).
        public var callbackDue: Bool
        /// The amount of a promise to pay that falls due today.
        public var promiseDueToday: Money?
        public var brokenPromises: Int
        public var balance: Money
        public var daysPastDue: Int
        public var stage: Stage
        /// Whole days since the last conversation with the debtor; nil when never reached.
        public var daysSinceLastContact: Int?

        public init(callbackDue: Bool, promiseDueToday: Money?, brokenPromises: Int, balance: Money, daysPastDue: Int, stage: Stage, daysSinceLastContact: Int?) {
            self.callbackDue = callbackDue
            self.promiseDueToday = promiseDueToday
            self.brokenPromises = brokenPromises
            self.balance = balance
            self.daysPastDue = daysPastDue
            self.stage = stage
            self.daysSinceLastContact = daysSinceLastContact
        }
    }

    /// The weights, in one place. A callback promised to the debtor outranks everything; a
    /// promise due today comes next (call before it breaks); then broken promises; then money and
    /// age, which grow slowly so that a very large old balance cannot bury a due callback.
    public enum Weight {
        public static let callbackDue = 1_000
        public static let promiseDueToday = 600
        public static let firstBrokenPromise = 300
        public static let eachFurtherBrokenPromise = 50
        /// Points per binary order of magnitude of the balance, capped. The balance is measured in
        /// hundredths of its minor units (whole units of a two-decimal currency; a yen counts as
        /// a cent): a rough common scale across currencies without exchange rates.
        public static let balancePerDoubling = 15
        public static let balanceCap = 300
        public static let daysPastDueCap = 180
        public static let callStage = 100
        public static let letterStage = 50
        public static let neverReached = 50
        public static let recentConversation = -100
        public static let staleContactCap = 60
    }

    public static func score(_ f: Factors) -> Priority {
        var reasons: [Reason] = []
        if f.callbackDue {
            reasons.append(Reason(points: Weight.callbackDue, text: "callback due now"))
        }
        if let promised = f.promiseDueToday {
            reasons.append(Reason(points: Weight.promiseDueToday, text: "promise of \(promised.formatted) due today"))
        }
        if f.brokenPromises > 0 {
            let points = Weight.firstBrokenPromise + Weight.eachFurtherBrokenPromise * (f.brokenPromises - 1)
            let text = f.brokenPromises == 1 ? "1 broken promise" : "\(f.brokenPromises) broken promises"
            reasons.append(Reason(points: points, text: text))
        }
        if f.balance.isPositive {
            let units = f.balance.minorUnits / 100
            // Bit length: 1 → 1, 1,000 → 10, 100,000 → 17.
            let doublings = units > 0 ? Int64.bitWidth - units.leadingZeroBitCount : 0
            let points = min(Weight.balanceCap, doublings * Weight.balancePerDoubling)
            if points > 0 { reasons.append(Reason(points: points, text: "balance \(f.balance.formatted)")) }
        }
        if f.daysPastDue > 0 {
            let points = min(Weight.daysPastDueCap, f.daysPastDue)
            reasons.append(Reason(points: points, text: "\(f.daysPastDue) days past due"))
        }
        switch f.stage {
        case .call: reasons.append(Reason(points: Weight.callStage, text: "call stage"))
        case .letter: reasons.append(Reason(points: Weight.letterStage, text: "letter stage"))
        case .reminder, .agency: break
        }
        switch f.daysSinceLastContact {
        case nil:
            reasons.append(Reason(points: Weight.neverReached, text: "never reached"))
        case let days? where days < 7:
            reasons.append(Reason(points: Weight.recentConversation, text: days == 0 ? "spoke today" : "spoke \(days) days ago"))
        case let days? where days > 14:
            reasons.append(Reason(points: min(Weight.staleContactCap, days), text: "last contact \(days) days ago"))
        default:
            break
        }
        // Largest first; ties keep the order written above.
        let ordered = reasons.enumerated().sorted { a, b in
            a.element.points != b.element.points ? a.element.points > b.element.points : a.offset < b.offset
        }.map(\.element)
        return Priority(score: reasons.reduce(0) { $0 + $1.points }, reasons: ordered)
    }
}
