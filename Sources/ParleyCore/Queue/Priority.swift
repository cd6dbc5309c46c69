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

    /// The points each factor earns: one place for the arithmetic, shared by `score` (which
    /// adds the reasons' words) and `points` (the number alone, for a bulk refresh of the queue).
    enum Points {
        static func callback(_ f: Factors) -> Int { f.callbackDue ? Weight.callbackDue : 0 }
        static func promise(_ f: Factors) -> Int { f.promiseDueToday != nil ? Weight.promiseDueToday : 0 }
        static func broken(_ f: Factors) -> Int {
            f.brokenPromises > 0 ? Weight.firstBrokenPromise + Weight.eachFurtherBrokenPromise * (f.brokenPromises - 1) : 0
        }
        static func balance(minorUnits: Int64) -> Int {
            guard minorUnits > 0 else { return 0 }
            let units = minorUnits / 100
            // Bit length: 1 → 1, 1,000 → 10, 100,000 → 17.
            let doublings = units > 0 ? Int64.bitWidth - units.leadingZeroBitCount : 0
            return min(Weight.balanceCap, doublings * Weight.balancePerDoubling)
        }
        static func age(_ daysPastDue: Int) -> Int { daysPastDue > 0 ? min(Weight.daysPastDueCap, daysPastDue) : 0 }
        static func stage(_ stage: Stage) -> Int {
            switch stage {
            case .call: return Weight.callStage
            case .letter: return Weight.letterStage
            case .reminder, .agency: return 0
            }
        }
        static func contact(_ daysSinceLastContact: Int?) -> Int {
            switch daysSinceLastContact {
            case nil: return Weight.neverReached
            case let days? where days < 7: return Weight.recentConversation
            case let days? where days > 14: return min(Weight.staleContactCap, days)
            default: return 0
            }
        }
    }

    /// The score alone, without the reasons' words: the same sum as `score(f).score`.
    public static func points(_ f: Factors) -> Int {
        Points.callback(f) + Points.promise(f) + Points.broken(f) + Points.balance(minorUnits: f.balance.minorUnits)
            + Points.age(f.daysPastDue) + Points.stage(f.stage) + Points.contact(f.daysSinceLastContact)
    }

    public static func score(_ f: Factors) -> Priority {
        var reasons: [Reason] = []
        if f.callbackDue {
            reasons.append(Reason(points: Points.callback(f), text: "callback due now"))
        }
        if let promised = f.promiseDueToday {
            reasons.append(Reason(points: Points.promise(f), text: "promise of \(promised.formatted) due today"))
        }
        if f.brokenPromises > 0 {
            let text = f.brokenPromises == 1 ? "1 broken promise" : "\(f.brokenPromises) broken promises"
            reasons.append(Reason(points: Points.broken(f), text: text))
        }
        if f.balance.isPositive {
            let points = Points.balance(minorUnits: f.balance.minorUnits)
            if points > 0 { reasons.append(Reason(points: points, text: "balance \(f.balance.formatted)")) }
        }
        if f.daysPastDue > 0 {
            reasons.append(Reason(points: Points.age(f.daysPastDue), text: "\(f.daysPastDue) days past due"))
        }
        switch f.stage {
        case .call: reasons.append(Reason(points: Points.stage(f.stage), text: "call stage"))
        case .letter: reasons.append(Reason(points: Points.stage(f.stage), text: "letter stage"))
        case .reminder, .agency: break
        }
        let contact = Points.contact(f.daysSinceLastContact)
        switch f.daysSinceLastContact {
        case nil:
            reasons.append(Reason(points: contact, text: "never reached"))
        case let days? where days < 7:
            reasons.append(Reason(points: contact, text: days == 0 ? "spoke today" : "spoke \(days) days ago"))
        case let days? where days > 14:
            reasons.append(Reason(points: contact, text: "last contact \(days) days ago"))
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
