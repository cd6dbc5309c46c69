import Foundation
import ParleyCore

extension SQLiteCaseStore {
    /// Reads and checks the files on a thread of their own while the records already read are
    /// written, in one transaction: what `importPortfolio(PortfolioImporter().read(files), …)`
    /// does, with the reading beside the writing instead of before it. All or nothing as well:
    /// a bad row rolls back what was written. The errors are the ones the two steps in turn
    /// would throw: the files' first `ImportError` when they have one (even when the write had
    /// already failed on a record before it), else the store's.
    public func importPortfolio(_ files: ImportFiles, map: ColumnMap, actor: Actor, at: Date) async throws -> ImportSummary {
        let channel = RecordChannel()
        let pool = self.pool
        let reader = Thread {
            var chunk: [ImportRecord] = []
            chunk.reserveCapacity(RecordChannel.chunkSize)
            do {
                try PortfolioImporter(map: map).stream(files, known: Self.knownRecords(pool)) { record in
                    chunk.append(record)
                    if chunk.count == RecordChannel.chunkSize {
                        channel.send(chunk)
                        chunk.removeAll(keepingCapacity: true)
                    }
                }
                if !chunk.isEmpty { channel.send(chunk) }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        reader.start()
        do {
            return try await importTransaction(actor: actor, at: at, dropIndexes: true) { importer, progress in
                while let chunk = channel.receive() {
                    for record in chunk { try importer.add(record, to: &progress) }
                }
                if let failure = channel.failure { throw failure }
            }
        } catch {
            if let failure = channel.abandon() { throw failure }
            throw error
        }
    }
}

/// The records read, handed from the reading thread to the writing one a chunk at a time; at
/// most `capacity` chunks wait.
final class RecordChannel: @unchecked Sendable {
    static let chunkSize = 1024
    static let capacity = 64

    private let condition = NSCondition()
    private var chunks: [[ImportRecord]] = []
    private var head = 0
    private var finished = false
    private var abandoned = false
    private var error: (any Error)?

    /// From the reader: the next chunk; waits while `capacity` chunks are waiting. Dropped once
    /// the writer has abandoned the import.
    func send(_ chunk: [ImportRecord]) {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count - head >= Self.capacity, !abandoned { condition.wait() }
        if abandoned { return }
        chunks.append(chunk)
        condition.broadcast()
    }

    /// From the reader: the files are read, or reading them failed with `error`.
    func finish(_ error: (any Error)?) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        self.error = error
        condition.broadcast()
    }

    /// From the writer: the next chunk, nil once the reader has finished and every chunk was
    /// taken.
    func receive() -> [ImportRecord]? {
        condition.lock()
        defer { condition.unlock() }
        while head == chunks.count, !finished { condition.wait() }
        guard head < chunks.count else { return nil }
        let chunk = chunks[head]
        chunks[head] = []
        head += 1
        if head > Self.capacity, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return chunk
    }

    /// Why the reader stopped early, once it has finished (nil when it read every file).
    var failure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return error
    }

    /// From the writer, when its transaction failed: takes no more records, waits until the
    /// reader has read the files to their end or to their first error, and returns that error.
    func abandon() -> (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        abandoned = true
        chunks.removeAll()
        head = 0
        condition.broadcast()
        while !finished { condition.wait() }
        return error
    }
}
