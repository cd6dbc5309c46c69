import Foundation

/// Finds commands by name for the palette: commands whose id or title contains the query (those
/// that start with it first), then those whose id or title holds the query's letters in order.
public enum Palette {
    public static func matches(_ query: String) -> [Command] {
        let q = query.lowercased().trimmingCharacters(in: .whitespaces)
        if q.isEmpty { return Command.allCases }
        let direct = Command.allCases.enumerated().compactMap { index, command -> (Command, Int)? in
            let id = command.rawValue.lowercased()
            let title = command.title.lowercased()
            let words = id.split(whereSeparator: { $0 == "." }) + title.split(separator: " ")
            let rank: Int
            if id.hasPrefix(q) { rank = 0 }
            else if title.hasPrefix(q) { rank = 1 }
            else if words.contains(where: { $0.hasPrefix(q) }) { rank = 2 }
            else if id.contains(q) || title.contains(q) { rank = 3 }
            else { return nil }
            return (command, rank * 1000 + index)
        }.sorted { $0.1 < $1.1 }.map(\.0)
        let fuzzy = Command.allCases.enumerated().compactMap { index, command -> (Command, Int)? in
            guard !direct.contains(command) else { return nil }
            let score = [fuzzyScore(q, command.rawValue), fuzzyScore(q, command.title)].compactMap { $0 }.max()
            return score.map { (command, -($0 * 10_000) + command.rawValue.count * 100 + index) }
        }
        return direct + fuzzy.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Nil unless the query's letters occur in order; otherwise how many of them start a word
    /// ("hpo" starts two words of "help.open"), so the closest reading comes first.
    private static func fuzzyScore(_ needle: String, _ haystack: String) -> Int? {
        let characters = Array(haystack)
        var boundaries = Set<Int>()
        for (i, c) in characters.enumerated() {
            if i == 0 || c.isUppercase || ".- ".contains(characters[i - 1]) { boundaries.insert(i) }
        }
        let lower = characters.map { Character($0.lowercased()) }
        for preferBoundaries in [true, false] {
            var position = 0
            var score = 0
            var matched = true
            for c in needle where c != " " {
                let atBoundary = preferBoundaries ? (position..<lower.count).first { lower[$0] == c && boundaries.contains($0) } : nil
                guard let found = atBoundary ?? (position..<lower.count).first(where: { lower[$0] == c }) else {
                    matched = false
                    break
                }
                if boundaries.contains(found) { score += 1 }
                position = found + 1
            }
            if matched { return score }
        }
        return nil
    }
}
