import TOMLKit

/// A parsed TOML value copied out of TOMLKit into plain Swift values.
indirect enum TOMLNode: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case array([TOMLNode])
    case table([Entry])
    /// A date, time or date-time; ticktop has no setting of these types.
    case other(String)

    struct Entry: Sendable, Equatable {
        var key: String
        var value: TOMLNode
    }

    /// Parses `text`, rethrowing `TOMLDocument.HeaderError` and TOMLKit's `TOMLParseError`.
    static func parse(_ text: String) throws -> TOMLNode {
        let table = try TOMLDocument.table(text)
        return withExtendedLifetime(table) { TOMLNode(table) }
    }

    init(_ value: any TOMLValueConvertible) {
        switch value.type {
        case .string: self = .string(value.string ?? "")
        case .int: self = .int(value.int ?? 0)
        case .double: self = .double(value.double ?? 0)
        case .bool: self = .bool(value.bool ?? false)
        case .array: self = .array(value.array.map { $0.map(TOMLNode.init) } ?? [])
        case .table:
            guard let table = value.table else {
                self = .table([])
                return
            }
            self = .table(table.keys.compactMap { key in table[key].map { Entry(key: key, value: TOMLNode($0)) } })
        case .date, .time, .dateTime: self = .other(value.type.description)
        }
    }

    /// What the value is, for "expected X, got Y" messages.
    var typeName: String {
        switch self {
        case .string: TOMLType.string.readableName
        case .int: TOMLType.int.readableName
        case .double: TOMLType.double.readableName
        case .bool: TOMLType.bool.readableName
        case .array: TOMLType.array.readableName
        case .table: TOMLType.table.readableName
        case .other(let type): "a \(type)"
        }
    }

    /// A short rendering for error messages; credential-looking strings are not shown.
    var shortDescription: String {
        switch self {
        case .string(let text):
            if Self.looksLikeCredential(text) { return "a \(text.count)-character string (not shown)" }
            return text.count > 40 ? "\"\(text.prefix(40))…\"" : "\"\(text)\""
        case .int(let value): return "\(value)"
        case .double(let value): return "\(value)"
        case .bool(let value): return "\(value)"
        default: return typeName
        }
    }

    /// A long run of letters and digits with no spaces or word separators, like an API key or token.
    static func looksLikeCredential(_ text: String) -> Bool {
        text.count >= 16
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=-".contains($0)) }
            && text.contains(where: \.isNumber) && text.contains(where: \.isLetter)
    }
}
