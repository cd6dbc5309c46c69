/// The help overlay's lines, generated from the live keymap and grouped by the id's prefix.
public enum HelpContent {
    public static func lines(keymap: Keymap) -> [StyledLine] {
        let groups: [(String, String)] = [("move", "Moving"), ("pane", "Panes"), ("queue", "Queue"),
                                          ("search", "Filter"), ("help", "Help"), ("palette", "Palette"),
                                          ("overlay", "Overlays"), ("note", "Notes"), ("call", "Call script"),
                                          ("offer", "Offer builder"), ("app", "Workbench"),
                                          ("review", "Supervisor review")]
        var lines: [StyledLine] = []
        for (prefix, heading) in groups {
            let commands = Command.allCases.filter { $0.rawValue.hasPrefix(prefix + ".") }
            guard !commands.isEmpty else { continue }
            if !lines.isEmpty { lines.append(.blank) }
            lines.append(StyledLine(heading, .heading))
            for command in commands {
                let keys = keymap.keys(for: command).map(KeyName.name).joined(separator: " ")
                lines.append(StyledLine([
                    Span("  " + DisplayWidth.pad(keys.isEmpty ? "(unbound)" : keys, to: 18), .key),
                    Span(DisplayWidth.pad(command.rawValue, to: 20), .dim),
                    Span(command.title, .overlayText),
                ]))
            }
        }
        lines.append(.blank)
        lines.append(StyledLine("In the script pane each choice's key (shown as [y]) records it and moves on; script keys come first there.", .dim))
        lines.append(StyledLine("While editing an offer draft: type digits, dates and amounts; Backspace erases; Esc stops editing.", .dim))
        lines.append(StyledLine("While typing a filter: Enter applies, Esc cancels, Backspace erases, C-u clears.", .dim))
        lines.append(StyledLine("Keys can be changed in a keymap file: parley --keymap FILE ([keys] \"move.down\" = [\"j\", \"Down\"]).", .dim))
        return lines
    }
}
