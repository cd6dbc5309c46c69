import Foundation

/// A PostgreSQL server and database named as `postgres://user[:password]@host[:port]/database`
/// (`postgresql://` too). The port defaults to 5432, the user to the operator's OS account, the
/// database to the user's name.
public struct PostgresURL: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    /// True when `text` names a PostgreSQL server rather than a file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses the URL; the error names what is wrong with it.
    public init(parsing text: String) throws {
        guard Self.isPostgres(text), let parts = URLComponents(string: text) else {
            throw StoreError.database(path: text, reason: "not a PostgreSQL URL; write postgres://user[:password]@host[:port]/database")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw StoreError.database(path: text, reason: "the URL names no host; write postgres://user@host:port/database")
        }
        let user = parts.user.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 } ?? OperatorName.current()
        let database = String(parts.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        self.init(host: host, port: parts.port ?? 5432, user: user, password: parts.password?.removingPercentEncoding, database: database.isEmpty ? user : database)
    }

    /// The URL without its password, for messages.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
