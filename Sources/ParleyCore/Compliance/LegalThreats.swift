import Foundation

extension ContactRulesEngine {
    /// Words and phrases that threaten legal action, as lower-case word sequences.
    static let threatPhrases: [[String]] = [
        ["sue"], ["sued"], ["suing"], ["lawsuit"], ["lawsuits"], ["litigation"], ["litigate"],
        ["legal", "action"], ["legal", "proceedings"], ["legal", "steps"], ["court"], ["courts"],
        ["judgment"], ["judgement"], ["judgments"], ["judgements"], ["ccj"],
        ["attorney", "will"], ["attorneys", "will"], ["lawyer", "will"], ["lawyers", "will"], ["solicitor", "will"],
        ["garnish"], ["garnishment"], ["bailiff"], ["bailiffs"], ["enforcement", "agent"],
    ]

    /// Words that, within the three words before a phrase, make it a statement that no action
    /// will be taken ("we will not sue you", "no legal action").
    static let negations: Set<String> = ["not", "never", "no", "cannot", "can't", "won't", "wont", "cant"]

    /// Whether the text threatens legal action ("sue", "lawsuit", "legal action", "court",
    /// "judgment", "attorney will", ...). Whole words only ("pursue", "courteous" do not count);
    /// a phrase preceded within three words by a negation ("will not sue") does not count.
    public static func threatensLegalAction(_ text: String) -> Bool {
        !legalThreats(in: text).isEmpty
    }

    /// The threatening phrases found in the text, each once, in order of first appearance.
    public static func legalThreats(in text: String) -> [String] {
        let words = text.lowercased()
            .replacingOccurrences(of: "\u{2019}", with: "'")
            .split { !($0.isLetter || $0 == "'") }
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
            .filter { !$0.isEmpty }
        var found: [String] = []
        for i in words.indices {
            for phrase in threatPhrases where i + phrase.count <= words.count && Array(words[i..<(i + phrase.count)]) == phrase {
                let before = words[max(0, i - 3)..<i]
                if before.contains(where: { negations.contains($0) }) { continue }
                let text = phrase.joined(separator: " ")
                if !found.contains(text) { found.append(text) }
            }
        }
        return found
    }
}
