import Foundation
import TOMLKit

/// A configuration file that could not be used: names the file, the key (or line and column for
/// a syntax error) and the reason.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(file: String, key: String? = nil, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.key = key
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        if let key { place += ": key \"\(key)\"" }
        return "\(place): \(reason)"
    }
}

/// One table of a parsed TOML file, remembering where it came from so that every value read
/// through it can be refused with the file and the full key.
public struct TOMLSection {
    public let file: String
    public let path: String
    let table: TOMLTable

    /// Parses TOML text; a syntax error names the file, line and column.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> TOMLSection {
        do {
            return TOMLSection(file: file, path: "", table: try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw ConfigError(file: file, reason: "\(error)")
        }
    }

    public static func load(contentsOf path: String) throws(ConfigError) -> TOMLSection {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, reason: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: path, reason: "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public var keys: [String] { table.keys }

    public func fullKey(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func error(_ key: String?, _ reason: String) -> ConfigError {
        ConfigError(file: file, key: key.map(fullKey) ?? (path.isEmpty ? nil : path), reason: reason)
    }

    public func contains(_ key: String) -> Bool { table[key] != nil }

    /// Refuses keys this section does not know, so a typo is not silently ignored.
    public func rejectUnknownKeys(allowed: Set<String>) throws(ConfigError) {
        for key in table.keys where !allowed.contains(key) {
            throw error(key, "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    public func section(_ key: String) throws(ConfigError) -> TOMLSection? {
        guard let value = table[key] else { return nil }
        guard let sub = value.table else { throw error(key, "must be a table") }
        return TOMLSection(file: file, path: fullKey(key), table: sub)
    }

    public func sections(_ key: String) throws(ConfigError) -> [TOMLSection]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw error(key, "must be an array of tables") }
        var result: [TOMLSection] = []
        for (i, element) in array.enumerated() {
            guard let sub = element.table else { throw error("\(key)[\(i)]", "must be a table") }
            result.append(TOMLSection(file: file, path: fullKey("\(key)[\(i)]"), table: sub))
        }
        return result
    }

    public func int(_ key: String, in range: ClosedRange<Int>? = nil) throws(ConfigError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let n = value.int else { throw error(key, "must be a whole number, found \(describe(value))") }
        if let range, !range.contains(n) {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(n)")
        }
        return n
    }

    public func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let b = value.bool else { throw error(key, "must be true or false, found \(describe(value))") }
        return b
    }

    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let s = value.string else { throw error(key, "must be a string, found \(describe(value))") }
        return s
    }

    public func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = table[key] else { return nil }
        if let s = value.string { return [s] }
        guard let array = value.array else { throw error(key, "must be a string or an array of strings") }
        var result: [String] = []
        for element in array {
            guard let s = element.string else { throw error(key, "must contain only strings") }
            result.append(s)
        }
        return result
    }

    /// A percentage written as a number (10, 2.5) or a string ("2.5", "2.5%").
    public func percent(_ key: String, in range: ClosedRange<Int64>? = nil) throws(ConfigError) -> Percent? {
        guard let value = table[key] else { return nil }
        var parsed: Percent?
        if let n = value.int { parsed = Percent(Int64(n)) }
        else if let s = value.string { parsed = Percent(text: s) }
        else if let d = value.double { parsed = Percent(text: String(format: "%.2f", d)) }
        guard let p = parsed else { throw error(key, "must be a percentage such as 10 or \"2.5\", found \(describe(value))") }
        if let range, !range.contains(p.basisPoints / 100) || (p.basisPoints > range.upperBound * 100) {
            throw error(key, "must be between \(range.lowerBound)% and \(range.upperBound)%, found \(p)")
        }
        return p
    }

    /// A date written as a TOML date (2026-01-01) or an ISO string.
    public func date(_ key: String) throws(ConfigError) -> CivilDate? {
        guard let value = table[key] else { return nil }
        if let s = value.string {
            guard let d = CivilDate(iso: s) else { throw error(key, "must be a date like 2026-01-31, found \"\(s)\"") }
            return d
        }
        if value.type == .date, let text = Optional(value.debugDescription), let d = CivilDate(iso: String(text.prefix(10))) {
            return d
        }
        throw error(key, "must be a date like 2026-01-31, found \(describe(value))")
    }

    private func describe(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "the string \"\(value.string ?? "")\""
        case .int: return "the number \(value.int ?? 0)"
        case .double: return "the number \(value.double ?? 0)"
        case .bool: return "\(value.bool ?? false)"
        case .table: return "a table"
        case .array: return "an array"
        default: return "a \(value.type)"
        }
    }
}
