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
        var start = field.start
        var end = field.end
        if !field.quoted {
            while start < end, bytes[start] == Self.space || bytes[start] == Self.tab { start += 1 }
            while end > start, bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab { end -= 1 }
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        return field.escaped ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// The field as a plain decimal (`-12.345`, `7`) read straight from the bytes, or nil for any
    /// other form (exponents, blanks, text), which callers then parse from `text(_:)`. Exact: with
    /// at most 2^53 as the digits and at most 22 decimals, one division of two exactly
    /// representable numbers rounds correctly, as `Double(String)` does.
    func plainDecimal(_ field: Field) -> Double? {
        guard !field.quoted, field.end > field.start else { return nil }
        return bytes.withUnsafeBufferPointer { Self.plainDecimal($0, field) }
    }

    private static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Field) -> Double? {
        var index = field.start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var decimals = 0
        var seenPoint = false
        while index < field.end {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                guard digits < 18 else { return nil }
                mantissa = mantissa * 10 + Int64(byte - 48)
                if mantissa > 0 { digits += 1 }
                if seenPoint { decimals += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint, index > field.start, bytes[index - 1] >= 48, bytes[index - 1] <= 57 {
                seenPoint = true
            } else {
                return nil
            }
            index += 1
        }
        guard bytes[field.end - 1] >= 48, bytes[field.end - 1] <= 57, mantissa <= 1 << 53, decimals <= 22 else { return nil }
        let value = Double(mantissa) / powersOfTen[decimals]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    private func isBlank(_ field: Field) -> Bool {
        bytes[field.start..<field.end].allSatisfy { $0 == Self.space || $0 == Self.tab || $0 == Self.carriageReturn }
    }

    /// Reads one record from `offset` on, scanning through an unsafe buffer (a million-row file
    /// otherwise spends its time on per-byte bounds checks and reference counting in debug builds).
    private mutating func readRecord(into fields: inout [Field], problem: inout String?) {
        var offset = self.offset
        var line = self.line
        bytes.withUnsafeBufferPointer { buffer in
            Self.readRecord(buffer, offset: &offset, line: &line, into: &fields, problem: &problem)
        }
        self.offset = offset
        self.line = line
    }

    private static func readRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int, line: inout Int, into fields: inout [Field],
        problem: inout String?
    ) {
        while true {
            if offset < bytes.count, bytes[offset] == quote {
                readQuoted(bytes, offset: &offset, line: &line, into: &fields, problem: &problem)
            } else {
                let start = offset
                while offset < bytes.count, bytes[offset] != comma, bytes[offset] != newline { offset += 1 }
                var end = offset
                if end > start, bytes[end - 1] == carriageReturn { end -= 1 }
                fields.append(Field(start: start, end: end, quoted: false, escaped: false))
            }
            guard offset < bytes.count else { return }
            if bytes[offset] == newline {
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
    private static func readQuoted(
        _ bytes: UnsafeBufferPointer<UInt8>, offset: inout Int, line: inout Int, into fields: inout [Field],
        problem: inout String?
    ) {
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
            if byte == quote {
                if offset + 1 < bytes.count, bytes[offset + 1] == quote {
                    escaped = true
                    offset += 2
                    continue
                }
                break
            }
            if byte == newline { line += 1 }
            offset += 1
        }
        fields.append(Field(start: start, end: offset, quoted: true, escaped: escaped))
        offset += 1  // the closing quote
        var stray = false
        while offset < bytes.count, bytes[offset] != comma, bytes[offset] != newline {
            let byte = bytes[offset]
            if byte != space, byte != tab, byte != carriageReturn { stray = true }
            offset += 1
        }
        if stray { problem = "text follows a closing quote" }
    }
}
