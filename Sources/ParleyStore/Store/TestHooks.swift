import Foundation

/// A hook for the crash tests: when `PARLEY_TEST_PAUSE_IN_TX` names a file, a writing command
/// creates that file from inside its transaction and then waits there until it is killed. The
/// test sees the file, sends SIGKILL, and checks that the database holds nothing of the write.
enum TestHooks {
    static let pauseVariable = "PARLEY_TEST_PAUSE_IN_TX"

    static func pauseInsideTransactionIfAsked() {
        guard let path = ProcessInfo.processInfo.environment[pauseVariable], !path.isEmpty else { return }
        _ = FileManager.default.createFile(atPath: path, contents: Data("\(getpid())\n".utf8))
        while true { sleep(60) }
    }

    static let cacheVariable = "PARLEY_TEST_LARGE_TX_CACHE_KIB"

    /// The page cache of an import's or a run's transaction, in KiB, when `PARLEY_TEST_LARGE_TX_CACHE_KIB`
    /// sets one: a small one makes a small import write pages into the file (or its WAL) before
    /// its commit, as a large one does, for the crash tests.
    static var largeTransactionCacheKiB: Int? {
        ProcessInfo.processInfo.environment[cacheVariable].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }
}
