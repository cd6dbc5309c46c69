import Foundation

/// Where the store's word that a call is waiting for another process's lock reaches the
/// workbench while the call waits. The store says it from the thread that waits: the
/// workbench's own (a read on it) or the store's writer (the workbench's thread then blocked on
/// the call). Either way the workbench's thread is inside `Workbench.perform`, and shows it
/// only then: `during` sets what shows it for the length of a call, under a lock that the call's
/// end takes again, so the status line is drawn from one thread at a time and never while the
/// workbench's thread draws. Word that comes while no call runs (from the name index's read at
/// start, on a thread of its own) is dropped: nothing the collector asked for is waiting.
public final class LockWaits: @unchecked Sendable {
    private let lock = NSLock()
    /// Shows a text on the status line; set only while a store call runs (guarded by `lock`).
    private var show: ((String) -> Void)?

    public init() {}

    /// What a wait says (`LockWaitNotice.brief`): shown at once while a call of the
    /// workbench's is waiting, dropped otherwise.
    @Sendable public func say(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        show?(text)
    }

    /// `body` (a store call), with `show` drawing what a wait says meanwhile.
    func during<T>(_ show: @escaping (String) -> Void, _ body: () throws -> T) rethrows -> T {
        lock.withLock { self.show = show }
        defer { lock.withLock { self.show = nil } }
        return try body()
    }
}
