import Collector

/// The top title bar and the bottom status line.
enum StatusLine {
    /// `ticktop  SIM streaming  ALPACA no-key        PAUSED`
    static func drawTitle(_ state: ViewState, width: Int, on screen: inout ScreenBuffer) {
        screen.fill(row: 0, role: .statusBar)
        let sources =
            state.snapshot?.sources.map { "\($0.source.label) \($0.state.rawValue)" }.joined(separator: "  ") ?? "starting"
        screen.put(" ticktop  \(sources)", row: 0, column: 0, role: .statusBar, clipWidth: width)
        var flags: [String] = []
        if let problem = state.storeProblem { flags.append("STORE: \(problem)") }
        if state.paused { flags.append("PAUSED") }
        if !flags.isEmpty {
            let text = " " + flags.joined(separator: "  ") + " "
            let column = max(width / 3, width - text.count)
            screen.put(
                text, row: 0, column: column, role: state.storeProblem == nil ? .warning : .error, clipWidth: width - column)
        }
    }

    /// `default 1/2 │ 14:30:05 UTC │ US open │ ? help  q quit`; the session says why when it can
    /// (`US closed (Thanksgiving)`, `US open, closes 13:00`).
    static func drawStatus(_ state: ViewState, width: Int, row: Int, on screen: inout ScreenBuffer) {
        screen.fill(row: row, role: .statusBar)
        let list = "\(state.currentWatchlist.name) \(state.activeWatchlist + 1)/\(state.watchlists.count)"
        let now = state.snapshot?.takenAt
        let clock = now.map { "\($0.clockText) UTC" } ?? "--:--:--"
        let session = now.map { "US \(MarketSession.status(for: .equity, at: $0))" } ?? ""
        var parts = [list, clock, session]
        if let sort = state.sort { parts.append("sort \(sort.rawValue)\(state.sortDescending ? " ↓" : " ↑")") }
        if !state.filter.isEmpty { parts.append("filter '\(state.filter)'") }
        let left = " " + parts.joined(separator: " │ ")
        let hints = "? help  q quit "
        screen.put(left, row: row, column: 0, role: .statusBar, clipWidth: width)
        if left.count + hints.count + 2 <= width {
            screen.put(hints, row: row, column: width - hints.count, role: .statusBar)
        }
    }

    /// The line above the status line: an input prompt, a confirmation, or a message.
    static func drawPrompt(_ state: ViewState, width: Int, row: Int, on screen: inout ScreenBuffer) -> Bool {
        switch state.mode {
        case .input(let input):
            var line = "\(input.purpose.prompt): \(input.text)█"
            if let error = input.error { line += "   \(error)" }
            screen.put(line, row: row, column: 0, role: input.error == nil ? .text : .error, clipWidth: width)
            return true
        case .confirmDelete(let symbol):
            screen.put(
                "delete \(symbol) from \(state.currentWatchlist.name)? y / n", row: row, column: 0, role: .warning,
                clipWidth: width)
            return true
        default:
            guard let message = state.message else { return false }
            screen.put(message.text, row: row, column: 0, role: message.isError ? .error : .dim, clipWidth: width)
            return true
        }
    }
}
