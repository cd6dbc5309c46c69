#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A throwaway PostgreSQL cluster for the tests and `parley bench team`: `initdb` in a temporary
/// directory, started on a free loopback port with trust authentication, stopped and removed by
/// `stop()`. When the process runs as root the server runs as the `postgres` user (the server
/// refuses to run as root).
public final class PostgresCluster: Sendable {
    public let directory: String
    public let port: Int
    public let binDirectory: String
    public let superuser = "postgres"

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The URL of a database in the cluster, as the superuser.
    public func url(database: String = "postgres") -> PostgresURL {
        PostgresURL(host: "127.0.0.1", port: port, user: superuser, database: database)
    }

    private init(directory: String, port: Int, binDirectory: String) {
        self.directory = directory
        self.port = port
        self.binDirectory = binDirectory
    }

    /// The newest server installed under /usr/lib/postgresql (Debian's layout), or on the PATH.
    public static func findBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/initdb") && FileManager.default.isExecutableFile(atPath: "\(dir)/pg_ctl") {
            return String(dir)
        }
        return nil
    }

    /// A loopback port nothing listens on now.
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

    /// Creates and starts a cluster. Throws `Unavailable` saying why when there are no server
    /// binaries or the server does not start.
    /// With `certificate` (a PEM certificate and its key), the server offers TLS with them.
    public static func start(maxConnections: Int = 200, certificate: (cert: String, key: String)? = nil) throws -> PostgresCluster {
        guard let bin = findBinaries() else {
            throw Unavailable(description: "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql or on the PATH; apt-get install postgresql")
        }
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("parley-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if getuid() == 0 { try run("/bin/chown", ["postgres:postgres", base]) }
        let port = freePort()
        let cluster = PostgresCluster(directory: base, port: port, binDirectory: bin)
        do {
            var options = "-p \(port) -k \(base) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=\(maxConnections)"
            if let certificate {
                // The server reads its key only when the key is its own and private.
                for (source, name) in [(certificate.cert, "server.crt"), (certificate.key, "server.key")] {
                    try FileManager.default.copyItem(atPath: source, toPath: base + "/" + name)
                    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: base + "/" + name)
                    if getuid() == 0 { try run("/bin/chown", ["postgres:postgres", base + "/" + name]) }
                }
                options += " -c ssl=on -c ssl_cert_file=\(base)/server.crt -c ssl_key_file=\(base)/server.key"
            }
            try cluster.tool("initdb", ["-D", base + "/data", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"])
            try cluster.tool("pg_ctl", ["-D", base + "/data", "-l", base + "/log", "-w", "-t", "60", "-o", options, "start"])
        } catch {
            try? FileManager.default.removeItem(atPath: base)
            throw error
        }
        return cluster
    }

    /// Stops the server and removes its directory.
    public func stop() {
        _ = try? tool("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func tool(_ name: String, _ args: [String]) throws {
        if getuid() == 0 {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(binDirectory)/\(name)"] + args)
        } else {
            try Self.run("\(binDirectory)/\(name)", args)
        }
    }

    /// Runs a tool and waits for it with `waitpid` (Foundation's `Process.waitUntilExit` can
    /// miss the exit of a child whose grandchild, the server, lives on). Its output goes to a
    /// file, not a pipe, for the same reason.
    @discardableResult
    static func run(_ path: String, _ args: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("parley-pg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Unavailable(description: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Unavailable(description: "\(path) \(args.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }
}
