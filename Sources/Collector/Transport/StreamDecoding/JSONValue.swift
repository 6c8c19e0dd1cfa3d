/// One syntactically valid JSON value found by `JSONReader`: its kind and where its bytes
/// are. Nothing is converted until a decoder asks for the value as a Swift type.
struct JSONValue {
    enum Kind: UInt8 {
        case string, number, object, array, bool, null
    }

    var kind: Kind
    /// Strings: the first byte after the opening quote. Others: the value's first byte.
    var start: Int
    /// Exclusive. Strings: the closing quote.
    var end: Int
    /// Strings: contains a backslash escape. Numbers: written as an integer (no fraction or
    /// exponent). Booleans: the value.
    var flag: Bool

    var isNull: Bool { kind == .null }

    /// What a field of this kind is called in error messages.
    var kindName: String {
        switch kind {
        case .string: "a string"
        case .number: "a number"
        case .object: "an object"
        case .array: "an array"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
