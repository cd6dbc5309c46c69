import Foundation
import ParleyCore

/// Opening the database a command or the workbench works on.
public enum DefaultDatabase {
    /// How many daily runs the demo has behind it when it is created: the days before today. A
    /// case climbs one stage a day, so three runs take the oldest accounts to the letter stage
    /// and leave agency placement to the first run the user makes.
    public static let demoRunDays = 3

    /// Opens the store at `location`: the PostgreSQL server a `postgres://` URL names (its schema
    /// brought up to date, nothing seeded), else the SQLite file as `open` does. The one place
    /// that chooses the backend; every command and the workbench go through it.
    public static func openStore(_ location: DatabaseLocation, policy: Policy, today: CivilDate, busyTimeout: TimeInterval = 10, now: Date = Date(),
                                 firstSupervisor: String = OperatorName.current(), lockNotice: (@Sendable (LockWaitNotice) -> Void)? = nil,
                                 announce: (String) -> Void) async throws -> any CaseStore {
        if location.isPostgres {
            let store = try await PostgresCaseStore.open(try PostgresURL(parsing: location.path), policy: policy)
            try await ensureFirstSupervisor(store, name: firstSupervisor, now: now, announce: announce)
            return store
        }
        return try await open(location, policy: policy, today: today, busyTimeout: busyTimeout, now: now, firstSupervisor: firstSupervisor,
                              lockNotice: lockNotice, announce: announce)
    }

    /// Opens the SQLite database at `location`. A database in the default location that does not
    /// exist yet is created from the demo portfolio, its dates shifted so that the demo looks
    /// current on `today`, and `announce` is told where it is. A database named with `--db` or
    /// `PARLEY_DB` that does not exist is created empty.
    ///
    /// A database that keeps no operators yet (new, or made before operators were kept) makes
    /// `firstSupervisor` (the OS user) its first supervisor and says so; the demo also gets its
    /// collectors (`SampleGenerator.collectors`), to whom its cases are assigned.
    ///
    /// `lockNotice` is told what the store waits for when a wait for another process's lock
    /// has lasted a second (`SQLiteCaseStore.init(path:policy:busyTimeout:lockNotice:)`).
    public static func open(_ location: DatabaseLocation, policy: Policy, today: CivilDate, busyTimeout: TimeInterval = 10, now: Date = Date(),
                            firstSupervisor: String = OperatorName.current(), lockNotice: (@Sendable (LockWaitNotice) -> Void)? = nil,
                            announce: (String) -> Void) async throws -> SQLiteCaseStore {
        let isNew = !location.exists
        let store = try SQLiteCaseStore(path: location.path, policy: policy, busyTimeout: busyTimeout, lockNotice: lockNotice)
        guard isNew else {
            try await ensureFirstSupervisor(store, name: firstSupervisor, now: now, announce: announce)
            return store
        }
        guard location.source == .dataDirectory else {
            announce("parley: created an empty database \(location.path)")
            try await ensureFirstSupervisor(store, name: firstSupervisor, now: now, announce: announce)
            return store
        }
        do {
            try await seedDemo(store, today: today, now: now)
            // The demo's import is in the database file, not only its WAL, before it is shown.
            store.finishCheckpoints()
            try await ensureFirstSupervisor(store, name: firstSupervisor, now: now, announce: { _ in })
            let supervisor = try await store.resolveOperator(named: firstSupervisor)
            for name in SampleGenerator.collectors where name != firstSupervisor {
                _ = try await store.addOperator(name: name, role: .collector, by: supervisor, at: now)
            }
        } catch {
            // A half-made demo is worse than none: remove it so the next run tries again.
            store.finishCheckpoints()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location.path + suffix) }
            throw error
        }
        announce("parley: created the demo database \(location.path) (\(SampleGenerator.demo.accountCount) accounts, dates shifted to \(today.iso)); use --db or PARLEY_DB for another")
        announce("parley: \(firstSupervisor) is the demo's supervisor; its collectors are \(SampleGenerator.collectors.joined(separator: ", ")) (--as NAME acts as one)")
        return store
    }

    /// Makes `name` the first supervisor of a store that keeps no operators, and says so.
    public static func ensureFirstSupervisor(_ store: any CaseStore, name: String, now: Date, announce: (String) -> Void) async throws {
        guard Operator.isValidName(name) else { throw OperatorError.invalidName(name) }
        if try await store.ensureFirstSupervisor(name: name, at: now) {
            announce("parley: \(name) is the first supervisor of this database; add others with `parley operators add NAME --role collector|supervisor`")
        }
    }

    /// Loads the demo portfolio into an empty store: the generator writes it exactly as
    /// SampleData/ holds it, it is imported with every date moved by (today − anchor) days, and
    /// the daily run is done for each of the `demoRunDays` days before today.
    public static func seedDemo(_ store: any CaseStore, today: CivilDate, now: Date) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parley-demo-\(getpid())-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let generator = SampleGenerator.demo
        _ = try generator.write(to: scratch)
        let batch = try PortfolioImporter().read(.directory(scratch)).shifted(byDays: generator.anchor.days(until: today))
        _ = try await store.importPortfolio(batch, actor: .system, at: now)
        for back in stride(from: demoRunDays, through: 1, by: -1) {
            _ = try await store.runDaily(asOf: today.adding(days: -back), actor: .system, at: now)
        }
    }
}
