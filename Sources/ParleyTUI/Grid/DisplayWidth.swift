import Foundation

/// How many terminal cells text takes, with the semantics of POSIX `wcwidth`: East Asian wide and
/// fullwidth characters take two cells, combining marks and format characters none, everything
/// else printable one. Written from Unicode ranges rather than libc so the answer does not
/// depend on the process locale.
public enum DisplayWidth {
    /// Text as the grid stores it: NFC, so "e" + U+0301 becomes one "é".
    public static func normalized(_ text: String) -> String {
        // ASCII is already NFC: most of a frame's text skips Foundation's normalisation, which
        // took 18% of the workbench's key-to-frame time (release, `perf record` of `bench open`).
        isASCII(text) || isNFCWithoutLookup(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// True when every scalar is one that NFC leaves alone whatever surrounds it (Unicode's
    /// NFC_Quick_Check=Yes and canonical combining class 0) in the ranges below. Such text is NFC
    /// as it is; the names, notes and frame chrome a collector reads mostly are.
    static func isNFCWithoutLookup(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0..<0x300,                                   // Latin, with its precomposed letters
                 0x400...0x482, 0x48A...0x4FF,                // Cyrillic without its combining marks
                 0x2010...0x2027, 0x2030...0x205E,            // dashes, quotes, "…", "·"
                 0x2190...0x2328, 0x232B...0x23FF,            // arrows, technical (not U+2329/232A)
                 0x2500...0x27BF,                             // box drawing, blocks, shapes, dingbats
                 0x3000...0x3029, 0x3030...0x303F,            // CJK punctuation without tone marks
                 0x3040...0x3098, 0x309B...0x30FF,            // kana without the combining sound marks
                 0x4E00...0x9FFF, 0xAC00...0xD7A3,            // CJK ideographs, Hangul syllables
                 0xFF01...0xFF60:                             // fullwidth forms
                continue
            default:
                return false
            }
        }
        return true
    }

    /// True when every scalar is one of `isNFCWithoutLookup`'s and printable: such text is NFC,
    /// each scalar is a grapheme cluster of its own (none of them extends or joins another) and
    /// none is a mark or a format character, so its width is `simpleWidth`, scalar by scalar.
    /// Names in Latin, Cyrillic and CJK scripts and the frame's box drawing are such text; going
    /// through them Character by Character (grapheme breaking, a String a cluster) was about a
    /// tenth of a page down's key-to-frame time (200,000 accounts, `perf record` of
    /// `parley bench open`).
    static func isSimple(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) { return false }
        }
        return isNFCWithoutLookup(text)
    }

    /// `of(scalar)` for the scalars `isSimple` accepts (checked for every one of them by
    /// `DisplayWidthTests`), without the general-category lookup.
    @inline(__always)
    static func simpleWidth(_ v: UInt32) -> Int {
        v < 0x300 ? 1 : (isWide(v) ? 2 : 1)
    }

    @inline(__always)
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// The cells one scalar takes: 0, 1 or 2; control characters take 0.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 { return 0 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (v >= 0x1160 && v <= 0x11FF) { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// The cells one grapheme cluster takes: its base character's width, or two when an emoji
    /// presentation selector asks for it.
    public static func of(_ character: Character) -> Int {
        var scalars = character.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return 0 }
        var width = of(first)
        while let next = scalars.next() {
            if next.value == 0xFE0F, width == 1 { width = 2 }
        }
        return width
    }

    /// The cells a whole string takes once normalised.
    public static func of(_ text: String) -> Int {
        if isASCII(text) {
            // One cell per printable character; controls take none (a CR LF pair is one cluster of width 0).
            return text.utf8.reduce(0) { $0 + ($1 >= 0x20 && $1 < 0x7F ? 1 : 0) }
        }
        if isSimple(text) { return text.unicodeScalars.reduce(0) { $0 + simpleWidth($1.value) } }
        return normalized(text).reduce(0) { $0 + of($1) }
    }

    /// The longest prefix of `text` that fits in `width` cells, with "…" when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        if !isASCII(text), isSimple(text) {
            var used = 0
            var fits = text.unicodeScalars.endIndex
            var cut = text.unicodeScalars.startIndex
            for index in text.unicodeScalars.indices {
                let w = simpleWidth(text.unicodeScalars[index].value)
                if used + w <= width - 1 { cut = text.unicodeScalars.index(after: index) }
                if used + w > width { fits = index; break }
                used += w
            }
            if fits == text.unicodeScalars.endIndex { return text }
            guard width > 0 else { return "" }
            return String(text.unicodeScalars[..<cut]) + "…"
        }
        let text = normalized(text)
        if of(text) <= width { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for ch in text {
            let w = of(ch)
            if used + w > width - 1 { break }
            result.append(ch)
            used += w
        }
        return result + "…"
    }

    /// Words of `text` in lines of at most `width` cells; a word longer than a line is cut.
    public static func wrap(_ text: String, to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in normalized(text).split(separator: " ") {
            let word = String(word)
            if !line.isEmpty, of(line) + 1 + of(word) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + (of(word) > width ? truncate(word, to: width) : word)
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// `text` padded with spaces (or cut) to exactly `width` cells, on the left when `alignRight`.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let gap = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? gap + cut : cut + gap
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F251, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC,
        0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5,
        0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6EB...0x1F6EC,
        0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        guard v >= 0x1100 else { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if v < range.lowerBound { high = mid - 1 } else if v > range.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }
}
