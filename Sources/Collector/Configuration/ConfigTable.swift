/// One TOML table being read: typed getters whose errors carry file, line and dotted key.
struct ConfigTable {
    /// The file name and locator shared by every table of one document.
    struct Context {
        var file: String
        var locator: TOMLKeyLocator

        func error(_ path: [String], element: Int? = nil, _ message: String) -> ConfigError {
            let line = element.map { locator.line(ofElement: $0, in: path) } ?? locator.line(of: path)
            return ConfigError(file: file, line: line, key: path.joined(separator: "."), message: message)
        }
    }

    let context: Context
    let path: [String]
    /// Entries in file order (TOMLKit hands them out sorted by name).
    let entries: [TOMLNode.Entry]

    init(context: Context, path: [String], entries: [TOMLNode.Entry]) {
        self.context = context
        self.path = path
        self.entries = entries.enumerated().sorted { lhs, rhs in
            let left = context.locator.exactLine(of: path + [lhs.element.key]) ?? Int.max
            let right = context.locator.exactLine(of: path + [rhs.element.key]) ?? Int.max
            return (left, lhs.offset) < (right, rhs.offset)
        }.map(\.element)
    }

    /// `[store]`, or `the top level` for the root.
    var displayName: String { path.isEmpty ? "the top level" : "[\(path.joined(separator: "."))]" }

    func error(_ key: String, element: Int? = nil, _ message: String) -> ConfigError {
        context.error(path + [key], element: element, message)
    }

    func value(_ key: String) -> TOMLNode? { entries.first { $0.key == key }?.value }

    /// Throws for the first key (in file order) not in `allowed`; credential-like names first.
    /// `explain` may give a better message for a key that is known elsewhere.
    func checkKeys(allowed: [String], explain: (String) -> String? = { _ in nil }) throws(ConfigError) {
        if let secret = entries.first(where: { KeySuggestion.isSecretLike($0.key) && !allowed.contains($0.key) }) {
            throw error(secret.key, Self.secretMessage)
        }
        for entry in entries where !allowed.contains(entry.key) {
            let message =
                explain(entry.key)
                ?? "unknown key '\(entry.key)' in \(displayName)\(KeySuggestion.hint(for: entry.key, among: allowed))"
            throw error(entry.key, message)
        }
    }

    static let secretMessage =
        "secrets do not belong in the configuration file; set key_env (and secret_env) to NAME the environment variable that holds the key, not the key itself"

    // MARK: Typed getters (nil when the key is absent)

    func table(_ key: String) throws(ConfigError) -> ConfigTable? {
        guard let node = value(key) else { return nil }
        guard case .table(let entries) = node else {
            throw error(key, "expected a table [\((path + [key]).joined(separator: "."))], got \(node.typeName)")
        }
        return ConfigTable(context: context, path: path + [key], entries: entries)
    }

    func string(_ key: String, sensitive: Bool = false) throws(ConfigError) -> String? {
        guard let node = value(key) else { return nil }
        guard case .string(let text) = node else {
            throw error(key, "expected a string, got \(sensitive ? node.typeName : node.shortDescription)")
        }
        return text
    }

    func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let node = value(key) else { return nil }
        guard case .bool(let flag) = node else { throw error(key, "expected true or false, got \(node.shortDescription)") }
        return flag
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let node = value(key) else { return nil }
        guard case .int(let number) = node, range.contains(number) else {
            let bounds =
                range.upperBound == Int.max
                ? "of at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw error(key, "expected a whole number \(bounds), got \(node.shortDescription)")
        }
        return number
    }

    /// A number, whole or with a fraction.
    func double(_ key: String) throws(ConfigError) -> Double? {
        guard let node = value(key) else { return nil }
        switch node {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw error(key, "expected a number, got \(node.shortDescription)")
        }
    }

    /// One of `T`'s raw values, e.g. `"sqlite"`.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, as type: T.Type) throws(ConfigError) -> T?
    where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        if let value = T(rawValue: text.lowercased()) { return value }
        let names = T.allCases.map(\.rawValue)
        throw error(
            key,
            "expected one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), got \(TOMLNode.string(text).shortDescription)")
    }

    /// A duration string or a bare integer of seconds; must be greater than zero.
    func duration(_ key: String) throws(ConfigError) -> Duration? {
        guard let node = value(key) else { return nil }
        let parsed: Duration? =
            switch node {
            case .string(let text): DurationParser.parse(text)
            case .int(let seconds): DurationParser.seconds(seconds)
            default: nil
            }
        guard let parsed else {
            switch node {
            case .string(let text) where DurationParser.exceedsMaximum(text): throw error(key, DurationParser.problem(with: text))
            case .int(let seconds) where seconds > 0:
                throw error(key, "\(seconds) seconds is longer than the longest duration accepted, \(DurationParser.maximumText)")
            default: throw error(key, "expected \(DurationParser.expectedForm), got \(node.shortDescription)")
            }
        }
        guard parsed > .zero else { throw error(key, "must be longer than zero, got \(node.shortDescription)") }
        return parsed
    }

    /// An array whose elements are all strings.
    func stringArray(_ key: String) throws(ConfigError) -> [String]? {
        guard let node = value(key) else { return nil }
        guard case .array(let elements) = node else {
            throw error(key, "expected an array of strings, got \(node.shortDescription)")
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw error(key, element: index, "element \(index + 1) must be a string, got \(element.shortDescription)")
            }
            result.append(text)
        }
        return result
    }
}
