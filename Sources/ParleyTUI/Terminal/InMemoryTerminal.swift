/// A terminal for tests: plays scripted keys, keeps every frame drawn, and can be resized
/// between keys. When the script runs out, `readKey` throws `TerminalError.inputClosed`.
public final class InMemoryTerminal: Terminal {
    public enum Step: Equatable {
        case key(KeyEvent)
        /// Changes the size, then delivers `.resize` as the next key.
        case resize(Size)
    }

    public private(set) var size: Size
    public let supportsColor: Bool
    public private(set) var screen: CellGrid
    public private(set) var framesDrawn = 0
    /// How many cells the last draw sent: only those that changed.
    public private(set) var cellsSentLastDraw = 0
    public private(set) var restored = false
    private var script: [Step]

    public init(size: Size, keys: [KeyEvent] = [], supportsColor: Bool = true) {
        self.size = size
        self.supportsColor = supportsColor
        self.screen = CellGrid(size: size)
        self.script = keys.map(Step.key)
    }

    public init(size: Size, script: [Step], supportsColor: Bool = true) {
        self.size = size
        self.supportsColor = supportsColor
        self.screen = CellGrid(size: size)
        self.script = script
    }

    public func draw(_ grid: CellGrid) {
        let changes = grid.changes(since: framesDrawn == 0 ? nil : screen)
        cellsSentLastDraw = changes.count
        screen = grid
        framesDrawn += 1
    }

    public func readKey(timeoutMilliseconds: Int) throws -> KeyEvent? {
        guard !script.isEmpty else { throw TerminalError.inputClosed }
        switch script.removeFirst() {
        case .key(let key): return key
        case .resize(let newSize):
            size = newSize
            return .resize
        }
    }

    public func restore() { restored = true }

    /// The last frame as text: one line per row, trailing spaces removed.
    public var text: String { screen.text }
}
