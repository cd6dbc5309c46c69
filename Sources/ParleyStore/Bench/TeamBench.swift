import Foundation
import ParleyCore

/// A bounded load test of a team store: `collectors` simulated collectors, each in its own task,
/// claim the next case, record a note or a call on it (with the version they were shown), and
/// release it, again and again for a fixed time. It measures claims per second and latencies,
/// and checks that no case was ever held by two collectors at once and that the log holds
/// exactly the events the store acknowledged: none lost, none duplicated.
public struct TeamBench: Sendable {
    public var collectors: Int
    public var seconds: Double
    public var leaseSeconds: Int

    public init(collectors: Int, seconds: Double, leaseSeconds: Int = 300) {
        self.collectors = collectors
        self.seconds = seconds
        self.leaseSeconds = leaseSeconds
    }

    /// What a run measured and checked. Field names are stable (`--format json`).
    public struct Result: Codable, Sendable, Equatable {
        public var collectors: Int
        public var seconds: Double
        public var claims: Int
        public var emptyClaims: Int
        public var claimsPerSecond: Double
        public var claimP50Ms: Double
        public var claimP99Ms: Double
        public var cycleP50Ms: Double
        public var cycleP99Ms: Double
        public var eventsAcknowledged: Int
        public var eventsInLog: Int
        public var refusals: Int
        public var staleWrites: Int
        public var doubleClaims: Int
        public var lostEvents: Int
        public var duplicatedEvents: Int

        /// True when every check passed.
        public var clean: Bool { doubleClaims == 0 && lostEvents == 0 && duplicatedEvents == 0 && staleWrites == 0 }
    }

    /// Imports a generated portfolio of `accounts` accounts dated around `today`.
    public static func loadPortfolio(into store: any CaseStore, accounts: Int, today: CivilDate, at: Date) async throws {
        let generated = SampleGenerator(seed: 20261101, accounts: accounts, anchor: today).generate()
        let batch = ImportBatch(
            accounts: generated.map(\.account),
            invoices: generated.flatMap(\.invoices),
            payments: generated.flatMap(\.payments)
        )
        _ = try await store.importPortfolio(batch, actor: .system, at: at)
    }

    /// Who holds which case right now, as the collectors themselves saw it.
    actor Holders {
        private var holder: [String: String] = [:]
        private(set) var doubleClaims = 0

        func take(_ account: String, by collector: String) {
            if holder[account] != nil { doubleClaims += 1 }
            holder[account] = collector
        }

        func drop(_ account: String) { holder[account] = nil }
    }

    struct CollectorTally: Sendable {
        var claims = 0
        var emptyClaims = 0
        var claimLatencies: [Double] = []
        var cycleLatencies: [Double] = []
        var acknowledged: [Int64] = []
        var touched = Set<String>()
        var refusals = 0
        var stale = 0
    }

    public func run(on store: any CaseStore) async throws -> Result {
        let holders = Holders()
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let leaseSeconds = self.leaseSeconds
        let started = ContinuousClock.now
        let tallies = try await withThrowingTaskGroup(of: CollectorTally.self) { group in
            for index in 0..<collectors {
                group.addTask {
                    try await Self.collector(index: index, store: store, holders: holders, leaseSeconds: leaseSeconds, deadline: deadline)
                }
            }
            var all: [CollectorTally] = []
            for try await tally in group { all.append(tally) }
            return all
        }
        let elapsed = ContinuousClock.now - started
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18

        // The log, read back: every bench event the touched cases hold.
        var inLog: [Int64] = []
        for account in Set(tallies.flatMap(\.touched)).sorted() {
            inLog += try await store.history(accountID: account).filter { $0.actor.name.hasPrefix(Self.namePrefix) }.map(\.id)
        }
        let acknowledged = tallies.flatMap(\.acknowledged)
        let acknowledgedSet = Set(acknowledged)
        let logSet = Set(inLog)
        let duplicated = (acknowledged.count - acknowledgedSet.count) + (inLog.count - logSet.count) + logSet.subtracting(acknowledgedSet).count
        let claims = tallies.map(\.claims).reduce(0, +)
        return Result(
            collectors: collectors,
            seconds: elapsedSeconds,
            claims: claims,
            emptyClaims: tallies.map(\.emptyClaims).reduce(0, +),
            claimsPerSecond: elapsedSeconds > 0 ? Double(claims) / elapsedSeconds : 0,
            claimP50Ms: Self.percentile(tallies.flatMap(\.claimLatencies), 0.50),
            claimP99Ms: Self.percentile(tallies.flatMap(\.claimLatencies), 0.99),
            cycleP50Ms: Self.percentile(tallies.flatMap(\.cycleLatencies), 0.50),
            cycleP99Ms: Self.percentile(tallies.flatMap(\.cycleLatencies), 0.99),
            eventsAcknowledged: acknowledged.count,
            eventsInLog: inLog.count,
            refusals: tallies.map(\.refusals).reduce(0, +),
            staleWrites: tallies.map(\.stale).reduce(0, +),
            doubleClaims: await holders.doubleClaims,
            lostEvents: acknowledgedSet.subtracting(logSet).count,
            duplicatedEvents: duplicated
        )
    }

    static let namePrefix = "bench-"

    static func collector(index: Int, store: any CaseStore, holders: Holders, leaseSeconds: Int, deadline: ContinuousClock.Instant) async throws -> CollectorTally {
        let name = "\(namePrefix)\(index + 1)"
        let actor = Actor(name: name, role: .supervisor)
        var tally = CollectorTally()
        var round = 0
        while ContinuousClock.now < deadline {
            let cycleStart = ContinuousClock.now
            guard let claimed = try await store.claimNext(collector: name, leaseSeconds: leaseSeconds, at: Date()) else {
                tally.emptyClaims += 1
                try await Task.sleep(for: .milliseconds(5))
                continue
            }
            tally.claimLatencies.append(milliseconds(ContinuousClock.now - cycleStart))
            tally.claims += 1
            tally.touched.insert(claimed.accountID)
            await holders.take(claimed.accountID, by: name)
            round += 1
            do {
                if round % 2 == 0 {
                    let (_, outcome) = try await store.recordCall(accountID: claimed.accountID, outcome: .noAnswer, overrideReason: "load test", actor: actor, at: Date(), expectedVersion: claimed.version)
                    tally.acknowledged += outcome.events.map(\.id)
                } else {
                    let outcome = try await store.record(.note("load test round \(round)"), accountID: claimed.accountID, actor: actor, at: Date(), expectedVersion: claimed.version)
                    tally.acknowledged += outcome.events.map(\.id)
                }
            } catch StoreError.refused {
                tally.refusals += 1
            } catch StoreError.staleCase {
                tally.stale += 1
            }
            await holders.drop(claimed.accountID)
            try await store.release(accountID: claimed.accountID, collector: name)
            tally.cycleLatencies.append(milliseconds(ContinuousClock.now - cycleStart))
        }
        return tally
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// The value below which `fraction` of the samples fall (nearest rank).
    static func percentile(_ samples: [Double], _ fraction: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
