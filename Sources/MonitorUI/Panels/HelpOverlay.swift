import Foundation

/// A centred box listing every key binding; any key closes it.
enum HelpOverlay {
    static func draw(width: Int, height: Int, on screen: inout ScreenBuffer) {
        let bindings = ViewState.keyBindings
        let keyWidth = bindings.map(\.keys.count).max() ?? 0
        let lines =
            ["ticktop keys (any key closes)", ""]
            + bindings.map {
                $0.keys.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  " + $0.action
            }
        let boxWidth = min(width, (lines.map(\.count).max() ?? 0) + 4)
        let boxHeight = min(height, lines.count + 2)
        let top = max(0, (height - boxHeight) / 2)
        let left = max(0, (width - boxWidth) / 2)
        for row in top..<(top + boxHeight) {
            screen.put(String(repeating: " ", count: boxWidth), row: row, column: left, role: .text)
        }
        let horizontal = String(repeating: "─", count: max(0, boxWidth - 2))
        screen.put("┌" + horizontal + "┐", row: top, column: left, role: .border)
        screen.put("└" + horizontal + "┘", row: top + boxHeight - 1, column: left, role: .border)
        for (index, line) in lines.prefix(max(0, boxHeight - 2)).enumerated() {
            let y = top + 1 + index
            screen.put("│", row: y, column: left, role: .border)
            screen.put("│", row: y, column: left + boxWidth - 1, role: .border)
            screen.put(line, row: y, column: left + 2, role: index == 0 ? .header : .text, clipWidth: boxWidth - 4)
        }
    }
}
