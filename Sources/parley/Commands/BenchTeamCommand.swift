import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley bench`: the performance figures (`measure`, the default), and load tests.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Performance figures against their targets, and bounded load tests.",
        subcommands: [BenchMeasureCommand.self, BenchOpenCommand.self, BenchRunCommand.self, BenchTeamCommand.self],
        defaultSubcommand: BenchMeasureCommand.self
    )
}

/// `parley bench team`: simulated collectors claiming, recording and releasing cases on a team
/// store for a fixed time. Without `--db` it starts a throwaway PostgreSQL cluster on loopback
/// and loads a generated portfolio into it.
struct BenchTeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Concurrent collectors on one store: claims/s, latency, double claims, lost events.",
        discussion: """
        Reports claims per second, p50/p99 latency of a claim and of a whole cycle (claim, record,
        release), and checks that no case was held by two collectors at once and that the log holds
        exactly the events the store acknowledged. Exits non-zero when a check fails.
        With --db, the portfolio is loaded into that store (use an empty database).
        """
    )

    @Option(help: "How many collectors work at once.")
    var collectors: Int = 32

    @Option(help: "How long they work, in seconds.")
    var seconds: Double = 10

    @Option(help: "How many accounts the generated portfolio holds.")
    var accounts: Int = 400

    @Option(help: ArgumentHelp("The store to load (default: a throwaway PostgreSQL cluster).", valueName: "PATH|URL"))
    var db: String?

    @OptionGroup var output: FormatOption

    func validate() throws {
        guard collectors >= 1 else { throw ValidationError("--collectors must be at least 1, found \(collectors)") }
        guard seconds > 0 else { throw ValidationError("--seconds must be more than 0, found \(seconds)") }
        guard accounts >= 1 else { throw ValidationError("--accounts must be at least 1, found \(accounts)") }
    }

    func run() async throws {
        var cluster: PostgresCluster?
        let location: DatabaseLocation
        if let db {
            location = DatabaseLocation.resolve(option: db)
        } else {
            do {
                cluster = try PostgresCluster.start()
            } catch {
                throw CommandFailure(message: "parley bench team: cannot start a PostgreSQL cluster: \(error)")
            }
            FileHandle.standardError.write(Data("parley: started a throwaway PostgreSQL cluster on 127.0.0.1:\(cluster!.port)\n".utf8))
            location = DatabaseLocation(path: cluster!.url().description, source: .option)
        }
        defer { cluster?.stop() }
        let result: TeamBench.Result
        do {
            let store = try await DefaultDatabase.openStore(location, policy: .standard, today: Clock.today(), announce: { message in
                FileHandle.standardError.write(Data((message + "\n").utf8))
            })
            try await TeamBench.loadPortfolio(into: store, accounts: accounts, today: Clock.today(), at: Clock.now())
            result = try await TeamBench(collectors: collectors, seconds: seconds).run(on: store)
            await store.close()
        } catch let error as StoreError {
            throw CommandFailure(message: "parley bench team: \(error.description)")
        }
        switch output.format {
        case .json:
            try JSONOutput.print(result)
        case .text:
            func ms(_ value: Double) -> String { String(format: "%.1f ms", value) }
            print("\(result.collectors) collectors for \(String(format: "%.1f", result.seconds)) s on \(location.isPostgres ? "PostgreSQL" : "SQLite")")
            print("claims: \(result.claims) (\(String(format: "%.1f", result.claimsPerSecond))/s), none free: \(result.emptyClaims)")
            print("claim latency: p50 \(ms(result.claimP50Ms)), p99 \(ms(result.claimP99Ms))")
            print("cycle latency (claim, record, release): p50 \(ms(result.cycleP50Ms)), p99 \(ms(result.cycleP99Ms))")
            print("events: \(result.eventsAcknowledged) acknowledged, \(result.eventsInLog) in the log; refused by the rules: \(result.refusals)")
            print("double claims: \(result.doubleClaims), lost events: \(result.lostEvents), duplicated events: \(result.duplicatedEvents), stale writes: \(result.staleWrites)")
        }
        if !result.clean {
            throw CommandFailure(message: "parley bench team: a check failed (double claims, lost, duplicated events or stale writes above)")
        }
    }
}
