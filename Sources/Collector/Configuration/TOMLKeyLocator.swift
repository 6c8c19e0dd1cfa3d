/// Maps dotted key paths of a TOML document to the lines that define them.
///
/// TOMLKit does not expose node positions, so this scans the text itself:
/// `[table]` and `[[table]]` headers, `key =` lines (bare, quoted and dotted keys),
/// comments, strings (multi-line ones too) and the start line of each top-level
/// element of a multi-line array. Inline tables are located by their key only.
public struct TOMLKeyLocator: Sendable {
    private var lines: [[String]: Int] = [:]
    private var elementLines: [[String]: [Int]] = [:]

    public init(text: String) {
        var scanner = Scanner()
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .enumerated()
        {
            scanner.scan(Array(line), lineNumber: index + 1, into: &self)
        }
    }

    /// The line defining `path`, else that of its nearest recorded ancestor (e.g. the table header).
    public func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path] { return line }
            path.removeLast()
        }
        return nil
    }

    /// The line defining exactly `path`, without falling back to an ancestor.
    public func exactLine(of path: [String]) -> Int? { lines[path] }

    /// The line where element `index` of the array at `path` starts, else the key's line.
    package func line(ofElement index: Int, in path: [String]) -> Int? {
        if let starts = elementLines[path], starts.indices.contains(index) { return starts[index] }
        return line(of: path)
    }

    private mutating func record(_ path: [String], line: Int) {
        for end in path.indices {
            let prefix = Array(path[...end])
            if lines[prefix] == nil { lines[prefix] = line }
        }
    }

    /// Line-by-line state machine; state carries over lines inside arrays and multi-line strings.
    private struct Scanner {
        enum Mode { case normal, multilineBasic, multilineLiteral }
        var mode = Mode.normal
        var depth = 0
        var table: [String] = []
        var valuePath: [String] = []
        var expectElement = false

        mutating func scan(_ chars: [Character], lineNumber: Int, into locator: inout TOMLKeyLocator) {
            var i = 0
            if mode == .normal && depth == 0 {
                skipBlanks(chars, &i)
                guard i < chars.count, chars[i] != "#", chars[i] != "\r" else { return }
                if chars[i] == "[" {
                    i += 1
                    let arrayOfTables = i < chars.count && chars[i] == "["
                    if arrayOfTables { i += 1 }
                    guard let path = keyPath(chars, &i), i < chars.count, chars[i] == "]" else { return }
                    table = path
                    locator.record(path, line: lineNumber)
                    return
                }
                guard let key = keyPath(chars, &i), i < chars.count, chars[i] == "=" else { return }
                i += 1
                valuePath = table + key
                locator.record(valuePath, line: lineNumber)
            }
            scanValue(chars, from: i, lineNumber: lineNumber, into: &locator)
        }

        private mutating func scanValue(
            _ chars: [Character], from start: Int, lineNumber: Int, into locator: inout TOMLKeyLocator
        ) {
            var i = start
            while i < chars.count {
                switch mode {
                case .multilineBasic, .multilineLiteral:
                    let quote: Character = mode == .multilineBasic ? "\"" : "'"
                    if mode == .multilineBasic && chars[i] == "\\" {
                        i += 2
                        continue
                    }
                    if chars[i] == quote && isTriple(chars, i, quote) {
                        mode = .normal
                        i += 3
                    } else {
                        i += 1
                    }
                    continue
                case .normal:
                    break
                }
                let c = chars[i]
                if c == "#" { return }
                if c == " " || c == "\t" || c == "\r" {
                    i += 1
                    continue
                }
                if expectElement && depth == 1 && c != "," && c != "]" {
                    locator.elementLines[valuePath, default: []].append(lineNumber)
                    expectElement = false
                }
                switch c {
                case "\"", "'":
                    if isTriple(chars, i, c) {
                        mode = c == "\"" ? .multilineBasic : .multilineLiteral
                        i += 3
                    } else {
                        i = endOfString(chars, i)
                    }
                    continue
                case "[", "{":
                    depth += 1
                    if depth == 1 && c == "[" { expectElement = true }
                case "]", "}":
                    depth = max(depth - 1, 0)
                case ",":
                    if depth == 1 { expectElement = true }
                default:
                    break
                }
                i += 1
            }
        }

        private func isTriple(_ chars: [Character], _ i: Int, _ quote: Character) -> Bool {
            i + 2 < chars.count && chars[i + 1] == quote && chars[i + 2] == quote
        }

        /// Index just past the single-line string starting at `i`.
        private func endOfString(_ chars: [Character], _ start: Int) -> Int {
            let quote = chars[start]
            var i = start + 1
            while i < chars.count {
                if quote == "\"" && chars[i] == "\\" {
                    i += 2
                    continue
                }
                if chars[i] == quote { return i + 1 }
                i += 1
            }
            // An escape at the very end steps past it: the string ends with the text.
            return min(i, chars.count)
        }

        /// The text of a quoted key; escapes in basic strings keep the escaped character.
        private func unescaped(_ body: ArraySlice<Character>, basic: Bool) -> String {
            guard basic else { return String(body) }
            var result = ""
            var escaped = false
            for c in body {
                if c == "\\" && !escaped {
                    escaped = true
                    continue
                }
                result.append(c)
                escaped = false
            }
            return result
        }

        private func skipBlanks(_ chars: [Character], _ i: inout Int) {
            while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        }

        /// Reads `a."b c".d` up to the first character that is not part of the key; `nil` if malformed.
        private func keyPath(_ chars: [Character], _ i: inout Int) -> [String]? {
            var path: [String] = []
            while true {
                skipBlanks(chars, &i)
                guard i < chars.count else { return nil }
                if chars[i] == "\"" || chars[i] == "'" {
                    let end = endOfString(chars, i)
                    guard end > i + 1, chars[end - 1] == chars[i] else { return nil }
                    path.append(unescaped(chars[(i + 1)..<(end - 1)], basic: chars[i] == "\""))
                    i = end
                } else {
                    let start = i
                    while i < chars.count, chars[i].isASCII,
                        chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "-"
                    { i += 1 }
                    guard i > start else { return nil }
                    path.append(String(chars[start..<i]))
                }
                skipBlanks(chars, &i)
                guard i < chars.count, chars[i] == "." else { return path }
                i += 1
            }
        }
    }
}
