/// A terminal colour: the terminal's own default, or one of the 256 indexed colours.
public enum TerminalColor: Hashable, Sendable {
    case terminalDefault
    case indexed(UInt8)
}

/// How a cell looks once the theme has been applied.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(foreground: TerminalColor = .terminalDefault, background: TerminalColor = .terminalDefault,
                bold: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
    }

    public static let plain = CellStyle()
}

/// One screen cell: a grapheme cluster (a base character and its combining marks) and a style.
/// A wide character occupies its cell and the next, which is a continuation with empty text.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: CellStyle
    /// 1 for an ordinary cell, 2 for the left half of a wide character, 0 for its right half.
    public var width: UInt8

    public init(text: String, style: CellStyle, width: UInt8 = 1) {
        self.text = text
        self.style = style
        self.width = width
    }

    public static func blank(_ style: CellStyle = .plain) -> Cell { Cell(text: " ", style: style) }
    public var isContinuation: Bool { width == 0 }
}

/// A rectangle of cells: x and y of its top-left corner, width and height.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    /// The rectangle shrunk by `n` cells on every side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}

/// What the workbench draws: a full frame of cells that knows display widths.
public struct CellGrid: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, style: CellStyle = .plain) {
        self.size = size
        self.cells = Array(repeating: .blank(style), count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set { cells[y * size.width + x] = newValue }
    }

    /// Fills a rectangle with blanks in a style.
    public mutating func fill(_ rect: Rect, style: CellStyle) {
        for y in max(0, rect.y)..<min(size.height, rect.maxY) {
            for x in max(0, rect.x)..<min(size.width, rect.maxX) { self[x, y] = .blank(style) }
        }
    }

    /// Writes text from (x, y), never past `limit` (default the right edge); returns the column
    /// after the last cell written. Text is NFC-normalised; a wide character that would straddle
    /// the limit becomes a blank; a combining mark that starts the text joins the cell before it.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle, limit: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return x }
        let end = min(limit ?? size.width, size.width)
        var column = x
        // Printable ASCII: one cell per byte, no grapheme breaking (most of a frame's text).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            for byte in text.utf8 {
                if column >= end { break }
                if column >= 0 {
                    clearOverlap(at: column, y: y)
                    self[column, y] = Cell(text: Self.asciiText[Int(byte)], style: style, width: 1)
                }
                column += 1
            }
            return column
        }
        if DisplayWidth.isSimple(text) {
            // One scalar a cluster, none of zero width (`DisplayWidth.isSimple`).
            for scalar in text.unicodeScalars {
                if column >= end { break }
                guard put(String(scalar), width: DisplayWidth.simpleWidth(scalar.value), at: &column, y: y, end: end, style: style) else { break }
            }
            return column
        }
        for character in DisplayWidth.normalized(text) {
            if column >= end { break }
            var width = DisplayWidth.of(character)
            var text = String(character)
            if character.unicodeScalars.first.map({ $0.value < 0x20 || $0.value == 0x7F }) ?? true {
                text = " "
                width = 1
            }
            if width == 0 {
                if column > 0, column <= size.width {
                    var previous = column - 1
                    if self[previous, y].isContinuation, previous > 0 { previous -= 1 }
                    self[previous, y].text += text
                }
                continue
            }
            guard put(text, width: width, at: &column, y: y, end: end, style: style) else { break }
        }
        return column
    }

    /// One cluster of width 1 or 2 written at `column` (moved past it); false when it ends the
    /// text: a wide one that would straddle `end` becomes a blank.
    private mutating func put(_ text: String, width: Int, at column: inout Int, y: Int, end: Int, style: CellStyle) -> Bool {
        guard column >= 0 else { column += width; return true }
        if width == 2 && column + 1 >= end {
            self[column, y] = .blank(style)
            column += 1
            return false
        }
        clearOverlap(at: column, y: y)
        self[column, y] = Cell(text: text, style: style, width: UInt8(width))
        if width == 2 {
            clearOverlap(at: column + 1, y: y)
            self[column + 1, y] = Cell(text: "", style: style, width: 0)
        }
        column += width
        return true
    }

    /// Each ASCII character as a one-character string, made once.
    private static let asciiText: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    /// Before a cell is overwritten: if it is half of a wide character, the other half becomes a blank.
    private mutating func clearOverlap(at x: Int, y: Int) {
        let cell = self[x, y]
        if cell.isContinuation, x > 0, self[x - 1, y].width == 2 {
            self[x - 1, y] = .blank(self[x - 1, y].style)
        } else if cell.width == 2, x + 1 < size.width {
            self[x + 1, y] = .blank(self[x + 1, y].style)
        }
    }

    /// The positions whose cells differ from `previous`; every position when the sizes differ.
    public func changes(since previous: CellGrid?) -> [(x: Int, y: Int)] {
        var result: [(x: Int, y: Int)] = []
        let all = previous == nil || previous!.size != size
        for y in 0..<size.height {
            for x in 0..<size.width {
                let i = y * size.width + x
                if all || previous!.cells[i] != cells[i] { result.append((x, y)) }
            }
        }
        return result
    }

    /// The screen as text, one line per row, trailing spaces removed: what `tmux capture-pane` shows.
    public var text: String {
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            for x in 0..<size.width { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
