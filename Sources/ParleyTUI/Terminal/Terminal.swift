/// A size in terminal cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)×\(height)" }
}

/// A key the collector pressed, or a change of the terminal's size.
public enum KeyEvent: Hashable, Sendable {
    case character(Character)
    /// Control plus a letter (`ctrl("d")` is Ctrl-D), other than those with names of their own
    /// (Tab, Enter, Backspace, Escape).
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case tab, backTab, enter, escape, backspace, delete
    case function(Int)
    case resize
}

/// Why the terminal could not be used.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// The terminal could not be started (no tty, unknown TERM).
    case unavailable(String)
    /// A scripted terminal ran out of keys.
    case inputClosed

    public var description: String {
        switch self {
        case .unavailable(let reason): return "cannot open the terminal: \(reason)"
        case .inputClosed: return "the terminal's input is closed"
        }
    }
}

/// Where the workbench draws and reads keys. `CursesTerminal` is the real screen;
/// `InMemoryTerminal` plays scripted keys and keeps the last frame for tests.
public protocol Terminal: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Whether the terminal shows colours; without them the monochrome theme is used.
    var supportsColor: Bool { get }
    /// Shows the grid, sending only the cells that differ from the previous frame.
    func draw(_ grid: CellGrid)
    /// The next key, or nil when none arrived within the timeout. A size change arrives as `.resize`.
    func readKey(timeoutMilliseconds: Int) throws -> KeyEvent?
    /// Gives the terminal back as it was found. Safe to call more than once.
    func restore()
}
