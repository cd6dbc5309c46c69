#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where the database lives: a file, or a PostgreSQL server named `postgres://...`. `--db` wins, then the `PARLEY_DB` environment variable, then
/// `$XDG_DATA_HOME/parley/parley.sqlite`, else `~/.local/share/parley/parley.sqlite`.
public struct DatabaseLocation: Hashable, Sendable {
    public enum Source: String, Sendable {
        case option = "--db"
        case environment = "PARLEY_DB"
        case dataDirectory = "data directory"
    }

    public var path: String
    public var source: Source

    public init(path: String, source: Source) {
        self.path = path
        self.source = source
    }

    /// Resolves the location from the command-line option and the environment (passed in, so a
    /// test can give its own).
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseLocation {
        if let option, !option.isEmpty, PostgresURL.isPostgres(option) {
            return DatabaseLocation(path: option, source: .option)
        }
        if let option, !option.isEmpty {
            return DatabaseLocation(path: expandTilde(option, environment: environment), source: .option)
        }
        if let fromEnvironment = environment["PARLEY_DB"], PostgresURL.isPostgres(fromEnvironment) {
            return DatabaseLocation(path: fromEnvironment, source: .environment)
        }
        if let fromEnvironment = environment["PARLEY_DB"], !fromEnvironment.isEmpty {
            return DatabaseLocation(path: expandTilde(fromEnvironment, environment: environment), source: .environment)
        }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            dataHome = homeDirectory(environment: environment) + "/.local/share"
        }
        return DatabaseLocation(path: dataHome + "/parley/parley.sqlite", source: .dataDirectory)
    }

    /// The directory that holds the database; letters and placement files go under it by default.
    /// For a PostgreSQL server, the current directory.
    public var directory: String {
        if isPostgres { return FileManager.default.currentDirectoryPath }
        return (path as NSString).deletingLastPathComponent
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// True when the location names a PostgreSQL server (`postgres://...`) rather than a file.
    public var isPostgres: Bool { PostgresURL.isPostgres(path) }

    static func homeDirectory(environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }

    static func expandTilde(_ path: String, environment: [String: String]) -> String {
        if path == "~" { return homeDirectory(environment: environment) }
        if path.hasPrefix("~/") { return homeDirectory(environment: environment) + path.dropFirst(1) }
        return path
    }
}

/// The operator's name when `--as` is not given: `$USER`, else the account name of the process.
public enum OperatorName {
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let user = environment["USER"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "operator"
    }
}
