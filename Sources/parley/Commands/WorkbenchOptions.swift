import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore
import ParleyTUI

/// How `parley` with no subcommand opens the workbench.
struct WorkbenchOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Colour theme: default, light, high-contrast, monochrome, or a path to a theme .toml file (default: the config file's `theme`, else default).", valueName: "NAME"))
    var theme: String?

    @Option(name: .long, help: ArgumentHelp("A TOML keymap whose [keys] table overrides the default keys.", valueName: "FILE"))
    var keymap: String?

    @Option(name: .long, help: ArgumentHelp("A directory of call scripts (.toml) that override the bundled ones by id.", valueName: "DIR"))
    var scripts: String?

    @Flag(name: .long, help: .hidden)
    var demoFixture = false

    /// Fixes the workbench's clock (ISO 8601, e.g. 2026-11-23T22:00:00-06:00): for tests.
    @Option(name: .long, help: .hidden)
    var now: String?

    func open(store: StoreOptions) async throws {
        let config = try WorkbenchConfig.load()
        let keys = try (keymap ?? config.keymap).map { path throws(ConfigError) in try Keymap.load(contentsOf: path) } ?? .standard
        let colourTheme = try Theme.load(named: theme ?? config.theme ?? "default")
        let monochrome = try Theme.load(named: "monochrome")
        let callScripts = try CallScripts.all(overrides: scripts ?? config.scripts)
        if let now, Clock.instant(now) == nil {
            throw ValidationError("--now must be an ISO 8601 instant like 2026-11-23T22:00:00-06:00, found \"\(now)\"")
        }
        let fixed = now.flatMap(Clock.instant)
        let clock: @Sendable () -> Date = { fixed ?? Clock.now() }
        let today = fixed.map { CivilDate(utcInstant: $0) } ?? Clock.today()
        let dataSource: WorkbenchDataSource
        let lockWaits = LockWaits()
        if demoFixture {
            let demo = InMemoryDataSource.demo()
            if let fixed { demo.clock = fixed }
            dataSource = demo
        } else {
            let (db, actor) = try await store.openAsOperator(laterWaits: { lockWaits.say($0.brief) })
            let location = store.location
            let shown = location.isPostgres ? ((try? PostgresURL(parsing: location.path))?.description ?? "PostgreSQL") : location.path
            dataSource = StoreDataSource(store: db, context: WorkbenchContext(operatorName: actor.name, database: shown, asOf: today, role: actor.role),
                                         actor: actor, lettersBase: location.directory, clock: clock)
        }
        let job = WorkbenchJob(dataSource: dataSource, theme: colourTheme, monochrome: monochrome, keymap: keys, scripts: callScripts,
                               lockWaits: lockWaits)
        try await job.runOnOwnThread()
    }
}

/// The workbench's loop blocks on the terminal and waits for store calls; it runs on a thread
/// of its own so that it never occupies one of Swift's cooperative threads.
final class WorkbenchJob: @unchecked Sendable {
    let dataSource: WorkbenchDataSource
    let theme: Theme
    let monochrome: Theme
    let keymap: Keymap
    let scripts: [CallScript]
    let lockWaits: LockWaits

    init(dataSource: WorkbenchDataSource, theme: Theme, monochrome: Theme, keymap: Keymap, scripts: [CallScript], lockWaits: LockWaits) {
        self.scripts = scripts
        self.lockWaits = lockWaits
        self.dataSource = dataSource
        self.theme = theme
        self.monochrome = monochrome
        self.keymap = keymap
    }

    func runOnOwnThread() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let thread = Thread {
                do {
                    try self.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func run() throws {
        let terminal = try CursesTerminal()
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let chosen = terminal.supportsColor && !noColour ? theme : monochrome
        do {
            let workbench = try Workbench(dataSource: dataSource, size: terminal.size, theme: chosen, keymap: keymap, scripts: scripts,
                                          lockWaits: lockWaits)
            try workbench.run(on: terminal)
        } catch {
            terminal.restore()
            throw error
        }
    }
}

/// The workbench's config file: `$XDG_CONFIG_HOME/parley/config.toml`, else
/// `~/.config/parley/config.toml`. Keys: `theme` (a name or a path), `keymap` (a TOML keymap
/// file), `scripts` (a directory of call scripts). Options on the command line win.
struct WorkbenchConfig {
    var theme: String?
    var keymap: String?
    var scripts: String?

    static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/parley/config.toml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/parley/config.toml"
    }

    static func load(from path: String = WorkbenchConfig.path()) throws(ConfigError) -> WorkbenchConfig {
        guard FileManager.default.fileExists(atPath: path) else { return WorkbenchConfig() }
        let doc = try TOMLSection.load(contentsOf: path)
        try doc.rejectUnknownKeys(allowed: ["theme", "keymap", "scripts"])
        return WorkbenchConfig(theme: try doc.string("theme"), keymap: try doc.string("keymap"), scripts: try doc.string("scripts"))
    }
}
