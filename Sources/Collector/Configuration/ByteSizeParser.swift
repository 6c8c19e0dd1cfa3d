/// Reads and writes sizes in the configuration file (`store.max_size`).
///
/// Accepted: a whole number followed by `B`, `KB`, `MB`, `GB` or `TB` (case-insensitive, a
/// blank allowed before the unit; `KiB`, `MiB`, `GiB`, `TiB` mean the same), or a bare whole
/// number of bytes. Units are binary: 1 KB = 1024 bytes, 1 MB = 1024 KB.
package enum ByteSizeParser {
    /// What the parser accepts, for error messages.
    package static let expectedForm = "a size like \"500MB\", \"2GB\" or \"64KB\" (1 KB = 1024 bytes)"

    /// Unit suffixes (lower-cased) and their size in bytes, longest first so `kib` wins over `b`.
    private static let units: [(suffix: String, bytes: Int64)] = [
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("tib", 1 << 40),
        ("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30), ("tb", 1 << 40), ("b", 1)
    ]

    /// The size `text` spells in bytes, or nil when it is not in the accepted form or overflows.
    package static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingBlanks().lowercased()
        let unit = units.first { trimmed.hasSuffix($0.suffix) } ?? (suffix: "", bytes: 1)
        let digits = String(trimmed.dropLast(unit.suffix.count)).trimmingBlanks()
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let count = Int64(digits)
        else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: unit.bytes)
        return overflow ? nil : bytes
    }

    /// The shortest exact form in the largest whole unit: 65,536 bytes is `"64KB"`.
    package static func format(_ bytes: Int64) -> String {
        let named = units.filter { $0.suffix.count == 2 || $0.suffix == "b" }.sorted { $0.bytes > $1.bytes }
        let unit = named.first { bytes != 0 && bytes % $0.bytes == 0 } ?? (suffix: "b", bytes: 1)
        return "\(bytes / unit.bytes)\(unit.suffix.uppercased())"
    }
}
