/// A run of text in one theme role.
public struct Span: Equatable, Sendable {
    public var text: String
    public var role: ThemeRole

    public init(_ text: String, _ role: ThemeRole = .text) {
        self.text = text
        self.role = role
    }
}

/// One line of a pane's content, built from spans.
public struct StyledLine: Equatable, Sendable {
    public var spans: [Span]

    public init(_ spans: [Span] = []) { self.spans = spans }
    public init(_ text: String, _ role: ThemeRole = .text) { self.spans = [Span(text, role)] }

    public static let blank = StyledLine()

    /// The line as plain text.
    public var text: String { spans.map(\.text).joined() }
}

extension CellGrid {
    /// Draws a styled line from (x, y), clipped at `limit`.
    mutating func write(_ line: StyledLine, x: Int, y: Int, limit: Int, theme: Theme, base: CellStyle? = nil) {
        var column = x
        for span in line.spans {
            guard column < limit else { break }
            var style = theme[span.role]
            if let base, span.role == .text { style = base }
            column = write(span.text, x: column, y: y, style: style, limit: limit)
        }
    }
}
