/// Breaks text into lines of at most `width` characters at spaces (a word longer than a line is
/// cut), so a reason is read in full instead of clipped at the panel's edge.
enum TextWrap {
    /// The lines of `text`: the first `width` wide, the rest `width - indent` wide behind `indent`
    /// spaces. Text that fits is returned as it is; always at least one line.
    static func lines(_ text: String, width: Int, indent: Int = 0) -> [String] {
        let width = max(1, width)
        guard text.count > width else { return [text] }
        let indent = min(max(0, indent), width - 1)
        var lines: [String] = []
        var current = ""
        var limit: Int { lines.isEmpty ? width : width - indent }
        func flush() {
            lines.append((lines.isEmpty ? "" : String(repeating: " ", count: indent)) + current)
            current = ""
        }
        for piece in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(piece)
            if !current.isEmpty, current.count + 1 + word.count > limit { flush() }
            while current.isEmpty, word.count > limit {
                current = String(word.prefix(limit))
                word = word.dropFirst(limit)
                flush()
            }
            guard !word.isEmpty else { continue }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty || lines.isEmpty { flush() }
        return lines
    }
}
