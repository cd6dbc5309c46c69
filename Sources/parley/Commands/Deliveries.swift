import Foundation
import ParleyCore
import ParleyStore

/// Writes the files a day's work produces: the letters sent that day, and the agency's
/// placement and recall files. Shared by `run`, `letters` and `export`.
enum Deliveries {
    /// `--out DIR` if given, else the directory that holds the database.
    static func base(_ out: String?, store: StoreOptions) -> String {
        out ?? store.location.directory
    }

    /// Renders every letter recorded as sent on `date` into BASE/letters/DATE/ACCOUNT-KIND.txt.
    static func writeLetters(_ db: any CaseStore, on date: CivilDate, base: String, templates: String?, accountID: String? = nil) async throws -> [String] {
        do {
            return try await LetterFiles.write(db, on: date, base: base, templates: templates, accountID: accountID)
        } catch let error as LetterTemplateError {
            throw CommandFailure(message: error.description)
        }
    }

    /// Writes BASE/agency/placements-DATE.csv for the accounts placed on `date` and
    /// BASE/agency/recalls-DATE.csv for those recalled that day (each only when there are some).
    static func writeAgencyFiles(_ db: any CaseStore, on date: CivilDate, base: String) async throws -> [String] {
        let day = try await db.placements(on: date)
        let directory = (base as NSString).appendingPathComponent("agency")
        var written: [String] = []
        for (name, ids) in [("placements", day.placed), ("recalls", day.recalled)] where !ids.isEmpty {
            var rows: [[String]] = []
            for start in stride(from: 0, to: ids.count, by: 1_000) {
                let part = Array(ids[start..<min(ids.count, start + 1_000)])
                let found = try await db.accountsAndCases(part, histories: true)
                for id in part {
                    guard let (account, record, history) = found[id] else { continue }
                    rows.append(PlacementFile.row(account: account, record: record, history: history))
                }
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = (directory as NSString).appendingPathComponent("\(name)-\(date.iso).csv")
            try PlacementFile.csv(rows).write(toFile: path, atomically: true, encoding: .utf8)
            written.append(path)
        }
        return written
    }
}
