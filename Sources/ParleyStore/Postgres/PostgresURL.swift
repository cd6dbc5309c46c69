import Foundation

/// A PostgreSQL server and database named as `postgres://user[:password]@host[:port]/database`
/// (`postgresql://` too), with libpq's `?sslmode=...&sslrootcert=PATH` options. The port defaults
/// to 5432, the user to the operator's OS account, the database to the user's name, `sslmode` to
/// `prefer` (encrypted when the server offers it).
public struct PostgresURL: Hashable, Sendable, CustomStringConvertible {
    /// Whether the connection is encrypted and what is checked, as libpq's `sslmode`.
    public enum TLSMode: String, Hashable, Sendable, CaseIterable {
        /// Never encrypted.
        case disable
        /// Encrypted when the server offers it, else not; the certificate is not checked.
        case prefer
        /// Always encrypted; the certificate is not checked.
        case require
        /// Always encrypted, by a certificate signed by a trusted authority (`sslrootcert`, else
        /// the system's).
        case verifyCA = "verify-ca"
        /// As `verify-ca`, and the certificate names the host.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// A PEM file of the authorities trusted to sign the server's certificate.
    public var rootCertificate: String?

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String, tls: TLSMode = .prefer, rootCertificate: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificate = rootCertificate
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
        var tls = TLSMode.prefer
        var rootCertificate: String?
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw StoreError.database(path: text, reason: "sslmode is \"\(item.value ?? "")\"; write one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "sslrootcert":
                guard let path = item.value, !path.isEmpty else {
                    throw StoreError.database(path: text, reason: "sslrootcert names no file; write sslrootcert=PATH to a PEM file")
                }
                rootCertificate = path
            default:
                throw StoreError.database(path: text, reason: "the URL option \"\(item.name)\" is not one parley knows; it knows sslmode and sslrootcert")
            }
        }
        self.init(host: host, port: parts.port ?? 5432, user: user, password: parts.password?.removingPercentEncoding,
                  database: database.isEmpty ? user : database, tls: tls, rootCertificate: rootCertificate)
    }

    /// The URL without its password, for messages (and to give another command the same server).
    public var description: String {
        var options: [String] = []
        if tls != .prefer { options.append("sslmode=\(tls.rawValue)") }
        if let rootCertificate { options.append("sslrootcert=\(rootCertificate)") }
        return "postgres://\(user)@\(host):\(port)/\(database)" + (options.isEmpty ? "" : "?" + options.joined(separator: "&"))
    }
}
