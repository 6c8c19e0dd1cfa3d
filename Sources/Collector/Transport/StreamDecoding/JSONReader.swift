/// A strict RFC 8259 reader over the bytes of one frame: a cursor that walks arrays and
/// objects and hands out `JSONValue`s (kind and byte range) without converting them.
///
/// Everything it steps over is validated, skipped values included: strings (UTF-8, escapes,
/// surrogate pairs, no raw control characters), number grammar (no `01`, `-`, `1.`, `.5`,
/// `+1`), literals, nesting (at most `maximumDepth` levels), commas (no trailing ones) and
/// nothing but whitespace after the frame. It never reads outside `bytes`.
///
/// The reader borrows the bytes: use it only inside the `withUnsafeBytes` that produced them.
struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset: Int

    /// Deeper nesting than this is refused rather than followed (stack safety).
    static let maximumDepth = 128

    init(_ raw: UnsafeRawBufferPointer, offset: Int = 0) {
        bytes = raw.assumingMemoryBound(to: UInt8.self)
        self.offset = offset
    }

    var count: Int { bytes.count }

    func malformed(_ reason: String, at position: Int? = nil) -> StreamDecodingError {
        .malformed(offset: position ?? offset, reason: reason)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while offset < bytes.count {
            let byte = bytes[offset]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            offset += 1
        }
    }

    /// The next byte that is not whitespace, not consumed.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    // MARK: Arrays

    /// Reads `[`. True when an element follows; false when the array was empty (`]` read too).
    mutating func beginArray() throws(StreamDecodingError) -> Bool {
        guard peek() == UInt8(ascii: "[") else { throw malformed("expected '['") }
        offset += 1
        guard peek() != UInt8(ascii: "]") else {
            offset += 1
            return false
        }
        return true
    }

    /// After an element: true after `,` (another element follows), false after `]`.
    mutating func nextElement() throws(StreamDecodingError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            offset += 1
            return true
        case UInt8(ascii: "]"):
            offset += 1
            return false
        case nil: throw malformed("the array is not closed")
        default: throw malformed("expected ',' or ']' after an array element")
        }
    }

    // MARK: Objects

    /// Reads `{`. True when a member follows; false when the object was empty (`}` read too).
    mutating func beginObject() throws(StreamDecodingError) -> Bool {
        guard peek() == UInt8(ascii: "{") else { throw malformed("expected '{'") }
        offset += 1
        guard peek() != UInt8(ascii: "}") else {
            offset += 1
            return false
        }
        return true
    }

    /// Reads a member's key and the `:` after it; the reader is then at the member's value.
    mutating func readKey() throws(StreamDecodingError) -> JSONValue {
        guard peek() == UInt8(ascii: "\"") else { throw malformed("expected a key in double quotes") }
        let key = try readString()
        guard peek() == UInt8(ascii: ":") else { throw malformed("expected ':' after a key") }
        offset += 1
        return key
    }

    /// After a member's value: true after `,` (another member follows), false after `}`.
    mutating func nextMember() throws(StreamDecodingError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            offset += 1
            return true
        case UInt8(ascii: "}"):
            offset += 1
            return false
        case nil: throw malformed("the object is not closed")
        default: throw malformed("expected ',' or '}' after an object member")
        }
    }

    // MARK: Values

    /// Reads one value of any kind, validating all of it, nested values included.
    mutating func readValue(depth: Int = 0) throws(StreamDecodingError) -> JSONValue {
        guard let first = peek() else { throw malformed("expected a value, found the end of the frame") }
        let start = offset
        switch first {
        case UInt8(ascii: "\""):
            return try readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber()
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw malformed("nested deeper than \(Self.maximumDepth) levels") }
            if try beginObject() {
                repeat {
                    _ = try readKey()
                    _ = try readValue(depth: depth + 1)
                } while try nextMember()
            }
            return JSONValue(kind: .object, start: start, end: offset, flag: false)
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw malformed("nested deeper than \(Self.maximumDepth) levels") }
            if try beginArray() {
                repeat {
                    _ = try readValue(depth: depth + 1)
                } while try nextElement()
            }
            return JSONValue(kind: .array, start: start, end: offset, flag: false)
        case UInt8(ascii: "t"):
            try readLiteral("true")
            return JSONValue(kind: .bool, start: start, end: offset, flag: true)
        case UInt8(ascii: "f"):
            try readLiteral("false")
            return JSONValue(kind: .bool, start: start, end: offset, flag: false)
        case UInt8(ascii: "n"):
            try readLiteral("null")
            return JSONValue(kind: .null, start: start, end: offset, flag: false)
        default:
            throw malformed("expected a value")
        }
    }

    /// Checks that only whitespace follows the frame.
    mutating func finish() throws(StreamDecodingError) {
        guard peek() == nil else { throw malformed("unexpected bytes after the frame") }
    }

    private mutating func readLiteral(_ word: StaticString) throws(StreamDecodingError) {
        let length = word.utf8CodeUnitCount
        guard offset + length <= bytes.count else { throw malformed("expected '\(word)'") }
        for index in 0..<length where bytes[offset + index] != word.utf8Start[index] {
            throw malformed("expected '\(word)'", at: offset + index)
        }
        offset += length
    }
}
