import Foundation
import ParleyCore

/// How dates are written in a file.
public enum DateFormat: String, Sendable, CaseIterable {
    /// 2026-11-23
    case iso
    /// 23/11/2026 (also 23.11.2026 and 23-11-2026)
    case dmy
    /// 11/23/2026
    case mdy

    var example: String {
        switch self {
        case .iso: return "2026-11-23"
        case .dmy: return "23/11/2026 (day/month/year)"
        case .mdy: return "11/23/2026 (month/day/year)"
        }
    }
}

/// Reads typed values straight from a field's UTF-8 bytes; the slow, string-based path is used
/// only to explain a value that the fast path could not read.
enum FieldParsing {
    static let zero: UInt8 = 0x30, nine: UInt8 = 0x39, minus: UInt8 = 0x2D, plus: UInt8 = 0x2B

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= zero && b <= nine }

    /// The bytes as text, or nil when they are not valid UTF-8. Bytes all ASCII (nearly every
    /// field of a portfolio) are taken as they are: `String(validating:as:)` went through the
    /// standard library's unspecialized generic path for every field, looking up its generic
    /// metadata each time (`perf record` of the bench's import: 254 of the reading thread's
    /// 3,134 samples, 162 of them in `swift_getGenericMetadata`).
    @inline(__always)
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether every byte is below 0x80, eight at a time.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The bytes without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 9 else { return nil }
        var n = 0
        for i in range {
            let b = bytes[i]
            guard isDigit(b) else { return nil }
            n = n * 10 + Int(b - zero)
        }
        return n
    }

    /// A calendar date in `format`; nil when it is not one.
    static func date(_ raw: UnsafeBufferPointer<UInt8>, format: DateFormat) -> CivilDate? {
        let b = trimmed(raw)
        switch format {
        case .iso:
            guard b.count == 10, b[4] == minus, b[7] == minus,
                  let y = number(b, 0..<4), let m = number(b, 5..<7), let d = number(b, 8..<10) else { return nil }
            return CivilDate(year: y, month: m, day: d)
        case .dmy, .mdy:
            var parts: [Range<Int>] = []
            var start = 0
            let separator: UInt8? = b.first { $0 == 0x2F || $0 == 0x2E || $0 == minus }
            guard let separator else { return nil }
            for i in 0..<b.count where b[i] == separator {
                parts.append(start..<i)
                start = i + 1
            }
            parts.append(start..<b.count)
            guard parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4,
                  let first = number(b, parts[0]), let second = number(b, parts[1]), let y = number(b, parts[2]) else { return nil }
            return format == .dmy ? CivilDate(year: y, month: second, day: first) : CivilDate(year: y, month: first, day: second)
        }
    }

    /// A plain amount (optional sign, digits, optional decimal separator and at most the
    /// currency's decimals) read without allocating; nil for anything else, including amounts
    /// with thousands separators, which `Money.parse` then reads or explains.
    @inline(__always)
    static func fastAmount(_ raw: UnsafeBufferPointer<UInt8>, decimalSeparator: UInt8, decimals: Int) -> Int64? {
        let b = trimmed(raw)
        var i = 0
        var negative = false
        if i < b.count, b[i] == minus || b[i] == plus { negative = b[i] == minus; i += 1 }
        var value: Int64 = 0
        var digits = 0
        while i < b.count, isDigit(b[i]) {
            guard digits < 17 else { return nil }
            value = value * 10 + Int64(b[i] - zero)
            digits += 1
            i += 1
        }
        var fraction = 0
        if i < b.count, b[i] == decimalSeparator {
            i += 1
            while i < b.count, isDigit(b[i]) {
                guard fraction < decimals else { return nil }
                value = value * 10 + Int64(b[i] - zero)
                fraction += 1
                i += 1
            }
        }
        guard i == b.count, digits + fraction > 0 else { return nil }
        for _ in fraction..<decimals { value *= 10 }
        return negative ? -value : value
    }

    /// true / false, yes / no, y / n, 1 / 0, and empty for false; nil for anything else.
    static func boolean(_ raw: UnsafeBufferPointer<UInt8>) -> Bool? {
        let b = trimmed(raw)
        if b.isEmpty { return false }
        guard b.count <= 5 else { return nil }
        // The generator's and most exports' spelling, without building a string.
        if b.count == 5, b[0] == 0x66, b[1] == 0x61, b[2] == 0x6C, b[3] == 0x73, b[4] == 0x65 { return false }
        if b.count == 4, b[0] == 0x74, b[1] == 0x72, b[2] == 0x75, b[3] == 0x65 { return true }
        let word = String(decoding: b, as: UTF8.self).lowercased()
        switch word {
        case "true", "yes", "y", "1", "x": return true
        case "false", "no", "n", "0": return false
        default: return nil
        }
    }

    /// An ISO 8601 instant with an offset: 2026-10-14T15:20:00-05:00, 2026-10-14T20:20Z.
    /// Returns the instant and the offset in seconds east of UTC.
    static func instant(_ text: String) -> (Date, Int)? {
        let b = Array(text.utf8)
        guard b.count >= 17, b[10] == 0x54 || b[10] == 0x20 else { return nil }
        let date = b.withUnsafeBufferPointer { p in Self.date(UnsafeBufferPointer(rebasing: p[0..<10]), format: .iso) }
        guard let date else { return nil }
        return b.withUnsafeBufferPointer { p -> (Date, Int)? in
            guard let h = number(p, 11..<13), p[13] == 0x3A, let mi = number(p, 14..<16), h < 24, mi < 60 else { return nil }
            var i = 16
            var s = 0
            if i < p.count, p[i] == 0x3A {
                guard i + 3 <= p.count, let sec = number(p, (i + 1)..<(i + 3)), sec < 60 else { return nil }
                s = sec
                i += 3
            }
            var offset = 0
            guard i < p.count else { return nil }
            if p[i] == 0x5A, i + 1 == p.count {
                offset = 0
            } else if p[i] == plus || p[i] == minus, i + 6 == p.count, p[i + 3] == 0x3A,
                      let oh = number(p, (i + 1)..<(i + 3)), let om = number(p, (i + 4)..<(i + 6)), oh <= 14, om < 60 {
                offset = (oh * 3600 + om * 60) * (p[i] == minus ? -1 : 1)
            } else {
                return nil
            }
            let seconds = date.daysSinceEpoch * 86_400 + h * 3600 + mi * 60 + s - offset
            return (Date(timeIntervalSince1970: TimeInterval(seconds)), offset)
        }
    }

    /// Formats an instant as ISO 8601 in the given offset: 2026-10-14T15:20:00-05:00.
    static func isoInstant(_ date: Date, offset: Int) -> String {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secs = local - days * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(CivilDate(daysSinceEpoch: days).iso)T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))"
        if offset == 0 { return text + "Z" }
        let a = abs(offset)
        text += offset < 0 ? "-" : "+"
        return text + "\(two(a / 3600)):\(two(a / 60 % 60))"
    }
}
