import Foundation

/// Splits CSV bytes into records and fields without copying them.
///
/// RFC 4180 style: fields are separated by `,`, records by `\n` or `\r\n`; a field in double
/// quotes may hold commas, newlines and `""` for a quote. A UTF-8 byte order mark is skipped and
/// blank lines are ignored. Malformed input (an unclosed quote, text after a closing quote) never
/// stops the reader: the record is returned with `problem` set, and reading goes on.
struct ReplayCSVReader {
    /// One field: a byte range of `bytes`, and whether it was quoted or holds `""` escapes.
    struct Field: Sendable {
        var start: Int
        var end: Int
        var quoted: Bool
        var escaped: Bool
    }

    let bytes: [UInt8]
    private var offset = 0
    /// The line the next record starts on (1-based).
    private var line = 1

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""),
        newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), space = UInt8(ascii: " "),
        tab = UInt8(ascii: "\t")

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
    }

    /// Reads the next non-blank record into `fields` (reusing its storage) and returns the line it
    /// starts on, or nil at the end. `problem` describes malformed quoting, else it is nil.
    mutating func next(into fields: inout [Field], problem: inout String?) -> Int? {
        while offset < bytes.count {
            fields.removeAll(keepingCapacity: true)
            problem = nil
            let recordLine = line
            readRecord(into: &fields, problem: &problem)
            let blank = fields.count == 1 && !fields[0].quoted && isBlank(fields[0])
            if !blank { return recordLine }
        }
        return nil
    }

    /// The field's text: quotes removed and `""` unescaped; unquoted fields lose surrounding blanks.
    func text(_ field: Field) -> String {
        var start = field.start, end = field.end
        if !field.quoted {
            while start < end, bytes[start] == Self.space || bytes[start] == Self.tab { start += 1 }
            while end > start, bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab { end -= 1 }
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        return field.escaped ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    private func isBlank(_ field: Field) -> Bool {
        bytes[field.start..<field.end].allSatisfy { $0 == Self.space || $0 == Self.tab || $0 == Self.carriageReturn }
    }

    private mutating func readRecord(into fields: inout [Field], problem: inout String?) {
        while true {
            if offset < bytes.count, bytes[offset] == Self.quote {
                readQuoted(into: &fields, problem: &problem)
            } else {
                let start = offset
                while offset < bytes.count, bytes[offset] != Self.comma, bytes[offset] != Self.newline { offset += 1 }
                var end = offset
                if end > start, bytes[end - 1] == Self.carriageReturn { end -= 1 }
                fields.append(Field(start: start, end: end, quoted: false, escaped: false))
            }
            guard offset < bytes.count else { return }
            if bytes[offset] == Self.newline {
                offset += 1
                line += 1
                return
            }
            offset += 1  // the comma
            if offset == bytes.count {  // a trailing comma ends with an empty field
                fields.append(Field(start: offset, end: offset, quoted: false, escaped: false))
                return
            }
        }
    }

    /// Reads `"..."` and skips anything up to the next comma or newline after it.
    private mutating func readQuoted(into fields: inout [Field], problem: inout String?) {
        offset += 1
        let start = offset
        var escaped = false
        while true {
            guard offset < bytes.count else {
                problem = "a quoted field is not closed"
                fields.append(Field(start: start, end: bytes.count, quoted: true, escaped: escaped))
                return
            }
            let byte = bytes[offset]
            if byte == Self.quote {
                if offset + 1 < bytes.count, bytes[offset + 1] == Self.quote {
                    escaped = true
                    offset += 2
                    continue
                }
                break
            }
            if byte == Self.newline { line += 1 }
            offset += 1
        }
        fields.append(Field(start: start, end: offset, quoted: true, escaped: escaped))
        offset += 1  // the closing quote
        var stray = false
        while offset < bytes.count, bytes[offset] != Self.comma, bytes[offset] != Self.newline {
            let byte = bytes[offset]
            if byte != Self.space, byte != Self.tab, byte != Self.carriageReturn { stray = true }
            offset += 1
        }
        if stray { problem = "text follows a closing quote" }
    }
}
