/// Numbers: the RFC 8259 grammar, checked while reading. Conversion is `JSONNumber`'s.
extension JSONReader {
    /// Reads the number at the cursor: `-`? (`0` | [1-9][0-9]*) (`.` [0-9]+)? ([eE] [+-]? [0-9]+)?
    mutating func readNumber() throws(StreamDecodingError) -> JSONValue {
        let start = offset
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        guard isDigit(at: offset) else { throw malformed("a number needs a digit here") }
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            guard !isDigit(at: offset) else { throw malformed("a number must not have a leading zero") }
        } else {
            skipDigits()
        }
        var isInteger = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            guard isDigit(at: offset) else { throw malformed("a digit must follow the decimal point") }
            skipDigits()
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard isDigit(at: offset) else { throw malformed("a digit must follow the exponent mark") }
            skipDigits()
        }
        return JSONValue(kind: .number, start: start, end: offset, flag: isInteger)
    }

    /// The text of a number value, for `JSONNumber`.
    func numberText(_ value: JSONValue) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[value.start..<value.end])
    }

    @inline(__always)
    private func isDigit(at index: Int) -> Bool {
        index < bytes.count && bytes[index] &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    private mutating func skipDigits() {
        while isDigit(at: offset) { offset += 1 }
    }
}
