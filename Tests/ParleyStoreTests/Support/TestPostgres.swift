import Foundation

/// A throwaway PostgreSQL cluster for the store tests: initdb in a temporary directory, started
/// on a free loopback port, stopped and removed afterwards. When the tests run as root the
/// server runs as the `postgres` user. Without the server binaries, `start()` returns nil with the
/// reason, and the PostgreSQL tests say plainly that they were skipped and why.
final class TestPostgres: @unchecked Sendable {
    let directory: URL
    let port: Int
    let binDirectory: String

    var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    private init(directory: URL, port: Int, binDirectory: String) {
        self.directory = directory
        self.port = port
        self.binDirectory = binDirectory
    }

    enum Unavailable: Error, CustomStringConvertible {
        case noServer(String)
        case failed(String)
        var description: String {
            switch self {
            case .noServer(let why): return why
            case .failed(let why): return why
            }
        }
    }

    /// One cluster per test process, started on first use.
    static let shared: Result<TestPostgres, Unavailable> = {
        do { return .success(try TestPostgres.start()) } catch let e as Unavailable { return .failure(e) } catch { return .failure(.failed("\(error)")) }
    }()

    static func findBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for v in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") {
            return "\(root)/\(v)/bin"
        }
        return nil
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func start() throws -> TestPostgres {
        guard let bin = findBinaries() else {
            throw Unavailable.noServer("PostgreSQL tests skipped: no server binaries under /usr/lib/postgresql (apt-get install postgresql)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("parley-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { try run("/bin/chown", ["postgres:postgres", dir.path]) }
        let port = freePort()
        let server = TestPostgres(directory: dir, port: port, binDirectory: bin)
        try server.pg("initdb", ["-D", dir.path + "/data", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        try server.pg("pg_ctl", ["-D", dir.path + "/data", "-l", dir.path + "/log", "-o",
                                 "-p \(port) -k \(dir.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "-w", "start"])
        atexit { TestPostgres.stopShared() }
        return server
    }

    static func stopShared() {
        if case .success(let server) = shared { server.stop() }
    }

    func stop() {
        _ = try? pg("pg_ctl", ["-D", directory.path + "/data", "-m", "fast", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    private func pg(_ tool: String, _ args: [String]) throws {
        if getuid() == 0 {
            try TestPostgres.run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(binDirectory)/\(tool)"] + args)
        } else {
            try TestPostgres.run("\(binDirectory)/\(tool)", args)
        }
    }

    @discardableResult
    static func run(_ path: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw Unavailable.failed("\(path) \(args.joined(separator: " ")) failed (\(p.terminationStatus)): \(text)")
        }
        return text
    }
}
