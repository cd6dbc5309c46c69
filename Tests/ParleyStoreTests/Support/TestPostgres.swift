import Foundation
import ParleyStore

/// The PostgreSQL cluster the store tests share: one per test process, started on first use by
/// `PostgresCluster` (initdb in a temporary directory, a free loopback port, the `postgres` user
/// when the tests run as root) and stopped when the process exits. Each test makes its own
/// database in it. Without the server binaries `shared` holds the reason, and the PostgreSQL
/// tests are skipped saying it.
enum TestPostgres {
    static let shared: Result<PostgresCluster, PostgresCluster.Unavailable> = {
        do {
            let cluster = try PostgresCluster.start()
            atexit { TestPostgres.stopShared() }
            return .success(cluster)
        } catch let error as PostgresCluster.Unavailable {
            return .failure(error)
        } catch {
            return .failure(PostgresCluster.Unavailable(description: "\(error)"))
        }
    }()

    static func stopShared() {
        if case .success(let cluster) = shared { cluster.stop() }
    }

    /// A new empty database in the shared cluster, or the reason there is none.
    static func freshDatabase() async throws -> PostgresURL {
        let cluster: PostgresCluster
        switch shared {
        case .success(let running): cluster = running
        case .failure(let why): throw Skip(reason: "PostgreSQL tests skipped: \(why.description)")
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresCaseStore.createDatabase(name, on: cluster.url())
        return cluster.url(database: name)
    }

    struct Skip: Error { var reason: String }
}
