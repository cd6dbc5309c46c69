/// The standard receivables aging buckets, by days past due.
public enum AgingBucket: String, CaseIterable, Codable, Sendable, Comparable {
    case current
    case days1to30 = "1-30"
    case days31to60 = "31-60"
    case days61to90 = "61-90"
    case days91to120 = "91-120"
    case over120 = "120+"

    public init(daysPastDue: Int) {
        switch daysPastDue {
        case ..<1: self = .current
        case 1...30: self = .days1to30
        case 31...60: self = .days31to60
        case 61...90: self = .days61to90
        case 91...120: self = .days91to120
        default: self = .over120
        }
    }

    public var label: String { self == .current ? "current" : rawValue }

    public static func < (a: AgingBucket, b: AgingBucket) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
