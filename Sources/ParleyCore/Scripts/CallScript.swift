import Foundation
import Mustache
import Synchronization

/// A call script: a graph of prompts. Each node has text for the collector to say (mustache
/// variables are filled from the account) and choices, each with a key, the next node and
/// optionally an action to record (an event) or a tool to open (the offer builder, a promise).
public struct CallScript: Sendable, Hashable {
    public var id: String
    public var title: String
    /// Debtor kinds the script is for.
    public var appliesTo: Set<DebtorKind>
    public var start: String
    public var nodes: [String: Node]
    /// The file it came from, for error messages.
    public var file: String

    public struct Node: Sendable, Hashable {
        public var id: String
        public var text: String
        /// A line the rules require to be said (the Regulation F mini-Miranda, for example).
        public var disclosure: Bool
        public var choices: [Choice]
        public var isEnd: Bool { choices.isEmpty }
    }

    public struct Choice: Sendable, Hashable {
        public var key: Character
        public var label: String
        public var next: String?
        public var action: ScriptAction?
    }

    public func node(_ id: String) -> Node? { nodes[id] }
    public var startNode: Node { nodes[start]! }
}

/// What choosing an answer records or opens. Raw values are what script files write.
public enum ScriptAction: String, Sendable, Hashable, CaseIterable {
    case noAnswer = "call:no-answer"
    case voicemail = "call:voicemail"
    case wrongNumber = "call:wrong-number"
    case conversation = "call:conversation"
    case rightPartyContact = "right-party-contact"
    case promise = "promise"
    case offer = "offer"
    case dispute = "dispute"
    case cease = "cease"
    case attorney = "attorney"
    case callback = "callback"
    case resendInvoice = "resend-invoice"
    case paidInFull = "pay-in-full"

    /// Choices that need more from the collector (an amount, a date, a name) before recording.
    public var needsInput: Bool {
        switch self {
        case .promise, .offer, .callback, .attorney, .dispute, .paidInFull: return true
        default: return false
        }
    }
}

/// The values a script's text is filled with.
public struct ScriptValues: Sendable {
    public var debtorName: String
    public var contactName: String
    public var balance: String
    public var dueDate: String
    public var nextStep: String
    public var nextStepDate: String
    public var operatorName: String
    public var creditor: String

    public init(debtorName: String, contactName: String, balance: String, dueDate: String, nextStep: String, nextStepDate: String, operatorName: String, creditor: String) {
        self.debtorName = debtorName
        self.contactName = contactName
        self.balance = balance
        self.dueDate = dueDate
        self.nextStep = nextStep
        self.nextStepDate = nextStepDate
        self.operatorName = operatorName
        self.creditor = creditor
    }

    var dictionary: [String: String] {
        ["debtor_name": debtorName, "contact_name": contactName, "balance": balance, "due_date": dueDate,
         "next_step": nextStep, "next_step_date": nextStepDate, "operator": operatorName, "creditor": creditor]
    }

    static let names: Set<String> = ["debtor_name", "contact_name", "balance", "due_date", "next_step", "next_step_date", "operator", "creditor"]
}

extension CallScript {
    /// The node's text with the account's values filled in.
    public func render(_ node: Node, with values: ScriptValues) -> String {
        guard let template = Self.template(node.text) else { return node.text }
        return template.render(values.dictionary)
    }

    /// A node's text parsed once: the workbench renders the current node on every frame, and
    /// parsing it each time was 3% of a page down's key-to-frame time (200,000 accounts,
    /// `perf record` of `parley bench open`). Keyed by the text, so a script loaded again
    /// with a changed node is parsed again; nil for text that is not a template.
    static func template(_ text: String) -> MustacheTemplate? {
        if let held = parsedTemplates.withLock({ $0[text] }) { return held }
        guard let template = try? MustacheTemplate(string: text) else { return nil }
        parsedTemplates.withLock { held in
            if held.count >= 1_024 { held.removeAll() }
            held[text] = template
        }
        return template
    }

    private static let parsedTemplates = Mutex<[String: MustacheTemplate]>([:])

    /// Loads and checks a script: every `next` names a node, every node is reachable from the
    /// start, keys are unique within a node, and the text uses only known variables.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> CallScript {
        let doc = try TOMLSection.parse(text, file: file)
        try doc.rejectUnknownKeys(allowed: ["script", "nodes"])
        guard let meta = try doc.section("script") else { throw doc.error("script", "is required") }
        try meta.rejectUnknownKeys(allowed: ["id", "title", "start", "applies_to"])
        guard let id = try meta.string("id") else { throw meta.error("id", "is required") }
        guard let start = try meta.string("start") else { throw meta.error("start", "is required") }
        let title = try meta.string("title") ?? id
        var kinds = Set<DebtorKind>()
        for k in try meta.strings("applies_to") ?? ["business", "consumer"] {
            guard let kind = DebtorKind(rawValue: k) else { throw meta.error("applies_to", "must list \"business\" and/or \"consumer\", found \"\(k)\"") }
            kinds.insert(kind)
        }
        guard let nodeTable = try doc.section("nodes") else { throw doc.error("nodes", "is required") }
        var nodes: [String: Node] = [:]
        for name in nodeTable.keys.sorted() {
            guard let n = try nodeTable.section(name) else { continue }
            try n.rejectUnknownKeys(allowed: ["text", "choices", "disclosure"])
            guard let body = try n.string("text") else { throw n.error("text", "is required") }
            do { _ = try MustacheTemplate(string: body) } catch { throw n.error("text", "is not a valid template: \(error)") }
            for variable in variables(in: body) where !ScriptValues.names.contains(variable) {
                throw n.error("text", "unknown variable {{\(variable)}} (known: \(ScriptValues.names.sorted().joined(separator: ", ")))")
            }
            var choices: [Choice] = []
            var keys = Set<Character>()
            for c in try n.sections("choices") ?? [] {
                try c.rejectUnknownKeys(allowed: ["key", "label", "next", "action"])
                guard let keyText = try c.string("key"), keyText.count == 1, let key = keyText.first else {
                    throw c.error("key", "must be a single character")
                }
                guard keys.insert(key).inserted else { throw c.error("key", "\"\(key)\" is used twice in node \"\(name)\"") }
                guard let label = try c.string("label") else { throw c.error("label", "is required") }
                var action: ScriptAction?
                if let a = try c.string("action") {
                    guard let parsed = ScriptAction(rawValue: a) else {
                        throw c.error("action", "unknown action \"\(a)\" (known: \(ScriptAction.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    action = parsed
                }
                choices.append(Choice(key: key, label: label, next: try c.string("next"), action: action))
            }
            nodes[name] = Node(id: name, text: body, disclosure: try n.bool("disclosure") ?? false, choices: choices)
        }
        guard nodes[start] != nil else { throw meta.error("start", "names node \"\(start)\", which does not exist") }
        for name in nodes.keys.sorted() {
            for choice in nodes[name]!.choices {
                if let next = choice.next, nodes[next] == nil {
                    throw ConfigError(file: file, key: "nodes.\(name)", reason: "choice \"\(choice.key)\" leads to node \"\(next)\", which does not exist (a dangling node)")
                }
            }
        }
        var seen: Set<String> = [start]
        var frontier = [start]
        while let id = frontier.popLast() {
            for choice in nodes[id]!.choices {
                if let next = choice.next, seen.insert(next).inserted { frontier.append(next) }
            }
        }
        if let orphan = nodes.keys.sorted().first(where: { !seen.contains($0) }) {
            throw ConfigError(file: file, key: "nodes.\(orphan)", reason: "node \"\(orphan)\" cannot be reached from the start node \"\(start)\" (an unreachable node)")
        }
        return CallScript(id: id, title: title, appliesTo: kinds, start: start, nodes: nodes, file: file)
    }

    static func variables(in text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            let name = rest[..<close.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: " {}&#^/!"))
            if !name.isEmpty { result.append(name) }
            rest = rest[close.upperBound...]
        }
        return result
    }
}

/// The bundled call scripts, and those in a directory that override them by id.
public enum CallScripts {
    public static func bundled() throws(ConfigError) -> [CallScript] {
        guard let dir = Bundle.module.url(forResource: "scripts", withExtension: nil, subdirectory: "Resources") else {
            throw ConfigError(file: "Resources/scripts", reason: "the bundled call scripts are missing")
        }
        return try load(directory: dir.path)
    }

    public static func load(directory: String) throws(ConfigError) -> [CallScript] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".toml") }.sorted()
        var scripts: [CallScript] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigError(file: path, reason: "cannot read the file") }
            scripts.append(try CallScript.parse(text, file: path))
        }
        return scripts
    }

    /// Bundled scripts, replaced by id with the ones in `overrides` when given.
    public static func all(overrides: String?) throws(ConfigError) -> [CallScript] {
        var byID: [String: CallScript] = [:]
        for s in try bundled() { byID[s.id] = s }
        if let overrides { for s in try load(directory: overrides) { byID[s.id] = s } }
        return byID.values.sorted { $0.id < $1.id }
    }

    /// The script for a debtor kind: the one named "<kind>" if present, else the first that applies.
    public static func script(for kind: DebtorKind, in scripts: [CallScript]) -> CallScript? {
        scripts.first { $0.id == kind.rawValue } ?? scripts.first { $0.appliesTo.contains(kind) }
    }
}
