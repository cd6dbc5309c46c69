import ParleyCore

/// Which keys run which commands: the defaults, overridden per command by the user's TOML file:
///
/// ```toml
/// [keys]
/// "move.down" = ["j", "Down"]
/// "app.quit" = "C-q"
/// ```
///
/// A command named in the file gets exactly the keys listed there; those keys are taken away
/// from any other command they were bound to by default.
public struct Keymap: Equatable, Sendable {
    public private(set) var keys: [Command: [KeyEvent]]
    private var commandsByKey: [KeyScope: [KeyEvent: Command]]

    public init(keys: [Command: [KeyEvent]]) {
        self.keys = keys
        var byKey: [KeyScope: [KeyEvent: Command]] = [:]
        for command in Command.allCases {
            for key in keys[command] ?? [] where byKey[command.scope]?[key] == nil { byKey[command.scope, default: [:]][key] = command }
        }
        commandsByKey = byKey
    }

    public static let standard = Keymap(keys: Dictionary(uniqueKeysWithValues: Command.allCases.map { ($0, $0.defaultKeys) }))

    /// The command a key runs everywhere.
    public func command(for key: KeyEvent) -> Command? { commandsByKey[.global]?[key] }

    /// The command a key runs with the given scopes active, narrowest first (global last).
    public func command(for key: KeyEvent, in scopes: [KeyScope]) -> Command? {
        for scope in scopes + [.global] { if let command = commandsByKey[scope]?[key] { return command } }
        return nil
    }

    /// The command a key runs in one scope alone, nil when it has none there.
    public func command(for key: KeyEvent, onlyIn scope: KeyScope) -> Command? { commandsByKey[scope]?[key] }

    public func keys(for command: Command) -> [KeyEvent] { keys[command] ?? [] }

    /// The defaults with the file's bindings laid over them.
    public static func load(contentsOf path: String) throws(ConfigError) -> Keymap {
        try overriding(standard, with: TOMLSection.load(contentsOf: path))
    }

    public static func parse(_ text: String, file: String) throws(ConfigError) -> Keymap {
        try overriding(standard, with: TOMLSection.parse(text, file: file))
    }

    private static func overriding(_ base: Keymap, with root: TOMLSection) throws(ConfigError) -> Keymap {
        try root.rejectUnknownKeys(allowed: ["keys"])
        guard let section = try root.section("keys") else { return base }
        try section.rejectUnknownKeys(allowed: Set(Command.allCases.map(\.rawValue)))
        var keys = base.keys
        struct ScopedKey: Hashable { var scope: KeyScope; var key: KeyEvent }
        var claimed: [ScopedKey: Command] = [:]
        for command in Command.allCases {
            guard let names = try section.strings(command.rawValue) else { continue }
            var parsed: [KeyEvent] = []
            for name in names {
                guard let key = KeyName.parse(name) else {
                    throw section.error(command.rawValue, "unknown key \"\(name)\" (\(KeyName.syntax))")
                }
                if let other = claimed[ScopedKey(scope: command.scope, key: key)], other != command {
                    throw section.error(command.rawValue, "key \"\(name)\" is already bound to \"\(other.rawValue)\"")
                }
                claimed[ScopedKey(scope: command.scope, key: key)] = command
                parsed.append(key)
            }
            keys[command] = parsed
        }
        for (command, list) in keys where section.contains(command.rawValue) == false {
            keys[command] = list.filter { claimed[ScopedKey(scope: command.scope, key: $0)] == nil }
        }
        return Keymap(keys: keys)
    }
}

/// Key names as written in keymaps and shown in the help: a single character (`j`, `?`),
/// `C-x` for Control, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`, `Home`, `End`, `Tab`,
/// `S-Tab`, `Enter`, `Esc`, `Backspace`, `Delete`, `Space`, `F1`–`F12`.
public enum KeyName {
    public static let syntax = "a single character, C-x, Up, Down, Left, Right, PgUp, PgDn, Home, End, Tab, S-Tab, Enter, Esc, Backspace, Delete, Space or F1-F12"

    private static let named: [(String, KeyEvent)] = [
        ("Up", .up), ("Down", .down), ("Left", .left), ("Right", .right), ("PgUp", .pageUp), ("PgDn", .pageDown),
        ("Home", .home), ("End", .end), ("Tab", .tab), ("S-Tab", .backTab), ("Enter", .enter), ("Esc", .escape),
        ("Backspace", .backspace), ("Delete", .delete), ("Space", .character(" ")),
    ]

    private static let aliases: [String: KeyEvent] = [
        "pageup": .pageUp, "pagedown": .pageDown, "backtab": .backTab, "return": .enter, "escape": .escape,
    ]

    public static func parse(_ name: String) -> KeyEvent? {
        if name.count == 1, let c = name.first { return .character(c) }
        if let (_, key) = named.first(where: { $0.0.lowercased() == name.lowercased() }) { return key }
        if let key = aliases[name.lowercased()] { return key }
        let lower = name.lowercased()
        if lower.hasPrefix("c-") || lower.hasPrefix("ctrl-"), let c = lower.last, lower.count == (lower.hasPrefix("c-") ? 3 : 6), c.isLetter {
            return .ctrl(c)
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
        return nil
    }

    public static func name(_ key: KeyEvent) -> String {
        if let (name, _) = named.first(where: { $0.1 == key }) { return name }
        switch key {
        case .character(let c): return String(c)
        case .ctrl(let c): return "C-\(c)"
        case .function(let n): return "F\(n)"
        case .resize: return "Resize"
        default: return "?"
        }
    }
}
