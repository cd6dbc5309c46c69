#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ParleyCore

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
        // SQLite: the accounts and cases of a thousand letters in one read on this thread, not
        // two async reads a letter (167,419 first-day letters at 200,000 accounts: 158 s before).
        let sqlite = db as? SQLiteCaseStore
        var held: [String: (Account, CaseRecord)] = [:]
        for (index, letter) in letters.enumerated() {
            if held[letter.accountID] == nil {
                if let sqlite {
                    held = try sqlite.accountsAndCasesNow(letters[index..<min(letters.count, index + 1_000)].map(\.accountID))
                } else if let account = try await db.account(id: letter.accountID), let record = try await db.caseRecord(accountID: letter.accountID) {
                    held = [letter.accountID: (account, record)]
                }
            }
            guard let (account, record) = held[letter.accountID] else { continue }
            let content = LetterAssembly.content(kind: letter.kind, on: date, account: account, record: record, policy: db.policy)
            let path = (directory as NSString).appendingPathComponent(LetterRenderer.fileName(accountID: letter.accountID, kind: letter.kind))
            try replace(path, with: renderer.render(content))
            written.append(path)
        }
        return written
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
