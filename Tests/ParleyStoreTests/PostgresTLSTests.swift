import Foundation
@testable import ParleyStore
import XCTest

/// `sslmode` and `sslrootcert` in a server's URL: what they ask for is what the connection is,
/// and what cannot be had is refused at once, saying why. Runs a cluster of its own that offers
/// TLS with a certificate made for the test.
final class PostgresTLSTests: XCTestCase {
    func testURLOptionsAreLibpqsAndBadOnesAreNamed() throws {
        let url = try PostgresURL(parsing: "postgres://cora@db.example/parley?sslmode=verify-full&sslrootcert=/etc/parley/ca.pem")
        XCTAssertEqual(url.tls, .verifyFull)
        XCTAssertEqual(url.rootCertificate, "/etc/parley/ca.pem")
        XCTAssertEqual(url.description, "postgres://cora@db.example:5432/parley?sslmode=verify-full&sslrootcert=/etc/parley/ca.pem")
        XCTAssertEqual(try PostgresURL(parsing: "postgres://cora@db.example/parley").tls, .prefer)
        XCTAssertEqual(try PostgresURL(parsing: "postgres://cora@db.example/parley?sslmode=disable").description, "postgres://cora@db.example:5432/parley?sslmode=disable")
        XCTAssertThrowsError(try PostgresURL(parsing: "postgres://cora@db.example/parley?sslmode=always")) { error in
            XCTAssertTrue("\(error)".contains("sslmode is \"always\"; write one of disable, prefer, require, verify-ca, verify-full"), "\(error)")
        }
        XCTAssertThrowsError(try PostgresURL(parsing: "postgres://cora@db.example/parley?ssl=true")) { error in
            XCTAssertTrue("\(error)".contains("the URL option \"ssl\" is not one parley knows"), "\(error)")
        }
    }

    func testEachSSLModeGivesTheConnectionItAsksFor() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cert = directory.appendingPathComponent("server.crt").path, key = directory.appendingPathComponent("server.key").path
        let made = Process()
        made.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        made.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                          "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
        made.standardOutput = FileHandle.nullDevice
        made.standardError = FileHandle.nullDevice
        do { try made.run() } catch { throw XCTSkip("no openssl to make a certificate: \(error)") }
        made.waitUntilExit()
        XCTAssertEqual(made.terminationStatus, 0)
        let cluster: PostgresCluster
        do {
            cluster = try PostgresCluster.start(maxConnections: 20, certificate: (cert, key))
        } catch let unavailable as PostgresCluster.Unavailable {
            throw XCTSkip("PostgreSQL tests skipped: \(unavailable.description)")
        }
        defer { cluster.stop() }
        var server = cluster.url(database: "postgres")
        server.host = "localhost"

        func encrypted(_ mode: PostgresURL.TLSMode, root: String? = nil) async throws -> Bool {
            var url = server
            url.tls = mode
            url.rootCertificate = root
            let store = try await PostgresCaseStore.open(url)
            defer { Task { await store.close() } }
            return try await store.read { tx in
                try await tx.rows("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first?.flag("ssl") ?? false
            }
        }
        let disabled = try await encrypted(.disable)
        XCTAssertFalse(disabled)
        let preferred = try await encrypted(.prefer)
        XCTAssertTrue(preferred)
        let required = try await encrypted(.require)
        XCTAssertTrue(required)
        let verified = try await encrypted(.verifyFull, root: cert)
        XCTAssertTrue(verified)
        // A certificate no trusted authority signed is refused when it is to be verified.
        do {
            _ = try await encrypted(.verifyFull)
            XCTFail("a self-signed certificate was accepted by verify-full without sslrootcert")
        } catch StoreError.database(let path, _) {
            XCTAssertTrue(path.contains("sslmode=verify-full"), path)
        }
        // A server that offers no TLS refuses `require` at once and says so.
        let plain = try PostgresCluster.start(maxConnections: 20)
        defer { plain.stop() }
        var noTLS = plain.url(database: "postgres")
        noTLS.tls = .require
        do {
            _ = try await PostgresCaseStore.open(noTLS)
            XCTFail("sslmode=require connected to a server without TLS")
        } catch StoreError.database(_, let reason) {
            XCTAssertTrue(reason.contains("does not offer TLS"), reason)
        }
    }
}
