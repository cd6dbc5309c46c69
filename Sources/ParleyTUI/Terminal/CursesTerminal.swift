import CNcursesw
import Foundation

/// The real screen, through ncursesw. The only code in Parley that calls curses.
///
/// Starting it sets the locale from the environment (so wide characters are drawn), puts the
/// terminal in cbreak mode without echo, and installs SIGINT / SIGTERM handlers that give the
/// terminal back before the process ends. `restore()` does the same on a normal quit or an error.
public final class CursesTerminal: Terminal {
    private var previous: CellGrid?
    private var pairs: [PairKey: Int16] = [:]
    private var restored = false
    public let supportsColor: Bool

    private struct PairKey: Hashable {
        var foreground: TerminalColor
        var background: TerminalColor
    }

    public init() throws {
        setlocale(LC_ALL, "")
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw TerminalError.unavailable("standard input and output must be a terminal")
        }
        // Installed before initscr: ncurses then keeps them instead of its own.
        CursesTerminal.installSignalHandlers()
        guard initscr() != nil else { throw TerminalError.unavailable("ncurses could not start (TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset"))") }
        cbreak()
        noecho()
        nonl()
        keypad(parley_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        if has_colors() {
            start_color()
            use_default_colors()
            supportsColor = parley_colors() >= 8
        } else {
            supportsColor = false
        }
    }

    deinit { restore() }

    public var size: Size {
        var height: Int32 = 0
        var width: Int32 = 0
        parley_getmaxyx(parley_stdscr(), &height, &width)
        return Size(width: Int(width), height: Int(height))
    }

    public func draw(_ grid: CellGrid) {
        if previous?.size != grid.size {
            erase()
            previous = nil
        }
        for (x, y) in grid.changes(since: previous) {
            let cell = grid[x, y]
            if cell.isContinuation { continue }
            var chars = Array(cell.text.unicodeScalars.prefix(5).map { wchar_t(bitPattern: $0.value) })
            if chars.isEmpty { chars = [wchar_t(32)] }
            chars.append(0)
            _ = parley_put_cell(Int32(y), Int32(x), chars, attributes(cell.style), pair(for: cell.style))
        }
        previous = grid
        refresh()
    }

    public func readKey(timeoutMilliseconds: Int) throws -> KeyEvent? {
        wtimeout(parley_stdscr(), Int32(timeoutMilliseconds))
        var value: wint_t = 0
        let result = wget_wch(parley_stdscr(), &value)
        if result == parley_err() { return nil }
        let code = Int32(value)
        if result == parley_key_code_yes() { return functionKey(code) }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
            return .character(Character(scalar))
        }
    }

    private func functionKey(_ code: Int32) -> KeyEvent? {
        switch code {
        case parley_key_resize():
            previous = nil
            return .resize
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    public func restore() {
        guard !restored else { return }
        restored = true
        endwin()
    }

    private func attributes(_ style: CellStyle) -> attr_t {
        var attrs = parley_a_normal()
        if style.bold { attrs |= parley_a_bold() }
        if style.underline { attrs |= parley_a_underline() }
        if style.reverse { attrs |= parley_a_reverse() }
        return attrs
    }

    private func pair(for style: CellStyle) -> Int16 {
        guard supportsColor else { return 0 }
        let key = PairKey(foreground: style.foreground, background: style.background)
        if key.foreground == .terminalDefault && key.background == .terminalDefault { return 0 }
        if let known = pairs[key] { return known }
        let next = Int32(pairs.count + 1)
        guard next < parley_color_pairs(), next <= Int32(Int16.max) else { return 0 }
        init_pair(Int16(next), color(key.foreground), color(key.background))
        pairs[key] = Int16(next)
        return Int16(next)
    }

    private func color(_ color: TerminalColor) -> Int16 {
        switch color {
        case .terminalDefault: return -1
        case .indexed(let n): return Int32(n) < parley_colors() ? Int16(n) : Int16(n % 8)
        }
    }

    /// Ctrl-C and SIGTERM end the program with the terminal restored. The handler only calls
    /// `endwin` and `_exit`, so no Swift runtime state is touched from inside the signal.
    private static func installSignalHandlers() {
        signal(SIGINT) { number in
            endwin()
            _exit(128 + number)
        }
        signal(SIGTERM) { number in
            endwin()
            _exit(128 + number)
        }
    }
}
