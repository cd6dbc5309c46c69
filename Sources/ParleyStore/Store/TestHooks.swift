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
}
