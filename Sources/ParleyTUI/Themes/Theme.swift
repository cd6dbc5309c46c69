import Foundation
import ParleyCore

/// Colours and attributes for every `ThemeRole`, read from a `Themes/*.toml` file:
///
/// ```toml
/// name = "default"
/// [roles]
/// "title" = { fg = "black", bg = "cyan", bold = true }
/// "queue.selected" = { reverse = true }
/// ```
///
/// Colours are names (`black`, `red`, … `white`, `bright-red`, …), 0–255, or `default`.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [ThemeRole: CellStyle]

    public init(name: String, styles: [ThemeRole: CellStyle]) {
        self.name = name
        self.styles = styles
    }

    public subscript(role: ThemeRole) -> CellStyle { styles[role] ?? .plain }

    /// The names of the themes that ship with Parley.
    public static let builtInNames = ["default", "light", "high-contrast", "monochrome"]

    /// Parses a theme file; every role must be present, and an unknown role, colour or attribute
    /// is refused naming the file and key.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> Theme {
        let root = try TOMLSection.parse(text, file: file)
        try root.rejectUnknownKeys(allowed: ["name", "roles"])
        let name = try root.string("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        guard let roles = try root.section("roles") else { throw root.error("roles", "is missing: a theme names a style for every role") }
        let known = Set(ThemeRole.allCases.map(\.rawValue))
        try roles.rejectUnknownKeys(allowed: known)
        var styles: [ThemeRole: CellStyle] = [:]
        for role in ThemeRole.allCases {
            guard let entry = try roles.section(role.rawValue) else {
                throw roles.error(role.rawValue, "is missing: a theme names a style for every role")
            }
            try entry.rejectUnknownKeys(allowed: ["fg", "bg", "bold", "underline", "reverse"])
            styles[role] = CellStyle(
                foreground: try color(entry, "fg"), background: try color(entry, "bg"),
                bold: try entry.bool("bold") ?? false, underline: try entry.bool("underline") ?? false,
                reverse: try entry.bool("reverse") ?? false)
        }
        return Theme(name: name, styles: styles)
    }

    private static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    private static func color(_ section: TOMLSection, _ key: String) throws(ConfigError) -> TerminalColor {
        guard section.contains(key) else { return .terminalDefault }
        if let text = try? section.string(key) {
            let lower = text.lowercased()
            if lower == "default" { return .terminalDefault }
            if let index = colorNames.firstIndex(of: lower) { return .indexed(UInt8(index)) }
            if lower.hasPrefix("bright-"), let index = colorNames.firstIndex(of: String(lower.dropFirst(7))) {
                return .indexed(UInt8(index + 8))
            }
            throw section.error(key, "unknown colour \"\(text)\" (use default, \(colorNames.joined(separator: ", ")), bright-NAME or 0-255)")
        }
        guard let n = try section.int(key, in: 0...255) else { return .terminalDefault }
        return .indexed(UInt8(n))
    }

    /// Finds and loads a theme by name or path. A name is looked up as `Themes/NAME.toml` in the
    /// current directory, then next to the executable and in its parent directories (so a
    /// checkout's `Themes/` is found from `.build/debug/parley`), then in the copy bundled with
    /// ParleyTUI; a value that names an existing file is read as a path.
    public static func load(named nameOrPath: String, executablePath: String = CommandLine.arguments.first ?? "") throws(ConfigError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            return try parse(try read(nameOrPath), file: nameOrPath)
        }
        let fileName = "\(nameOrPath).toml"
        for directory in searchDirectories(executablePath: executablePath) {
            let path = (directory as NSString).appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: path) { return try parse(try read(path), file: path) }
        }
        if let url = bundledURL(named: nameOrPath) {
            return try parse(try read(url.path), file: url.path)
        }
        throw ConfigError(file: fileName, reason: "no theme named \"\(nameOrPath)\" (built in: \(builtInNames.joined(separator: ", ")); or give a path to a .toml file)")
    }

    /// The copy of a built-in theme bundled with ParleyTUI, so the binary finds its themes
    /// wherever it is run from.
    public static func bundledURL(named name: String) -> URL? {
        Bundle.module.url(forResource: name, withExtension: "toml", subdirectory: "Themes")
    }

    static func searchDirectories(executablePath: String) -> [String] {
        var result = [FileManager.default.currentDirectoryPath + "/Themes"]
        var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            result.append(directory.appendingPathComponent("Themes").path)
            directory.deleteLastPathComponent()
        }
        return result
    }

    private static func read(_ path: String) throws(ConfigError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError(file: path, reason: "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(file: path, reason: "the file is not UTF-8 text") }
        return text
    }

    /// A theme that uses only bold, underline and reverse: for terminals without colour, and for
    /// tests. The same as `Themes/monochrome.toml`.
    public static let monochrome: Theme = {
        var styles: [ThemeRole: CellStyle] = [:]
        for role in ThemeRole.allCases { styles[role] = .plain }
        let bold = CellStyle(bold: true)
        let reverse = CellStyle(reverse: true)
        styles[.title] = reverse
        styles[.status] = reverse
        styles[.statusMessage] = CellStyle(bold: true, reverse: true)
        styles[.statusError] = CellStyle(bold: true, underline: true, reverse: true)
        styles[.paneBorderFocused] = bold
        styles[.paneTitleFocused] = CellStyle(bold: true, reverse: true)
        styles[.paneTitle] = bold
        styles[.heading] = bold
        styles[.warning] = bold
        styles[.error] = CellStyle(bold: true, underline: true)
        styles[.queueHeader] = CellStyle(underline: true)
        styles[.queueSelected] = reverse
        styles[.queueSelectedUnfocused] = CellStyle(underline: true)
        styles[.flagDisputed] = reverse
        styles[.flagCeased] = reverse
        styles[.flagAttorney] = reverse
        styles[.flagTimeBarred] = reverse
        styles[.overlayBorder] = bold
        styles[.overlaySelected] = reverse
        styles[.key] = bold
        styles[.prompt] = bold
        return Theme(name: "monochrome", styles: styles)
    }()
}
