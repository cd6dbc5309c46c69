import ArgumentParser
import Foundation
import Synchronization
import ParleyCore
import ParleyStore

/// `--format text|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// The options every store command takes: where the database is and who is acting.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database: a SQLite file, or a team server as postgres://user[:password]@host:port/database (default: $PARLEY_DB, else $XDG_DATA_HOME/parley/parley.sqlite, else ~/.local/share/parley/parley.sqlite).", valueName: "PATH|URL"))
    var db: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("The operator acting (default: the OS user).", valueName: "OPERATOR"))
    var operatorName: String?

    /// The name `--as` gives, else the OS user.
    var requestedOperator: String { operatorName ?? OperatorName.current() }

    var location: DatabaseLocation { DatabaseLocation.resolve(option: db) }

    /// How long a write waits for another process's transaction before failing: 10 seconds, or
    /// PARLEY_BUSY_TIMEOUT seconds.
    var busyTimeout: TimeInterval {
        ProcessInfo.processInfo.environment["PARLEY_BUSY_TIMEOUT"].flatMap(TimeInterval.init) ?? 10
    }

    /// Opens the database, creating it (from the demo portfolio, in the default location) when
    /// it does not exist yet, and checks that the operator may act in it.
    func open() async throws -> any CaseStore {
        try await openAsOperator().store
    }

    /// Opens the database and resolves the operator: the name `--as` gives (else the OS user)
    /// must be an active operator of the database, and acts with the role the database keeps.
    /// A database that keeps no operators makes the OS user its first supervisor.
    ///
    /// A wait of a second for another process's lock is said once on standard error (`LockNotice`);
    /// `laterWaits`, when given, is told of the waits after opening instead (the workbench: the
    /// terminal is its screen by then, and its status line says it).
    func openAsOperator(laterWaits: (@Sendable (LockWaitNotice) -> Void)? = nil) async throws -> (store: any CaseStore, actor: Actor) {
        let notice = LockNotice()
        defer { if let laterWaits { notice.handOver(to: laterWaits) } }
        do {
            let store = try await DefaultDatabase.openStore(location, policy: .standard, today: Clock.today(), busyTimeout: busyTimeout, now: Clock.now(),
                                                       firstSupervisor: OperatorName.current(), lockNotice: notice.say, announce: { message in
                FileHandle.standardError.write(Data((message + "\n").utf8))
            })
            return (store, try await store.resolveOperator(named: requestedOperator))
        } catch let error as OperatorError {
            throw CommandFailure(message: error.description)
        }
    }
}

/// What a command says when it waits for another process's lock (`LockWaitNotice.text`):
/// once, on standard error, where it would sit silent. An import into an empty store holds the
/// whole file until it commits, so a command started meanwhile waits from its first read.
final class LockNotice: Sendable {
    private enum Next {
        /// Say it on standard error, the first time.
        case say
        /// Said already.
        case said
        /// Tell another (the workbench's status line), every time.
        case tell(@Sendable (LockWaitNotice) -> Void)
    }
    private let next = Mutex(Next.say)

    @Sendable func say(_ notice: LockWaitNotice) {
        let action = next.withLock { next in
            defer { if case .say = next { next = .said } }
            return next
        }
        switch action {
        case .say: FileHandle.standardError.write(Data(("parley: " + notice.text + "\n").utf8))
        case .said: break
        case .tell(let other): other(notice)
        }
    }

    /// From now on every wait goes to `other`, nothing to standard error.
    func handOver(to other: @escaping @Sendable (LockWaitNotice) -> Void) { next.withLock { $0 = .tell(other) } }
}

/// `--format` for the read commands.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format: text or json (stable field names, see Docs/cli-json.md).")
    var format: OutputFormat = .text
}

/// `--as-of DATE`: the day the command works for (default today).
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to work for, YYYY-MM-DD (default: today).", valueName: "DATE"))
    var asOf: String?

    func validate() throws {
        if let asOf, CivilDate(iso: asOf) == nil {
            throw ValidationError("--as-of must be a date like 2026-11-23, found \"\(asOf)\"")
        }
    }

    var date: CivilDate { asOf.flatMap { CivilDate(iso: $0) } ?? Clock.today() }
}

/// The command line's only access to the wall clock; the domain is always handed the time.
enum Clock {
    static func now() -> Date { Date() }

    /// Today in the machine's time zone.
    static func today() -> CivilDate {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: now())
        return CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? CivilDate(utcInstant: now())
    }

    /// An instant as written on the command line: ISO 8601 with an offset or Z
    /// ("2026-11-23T21:30:00-05:00"), or a bare date (midnight UTC).
    static func instant(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return CivilDate(iso: text)?.utcMidnight
    }
}

/// Writes JSON the way every read command does: sorted keys, pretty-printed, ISO 8601 dates.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}

/// A store error as the command line reports it: the message, and a non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
