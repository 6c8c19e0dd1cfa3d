/// Strings: validation while reading (UTF-8 per Unicode table 3-7, escapes, surrogate pairs),
/// conversion only when a decoder asks for the text.
extension JSONReader {
    /// Reads the string whose opening quote is at the cursor.
    mutating func readString() throws(StreamDecodingError) -> JSONValue {
        let quote = offset
        offset += 1
        var escaped = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte >= 0x20, byte < 0x80, byte != 0x22, byte != 0x5C {
                offset += 1
                continue
            }
            switch byte {
            case 0x22:
                defer { offset += 1 }
                return JSONValue(kind: .string, start: quote + 1, end: offset, flag: escaped)
            case 0x5C:
                escaped = true
                try readEscape()
            case ..<0x20:
                throw malformed("a control character must be escaped inside a string")
            default:
                try readMultibyteCharacter(lead: byte)
            }
        }
        throw malformed("the string is not closed", at: quote)
    }

    /// The text of a string value.
    func string(_ value: JSONValue) -> String {
        if !value.flag {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[value.start..<value.end]), as: UTF8.self)
        }
        return String(decoding: unescaped(value), as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of a string value: the frame's own bytes when the
    /// string has no escape, a decoded copy otherwise.
    func withUTF8<R>(of value: JSONValue, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if !value.flag {
            return body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[value.start..<value.end]))
        }
        return unescaped(value).withUnsafeBytes(body)
    }

    /// The UTF-8 bytes of an escaped string with its escapes replaced (it was validated when read).
    func unescaped(_ value: JSONValue) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(value.end - value.start)
        var index = value.start
        while index < value.end {
            let byte = bytes[index]
            guard byte == 0x5C else {
                result.append(byte)
                index += 1
                continue
            }
            let kind = bytes[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            case UInt8(ascii: "n"): result.append(0x0A)
            case UInt8(ascii: "r"): result.append(0x0D)
            case UInt8(ascii: "t"): result.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(hexUnit(at: index))
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = UInt32(hexUnit(at: index + 2))
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                Self.appendUTF8(scalar, to: &result)
            default: result.append(kind)  // " \ /
            }
        }
        return result
    }

    // MARK: Validation

    /// Reads the escape at the cursor (a backslash).
    private mutating func readEscape() throws(StreamDecodingError) {
        let start = offset
        guard offset + 1 < bytes.count else { throw malformed("the string is not closed") }
        switch bytes[offset + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 2
        case UInt8(ascii: "u"):
            let unit = try readHexEscape()
            switch unit {
            case 0xD800...0xDBFF:
                guard offset + 1 < bytes.count, bytes[offset] == 0x5C, bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw malformed("a high surrogate escape must be followed by a low one", at: start)
                }
                guard (0xDC00...0xDFFF).contains(try readHexEscape()) else {
                    throw malformed("a high surrogate escape must be followed by a low one", at: start)
                }
            case 0xDC00...0xDFFF:
                throw malformed("a low surrogate escape without a high one before it", at: start)
            default:
                break
            }
        default:
            throw malformed("unknown escape '\\\(Character(Unicode.Scalar(bytes[offset + 1])))'")
        }
    }

    /// Reads `\uXXXX` at the cursor and returns the code unit.
    private mutating func readHexEscape() throws(StreamDecodingError) -> UInt16 {
        guard offset + 6 <= bytes.count else { throw malformed("a \\u escape needs four hex digits") }
        for index in offset + 2..<offset + 6 where Self.hexValue(bytes[index]) == nil {
            throw malformed("a \\u escape needs four hex digits", at: index)
        }
        defer { offset += 6 }
        return hexUnit(at: offset + 2)
    }

    /// Checks the multi-byte UTF-8 sequence starting at the cursor (well-formed, shortest
    /// form, no surrogates, at most U+10FFFF) and steps over it.
    private mutating func readMultibyteCharacter(lead: UInt8) throws(StreamDecodingError) {
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            second = 0x80...0x9F
        case 0xF0:
            length = 4
            second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            second = 0x80...0x8F
        default: throw malformed("invalid UTF-8")
        }
        guard offset + length <= bytes.count, second.contains(bytes[offset + 1]) else {
            throw malformed("invalid UTF-8")
        }
        for index in offset + 2..<offset + length where bytes[index] & 0xC0 != 0x80 {
            throw malformed("invalid UTF-8", at: index)
        }
        offset += length
    }

    private func hexUnit(at index: Int) -> UInt16 {
        var unit: UInt16 = 0
        for position in index..<index + 4 { unit = unit << 4 | UInt16(Self.hexValue(bytes[position]) ?? 0) }
        return unit
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            bytes.append(UInt8(scalar))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | scalar >> 6))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | scalar >> 12))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | scalar >> 18))
            bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
