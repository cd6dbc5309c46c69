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
        for letter in letters {
            guard let account = try await db.account(id: letter.accountID), let record = try await db.caseRecord(accountID: letter.accountID) else { continue }
            let content = LetterAssembly.content(kind: letter.kind, on: date, account: account, record: record, policy: db.policy)
            let path = (directory as NSString).appendingPathComponent(LetterRenderer.fileName(accountID: letter.accountID, kind: letter.kind))
            try renderer.render(content).write(toFile: path, atomically: true, encoding: .utf8)
            written.append(path)
        }
        return written
    }
}
