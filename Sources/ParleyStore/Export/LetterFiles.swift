#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ParleyCore
import Synchronization

/// Renders the letters recorded as sent on a day into files: BASE/letters/DATE/ACCOUNT-KIND.txt.
/// Shared by `parley run`, `parley letters`, `parley offer --accept` and the workbench (which
/// writes an accepted offer's agreement this way).
public enum LetterFiles {
    /// Every letter sent on `date` (only the account's when `accountID` is given), rendered with
    /// the bundled templates or those in `templates`; returns the paths written.
    public static func write(_ db: any CaseStore, on date: CivilDate, base: String, templates: String?, accountID: String? = nil) async throws -> [String] {
        let letters = try await db.lettersSent(on: date).filter { accountID == nil || $0.accountID == accountID }
        guard !letters.isEmpty else { return [] }
        let renderer = try LetterRenderer(overrides: templates)
        let directory = (base as NSString).appendingPathComponent("letters/\(date.iso)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        // The accounts and cases of a thousand letters at a time, read together.
        var start = 0
        while start < letters.count {
            let batch = letters[start..<min(letters.count, start + 1_000)]
            let held = try await db.accountsAndCases(batch.map(\.accountID), histories: false)
            let jobs = batch.compactMap { letter in held[letter.accountID].map { (letter, $0.0, $0.1) } }
            written += try render(jobs, on: date, into: directory, renderer: renderer, policy: db.policy)
            start += 1_000
        }
        return written
    }

    /// Renders and writes `jobs`' letters, on as many threads as there are cores: rendering and
    /// creating the files is all of the work once the accounts are read (`parley letters` for
    /// the 167,419 first-day letters at 200,000 accounts: 54.7 s on one thread, 35.5 s on this
    /// machine's two, the same files by `diff -r`). Returns the paths in the
    /// order of `jobs`; the first failure is thrown once every thread has stopped.
    static func render(_ jobs: [(SentLetter, Account, CaseRecord)], on date: CivilDate, into directory: String, renderer: LetterRenderer, policy: Policy) throws -> [String] {
        let paths = jobs.map { (directory as NSString).appendingPathComponent(LetterRenderer.fileName(accountID: $0.0.accountID, kind: $0.0.kind)) }
        let failure = Mutex<(any Error)?>(nil)
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, jobs.count / 64))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for i in stride(from: thread, to: jobs.count, by: threads) {
                let (letter, account, record) = jobs[i]
                let content = LetterAssembly.content(kind: letter.kind, on: date, account: account, record: record, policy: policy)
                do {
                    try replace(paths[i], with: renderer.render(content))
                } catch {
                    failure.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return paths
    }

    /// Writes `text` to a temporary file beside `path` and renames it over `path`: a reader sees
    /// the old letter or the new one, never half of one. Unlike Foundation's atomic write it does
    /// not fsync each file: a run writes one letter per case it reminds (167,419 on the first day
    /// of the 200,000-account benchmark), and an fsync each took most of the time; a letter lost
    /// in a crash is written again by `parley letters --as-of DATE` from the log.
    static func replace(_ path: String, with text: String) throws {
        let temporary = path + ".part"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw StoreError.database(path: temporary, reason: "cannot write the letter: \(String(cString: strerror(errno)))") }
        var bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                _ = close(fd)
                throw StoreError.database(path: temporary, reason: "cannot write the letter: \(reason)")
            }
            done += n
        }
        bytes.removeAll()
        guard close(fd) == 0 else { throw StoreError.database(path: temporary, reason: "cannot write the letter: \(String(cString: strerror(errno)))") }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError.database(path: path, reason: "cannot move the letter into place: \(reason)")
        }
    }
}
