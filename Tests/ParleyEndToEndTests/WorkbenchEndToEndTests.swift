import Foundation
import ParleyCore
import XCTest

/// Drives the built `parley` binary in tmux on a private socket, in a hermetic environment
/// (C.UTF-8, TZ=UTC, a private HOME), waiting for each screen by polling `capture-pane`.
final class WorkbenchEndToEndTests: XCTestCase {
    private var socket = ""
    private var home: URL!
    private let session = "parley"

    override func setUpWithError() throws {
        guard let _ = Self.which("tmux") else { throw XCTSkip("tmux is not installed") }
        socket = "parley-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        home = FileManager.default.temporaryDirectory.appendingPathComponent("parley-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try "set -g status off\n".write(to: home.appendingPathComponent("tmux.conf"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        _ = try? tmux(["kill-server"], output: false)
        if let home { try? FileManager.default.removeItem(at: home) }
    }

    // MARK: - Helpers

    /// The `parley` executable next to the test bundle (.build/<triple>/debug/parley).
    static func parleyBinary() throws -> URL {
        var candidates: [URL] = []
        for bundle in Bundle.allBundles + [Bundle.main] {
            var directory = bundle.bundleURL
            for _ in 0..<3 {
                directory.deleteLastPathComponent()
                candidates.append(directory.appendingPathComponent("parley"))
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/parley"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
        }
        throw XCTSkip("the parley binary was not found next to the tests; run `swift build` first (looked in \(candidates.map(\.path)))")
    }

    static func which(_ tool: String) -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(tool)") {
            return "\(directory)/\(tool)"
        }
        return nil
    }

    /// Runs tmux on the private socket and returns what it printed. Spawned directly and read
    /// through a file, not a pipe: the tmux server that the first call starts inherits the
    /// client's descriptors and would hold a pipe open for as long as it runs.
    @discardableResult
    private func tmux(_ arguments: [String], output wantOutput: Bool = true) throws -> String {
        let outputPath = home.appendingPathComponent("tmux-output-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, wantOutput ? outputPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = [Self.which("tmux")!, "-L", socket, "-f", home.appendingPathComponent("tmux.conf").path] + arguments
        let env = environment.map { "\($0.key)=\($0.value)" }
        var cArgv = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArgv, &cEnv)
        guard spawned == 0 else { throw XCTSkip("cannot run tmux (error \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard wantOutput, let data = FileManager.default.contents(atPath: outputPath) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    private var environment: [String: String] {
        ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TZ": "UTC", "HOME": home.path, "TERM": "xterm-256color",
         "PATH": "/usr/bin:/bin", "TMUX_TMPDIR": home.path]
    }

    /// Starts parley in the session under a shell that prints its exit status when it ends
    /// (tmux's own record of a dead pane's status is not reliable). The shell traps INT and TERM
    /// so that only parley reacts to them.
    private func start(_ arguments: String = "--demo-fixture", directory: String? = nil, width: Int = 100, height: Int = 30, environment: String = "") throws {
        let binary = try Self.parleyBinary()
        let parley = "env -i LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC HOME='\(home.path)' TERM=xterm-256color \(environment) '\(binary.path)' \(arguments)"
        let cd = directory.map { "cd '\($0)' && " } ?? ""
        let command = "sh -c \"trap true INT TERM; \(cd)\(parley); echo parley exited with status \\$?; sleep 600\""
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command], output: false)
    }

    /// parley's process id: the child of the pane's shell.
    private func parleyPID() throws -> pid_t {
        let shell = try tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        return try XCTUnwrap(children.split(separator: " ").first.flatMap { pid_t($0) })
    }

    /// The pane's text; `joined` rejoins lines the terminal wrapped (for plain output, not the workbench).
    private func screen(joined: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (joined ? ["-J", "-S", "-"] : []) + ["-t", session])
    }

    private struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    private func send(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }

    private func type(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }

    /// Polls the screen until it satisfies the condition; fails with the last screen after 10 s.
    @discardableResult
    private func waitFor(_ what: String, joined: Bool = false, file: StaticString = #filePath, line: UInt = #line,
                         _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(20)
        var last = ""
        while Date() < deadline {
            last = try screen(joined: joined)
            if condition(last) { return last }
            usleep(50_000)
        }
        XCTFail("timed out waiting for \(what); the screen was:\n\(last)", file: file, line: line)
        throw TimedOut(what: what)
    }

    private func waitFor(text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try waitFor("“\(text)”", file: file, line: line) { $0.contains(text) }
    }

    /// Waits for parley to end; returns its exit status and whether the terminal is back on
    /// the normal screen.
    private func waitForExit(file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int?, alternate: Bool) {
        let screen = try waitFor("parley to exit", joined: true, file: file, line: line) { $0.contains("parley exited with status ") }
        let status = screen.components(separatedBy: "parley exited with status ").last
            .flatMap { Int($0.prefix { $0.isNumber }) }
        let alternate = try tmux(["display-message", "-p", "-t", session, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return (status, alternate == "1")
    }

    // MARK: - Tests

    func testCollectorMovesSearchesOpensHelpResizesAndQuits() throws {
        try start()
        try waitFor(text: "株式会社山田商事")
        try waitFor(text: "1 of 40 accounts")

        try send("j")
        try waitFor("the second account selected") { $0.contains("2 of 40 accounts") && $0.contains("History · A-1002") }
        try send("Down")
        try waitFor(text: "History · A-1003")

        try send("/")
        try waitFor(text: "Filter (debtor, account, invoice):")
        try type("harbor")
        try send("Enter")
        try waitFor("the filtered queue") { $0.contains("Queue · 1 account · filter “harbor”") && $0.contains("History · A-1003") }
        try send("c")
        try waitFor(text: "Queue · 40 accounts ")

        try send("?")
        try waitFor(text: "move.down")
        try send("Escape")
        try waitFor("the help closed") { !$0.contains("move.down") }

        try tmux(["resize-window", "-t", session, "-x", "120", "-y", "40"])
        try waitFor("the 120×40 layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 40 && lines.contains { $0.contains("1–16 of 40") }
        }
        try tmux(["resize-window", "-t", session, "-x", "70", "-y", "20"])
        try waitFor(text: "Parley needs at least 80×24; this terminal is 70×20.")
        try tmux(["resize-window", "-t", session, "-x", "100", "-y", "30"])
        try waitFor(text: "[1] Queue")

        try send("q")
        let exit = try waitForExit()
        XCTAssertEqual(exit.status, 0)
        XCTAssertFalse(exit.alternate, "the terminal left the alternate screen")
    }

    /// Creates the demo database in the private HOME the way a first `parley` run does, so the
    /// workbench then opens at once.
    private func createDemoDatabase() throws {
        let process = Process()
        process.executableURL = try Self.parleyBinary()
        process.arguments = ["queue", "--limit", "1"]
        process.environment = ["LANG": "C.UTF-8", "TZ": "UTC", "HOME": home.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    /// Runs the binary to the end with the private HOME; returns its status and output.
    private func runParley(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try Self.parleyBinary()
        process.arguments = arguments
        process.environment = ["LANG": "C.UTF-8", "TZ": "UTC", "HOME": home.path]
        let outputPath = home.appendingPathComponent("run-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: outputPath.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputPath)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        return (process.terminationStatus, try String(contentsOf: outputPath, encoding: .utf8))
    }

    /// Issue 9's round trip: a collector's settlement beyond authority waits; the supervisor
    /// (the OS user, the demo's first supervisor) approves it in the workbench; the case settles.
    func testSupervisorApprovesACollectorsSettlementInTheWorkbench() throws {
        try createDemoDatabase()
        let asked = try runParley(["offer", "A-0023", "--kind", "settlement", "--discount", "40", "--accept", "--as", "alice"])
        XCTAssertEqual(asked.status, 0, asked.output)
        XCTAssertTrue(asked.output.contains("awaiting approval"), asked.output)

        try start("")
        try waitFor(text: "History · A-")
        try send("A")
        try waitFor("the approvals") { $0.contains("Approvals") && $0.contains("A-0023") && $0.contains("asked by alice") && $0.contains("exceeds: discount 40%") }
        try send("y")
        try waitFor(text: "Approved the offer on A-0023")
        try waitFor(text: "No offers are waiting for approval.")
        try send("Escape")
        try waitFor("the approvals closed") { !$0.contains("No offers are waiting") }
        try send("q")
        XCTAssertEqual(try waitForExit().status, 0)

        let shown = try runParley(["show", "A-0023", "--format", "json", "--as", "alice"])
        XCTAssertEqual(shown.status, 0, shown.output)
        XCTAssertTrue(shown.output.contains("\"status\" : \"settling\""), shown.output)
        let letters = home.appendingPathComponent(".local/share/parley/letters")
        let written = FileManager.default.enumerator(atPath: letters.path)?.compactMap { $0 as? String } ?? []
        XCTAssertTrue(written.contains { $0.hasSuffix("A-0023-settlement-agreement.txt") }, "\(written)")
    }

    func testTheWorkbenchOpensOnTheDemoDatabaseAndFindsADebtor() throws {
        try createDemoDatabase()
        try start("")
        try waitFor("the demo queue") { $0.contains("[1] Queue ·") && $0.contains("accounts") && $0.contains("as of") }
        try waitFor(text: "History · A-")
        try send("j")
        try waitFor(text: "2 of ")
        try send("/")
        try waitFor(text: "Filter (debtor, account, invoice):")
        try type("Weiß Technik")
        try send("Enter")
        try waitFor("the filtered queue") { $0.contains("Queue · 1 account") && $0.contains("History · A-0023") && $0.contains("EUR 79,361.64") }
        try send("q")
        XCTAssertEqual(try waitForExit().status, 0)
    }

    // MARK: - The call, end to end on the demo database

    /// `parley show ACCOUNT --format json` in the same private HOME, decoded.
    private func showJSON(_ account: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = try Self.parleyBinary()
        process.arguments = ["show", account, "--format", "json"]
        process.environment = ["LANG": "C.UTF-8", "TZ": "UTC", "HOME": home.path]
        let out = home.appendingPathComponent("show-\(UUID().uuidString).json")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        XCTAssertEqual(process.terminationStatus, 0)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
    }

    private func history(_ json: [String: Any]) -> [[String: Any]] { json["history"] as? [[String: Any]] ?? [] }

    /// Tomorrow (UTC) at a local time in Phoenix (UTC-7, no daylight saving), as `--now` takes it:
    /// later than the demo database's creation, whatever the day the tests run.
    private func tomorrowInPhoenix(_ time: String) -> (instant: String, day: String) {
        let tomorrow = Date().addingTimeInterval(86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day], from: tomorrow)
        let day = String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!)
        return ("\(day)T\(time)-07:00", day)
    }

    /// Opens the workbench at `now` on Mei Miller (A-0054), a consumer in Phoenix, with the
    /// script pane focused.
    private func openOnMeiMiller(now: String) throws {
        try createDemoDatabase()
        try start("--now \(now)", width: 120, height: 40)
        try waitFor("the demo queue") { $0.contains("[1] Queue ·") && $0.contains("as of") }
        try send("/")
        try waitFor(text: "Filter (debtor, account, invoice):")
        try type("Mei Miller")
        try send("Enter")
        try waitFor(text: "History · A-0054")
        try send("4")
    }

    func testCantPayBecomesAThreePaymentPlanWithItsWrittenAgreement() throws {
        let (now, day) = tomorrowInPhoenix("10:00:00")
        try openOnMeiMiller(now: now)
        try waitFor(text: "Call allowed now")
        try waitFor(text: "may I speak with Mei Miller?")
        try send("y")
        try waitFor(text: "confirm your date of birth")
        try send("y")
        try waitFor(text: "Required disclosure")
        try send("c")
        try waitFor(text: "Can you pay the full amount today?")
        try send("c")
        try waitFor(text: "Could you pay part today")
        try send("o")
        try waitFor(text: "j/k Enter load · e edit · a accept")
        try send("e")
        try waitFor(text: "Tab field")
        try send("Tab")
        try send("Tab")
        try send("BSpace")
        try type("3")
        // USD 10,758.75 in three monthly payments of 3,586.25.
        try waitFor(text: "Total USD 10,758.75 in 3 payments")
        try waitFor(text: "3586.25")
        try send("a")
        try waitFor(text: "Case is now on a plan")
        try waitFor(text: "Written agreement: …")
        try waitFor(text: "A-0054-plan-agreement.txt")
        // The history's timeline, newest first, below the invoices.
        try send("2")
        try send("C-d")
        try send("C-d")
        try waitFor(text: "payment plan of 3")
        // The close confirms the terms and ends the call.
        try send("4")
        try waitFor(text: "you will receive the agreement in writing")
        try send("e")
        try waitFor(text: "Call complete")
        try send("q")
        XCTAssertEqual(try waitForExit().status, 0)

        let shown = try showJSON("A-0054")
        XCTAssertEqual((shown["case"] as? [String: Any])?["status"] as? String, "onPlan")
        let kinds = history(shown).map { $0["kind"] as? String ?? "" }
        XCTAssertTrue(kinds.contains("right-party-contact"), "\(kinds)")
        XCTAssertTrue(kinds.contains("plan-agreed"), "\(kinds)")
        XCTAssertEqual(kinds.last, "call-attempted")
        let letters = home.appendingPathComponent(".local/share/parley/letters/\(day)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: letters.path)) ?? []
        XCTAssertTrue(files.contains { $0.hasPrefix("A-0054") && $0.contains("agreement") }, "letters: \(files)")
    }

    func testACallAtTenAtNightLocalIsBlockedAndNothingIsRecorded() throws {
        let (now, _) = tomorrowInPhoenix("22:00:00")
        try createDemoDatabase()
        let before = history(try showJSON("A-0054")).count
        try openOnMeiMiller(now: now)
        try waitFor(text: "CALL BLOCKED")
        try waitFor(text: "22:00 in America/Phoenix")
        try send("n")
        try waitFor(text: "Call blocked, nothing recorded")
        try send("y")
        try send("q")
        XCTAssertEqual(try waitForExit().status, 0)
        XCTAssertEqual(history(try showJSON("A-0054")).count, before)
    }

    func testAPromiseForNextFridayIsRecordedFromTheScript() throws {
        let (now, day) = tomorrowInPhoenix("10:00:00")
        let asOf = CivilDate(iso: day)!
        let ahead = (5 - asOf.isoWeekday + 7) % 7
        let friday = asOf.adding(days: ahead == 0 ? 7 : ahead).iso
        try openOnMeiMiller(now: now)
        try waitFor(text: "Call allowed now")
        for (key, next) in [("y", "confirm your date of birth"), ("y", "Required disclosure"), ("c", "Can you pay the full amount today?"),
                            ("w", "Which day will you pay"), ("p", "Promise: amount (USD): 10758.75")] {
            try send(key)
            try waitFor(text: next)
        }
        try send("Enter")
        try waitFor(text: "pay by: \(friday)")
        try send("Enter")
        try waitFor(text: "Recorded promise of USD 10,758.75 by \(friday)")
        try send("q")
        XCTAssertEqual(try waitForExit().status, 0)
        let shown = try showJSON("A-0054")
        XCTAssertEqual((shown["case"] as? [String: Any])?["status"] as? String, "promised")
        XCTAssertTrue(history(shown).contains { $0["kind"] as? String == "promise-made" })
    }

    /// Another command holds the file's write lock (a `parley record` stopped inside its
    /// transaction by the crash tests' hook) while the collector adds a note: the status line
    /// says what the workbench waits for once a second has passed; when the other lets go (it is
    /// killed: its write is rolled back), the note is recorded.
    func testANoteWaitingForAnotherCommandsLockSaysSoThenIsRecorded() throws {
        try createDemoDatabase()
        try start("", width: 120, height: 40, environment: "PARLEY_BUSY_TIMEOUT=30")
        try waitFor(text: "History · A-")
        let account = try XCTUnwrap(try screen().components(separatedBy: "History · ").last.map { String($0.prefix(6)) })
        let notesBefore = history(try showJSON(account)).filter { $0["kind"] as? String == "note" }.count

        let marker = home.appendingPathComponent("inside-transaction").path
        let holder = Process()
        holder.executableURL = try Self.parleyBinary()
        holder.arguments = ["record", account, "note", "held", "by", "the", "other"]
        holder.environment = ["LANG": "C.UTF-8", "TZ": "UTC", "HOME": home.path, "PARLEY_TEST_PAUSE_IN_TX": marker]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: marker), Date() < deadline, holder.isRunning { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the other command did not reach its transaction")

        try send("n")
        try waitFor(text: "Note on \(account):")
        try type("called while locked")
        try send("Enter")
        try waitFor(text: "Waiting up to 30 s for parley.sqlite: another process (an import, the daily run or another command) is writing to it")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        try waitFor(text: "Recorded note: called while locked")
        try send("q")
        XCTAssertEqual(try waitForExit().status, 0)

        let notes = history(try showJSON(account)).filter { $0["kind"] as? String == "note" }
        XCTAssertEqual(notes.count, notesBefore + 1, "\(notes)")
        XCTAssertFalse(notes.contains { ($0["summary"] as? String ?? "").contains("held by the other") }, "\(notes)")
    }

    func testCtrlCRestoresTheTerminal() throws {
        try start()
        try waitFor(text: "[1] Queue")
        try send("C-c")
        let exit = try waitForExit()
        XCTAssertEqual(exit.status, 130)
        XCTAssertFalse(exit.alternate, "the terminal left the alternate screen")
    }

    func testSigtermRestoresTheTerminal() throws {
        try start()
        try waitFor(text: "[1] Queue")
        XCTAssertEqual(kill(try parleyPID(), SIGTERM), 0)
        let exit = try waitForExit()
        XCTAssertEqual(exit.status, 143)
        XCTAssertFalse(exit.alternate, "the terminal left the alternate screen")
    }

    func testUnknownThemeIsRefusedBeforeTheScreenOpens() throws {
        try start("--demo-fixture --theme solarised")
        let exit = try waitForExit()
        XCTAssertNotEqual(exit.status, 0)
        try waitFor("the theme error", joined: true) { $0.contains("no theme named \"solarised\"") }
    }

    func testTheConfigFilePicksTheThemeAndABadKeyIsNamed() throws {
        let config = home.appendingPathComponent(".config/parley")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "theme = \"solarised\"\n".write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        try start("--demo-fixture")
        XCTAssertNotEqual(try waitForExit().status, 0)
        try waitFor("the theme named in the config file", joined: true) { $0.contains("no theme named \"solarised\"") }
        try tmux(["kill-session", "-t", session], output: false)

        try "colour = \"light\"\n".write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        try start("--demo-fixture")
        XCTAssertNotEqual(try waitForExit().status, 0)
        try waitFor("the config file's error", joined: true) { $0.contains("config.toml: key \"colour\": unknown key") }
    }

    func testThemesAreFoundWhenRunFromAnotherDirectory() throws {
        try start("--demo-fixture --theme light", directory: "/")
        try waitFor(text: "[1] Queue")
        try send("q")
        XCTAssertEqual(try waitForExit().status, 0)
    }
}
