/// Where each part of the workbench goes at a given terminal size.
///
/// ```
/// title bar                                   (row 0)
/// ┌[1] Queue──────────────────────────────────┐
/// │ the prioritised queue, full width          │  half the body
/// └───────────────────────────────────────────┘
/// ┌[2] History──────────────┐┌[3] Offer builder┐
/// │                          │└─────────────────┘
/// │                          │┌[4] Script───────┐
/// └──────────────────────────┘└─────────────────┘
/// status line                                 (last row)
/// ```
public struct Layout: Equatable, Sendable {
    public static let minimum = Size(width: 80, height: 24)

    public var title: Rect
    public var status: Rect
    public var queue: Rect
    public var history: Rect
    public var offer: Rect
    public var script: Rect

    /// Nil below the minimum size. While the offer builder or the script has the focus, it takes
    /// most of the lower right and the history gives up some width.
    public init?(size: Size, focus: Pane = .queue) {
        guard size.width >= Layout.minimum.width, size.height >= Layout.minimum.height else { return nil }
        let body = size.height - 2
        let queueHeight = body / 2
        let lower = body - queueHeight
        let working = focus == .offer || focus == .script
        let historyWidth = size.width * (working ? 40 : 56) / 100
        let collapsed = min(4, lower / 2)
        let offerHeight: Int
        switch focus {
        case .offer: offerHeight = lower - collapsed
        case .script: offerHeight = collapsed
        default: offerHeight = lower / 2
        }
        title = Rect(x: 0, y: 0, width: size.width, height: 1)
        status = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
        queue = Rect(x: 0, y: 1, width: size.width, height: queueHeight)
        history = Rect(x: 0, y: 1 + queueHeight, width: historyWidth, height: lower)
        offer = Rect(x: historyWidth, y: 1 + queueHeight, width: size.width - historyWidth, height: offerHeight)
        script = Rect(x: historyWidth, y: 1 + queueHeight + offerHeight, width: size.width - historyWidth, height: lower - offerHeight)
    }

    public func rect(for pane: Pane) -> Rect {
        switch pane {
        case .queue: return queue
        case .history: return history
        case .offer: return offer
        case .script: return script
        }
    }

    /// Queue rows on screen: inside the border, below the column header.
    public var queueVisibleRows: Int { max(1, queue.height - 3) }
    /// History lines on screen: inside the border.
    public var historyVisibleLines: Int { max(1, history.height - 2) }
    public var historyTextWidth: Int { max(1, history.width - 4) }

    /// The help and reasons overlays: centred, leaving a margin.
    public static func overlay(in size: Size, width: Int, height: Int) -> Rect {
        let w = min(width, size.width - 4)
        let h = min(height, size.height - 2)
        return Rect(x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h)
    }

    public static func helpRect(in size: Size) -> Rect { overlay(in: size, width: 86, height: size.height - 4) }
    public static func helpVisibleLines(in size: Size) -> Int { max(1, helpRect(in: size).height - 2) }
}
