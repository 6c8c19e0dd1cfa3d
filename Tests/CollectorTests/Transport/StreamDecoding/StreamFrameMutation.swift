/// Ways to break a valid frame, each of which leaves bytes that are certainly not JSON, so
/// the fast decoder must answer `malformed` (the reference, being lenient in places, may not).
enum StreamFrameMutation: CaseIterable {
    /// A strict prefix: the outer array or object is never closed.
    case truncate
    /// A control character other than whitespace: invalid between tokens and inside strings.
    case insertControlByte
    /// A byte that is never valid UTF-8, or a stray continuation byte.
    case insertInvalidUTF8
    /// Something after the frame.
    case appendGarbage

    func apply(to frame: [UInt8], using generator: inout StreamMessageGenerator) -> [UInt8] {
        var bytes = frame
        switch self {
        case .truncate:
            // Cut into the closing bracket or before it, not just trailing whitespace.
            let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
            let trailing = bytes.reversed().prefix { whitespace.contains($0) }.count
            bytes.removeLast(generator.int(trailing + 1...bytes.count))
        case .insertControlByte:
            let byte = generator.pick([0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F] as [UInt8])
            bytes.insert(byte, at: generator.int(0...bytes.count))
        case .insertInvalidUTF8:
            let byte = generator.pick([0x80, 0xBF, 0xC0, 0xC1, 0xF5, 0xF8, 0xFF] as [UInt8])
            bytes.insert(byte, at: generator.int(0...bytes.count))
        case .appendGarbage:
            bytes += Array(generator.pick(["x", "]", "}", ",", "\"", "[]", "{}", "0", "null", "\u{0}"]).utf8)
        }
        return bytes
    }

    /// Values that are never valid JSON, to plant in an unknown member (which a lenient parser
    /// may skip without looking): bad escapes, lone surrogates, bad numbers and literals,
    /// trailing commas, comments, unterminated strings.
    static let poisonedValues = [
        "\"\\x\"", "\"\\u12G4\"", "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\\uD800x\"", "\"\\u00e\"", "\"\\\"",
        "\"tab\there\"", "01", "-", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "-01", "1.e5", "--1", "1ee2",
        "tru", "nul", "True", "NULL", "fals", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\"}", "{\"a\":}", "{1:2}", "[1 2]", "/*c*/1",
        "'single'", "\"unterminated", "[[[[", "\u{FEFF}1"
    ]
}
