public import TOMLKit

extension TOMLType {
    /// The type as prose, for "expected X, got Y" messages: `a string`, `an integer`.
    public var readableName: String {
        switch self {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a floating-point number"
        case .bool: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }
}
