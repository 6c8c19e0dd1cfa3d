import NIOCore

/// Rows in the text format of PostgreSQL's `COPY ... FROM STDIN`: fields separated by tabs, rows
/// ended by newlines, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
/// Doubles are written so that the server reads them back bit for bit (see `number`).
///
/// Rows are sent in chunks (`takeChunk`), so the server parses one while the next is written.
struct PostgresCopyText {
    /// About how many bytes one `COPY` data message carries.
    static let chunkBytes = 32 * 1024

    private(set) var buffer = ByteBuffer()
    private var fieldsInRow = 0

    mutating func text(_ value: String?) {
        separate()
        guard let value else { return null() }
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == 9 || $0 == 10 || $0 == 13 }) {
            buffer.writeString(value)
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 9: buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    /// A value that is an exact short decimal `m / 10^k` (a price or size as providers send them)
    /// is written digit by digit; any other in Swift's shortest exact form (`description`).
    mutating func number(_ value: Double?) {
        separate()
        guard let value else { return null() }
        guard let (mantissa, scale) = Self.exactDecimal(value) else {
            buffer.writeString(value.description)
            return
        }
        if mantissa < 0 { buffer.writeStaticString("-") }
        let magnitude = mantissa.magnitude
        let unit = Self.powersOfTen[scale]
        writeDigits(magnitude / unit, minimumCount: 1)
        if scale > 0 {
            buffer.writeStaticString(".")
            writeDigits(magnitude % unit, minimumCount: scale)
        }
    }

    /// Powers of ten up to 10^15, each exact as a Double and as a UInt64.
    private static let powersOfTen: [UInt64] = (0...15).map { exponent in (0..<exponent).reduce(1) { power, _ in power * 10 } }

    /// The smallest `k` (at most 15) and the `m` with `|m| < 2^53` such that `Double(m) / 10^k == value`,
    /// if there is one. Both operands are exact Doubles, so the division is correctly rounded, and so
    /// is the server's parse of the decimal text `m·10^-k`: both give the Double nearest to the same
    /// number, so the text reads back as `value` exactly. Nil for -0.0, infinities and NaN.
    static func exactDecimal(_ value: Double) -> (mantissa: Int64, scale: Int)? {
        guard value.isFinite, !(value == 0 && value.sign == .minus) else { return nil }
        let limit = 9_007_199_254_740_992.0  // 2^53
        for scale in powersOfTen.indices {
            let unit = Double(powersOfTen[scale])
            let scaled = (value * unit).rounded()
            guard abs(scaled) < limit else { return nil }
            if scaled / unit == value { return (Int64(scaled), scale) }
        }
        return nil
    }

    /// Written digit by digit: `String(value)` allocates for the 19 digits of a nanosecond time.
    mutating func integer(_ value: Int64?) {
        separate()
        guard let value else { return null() }
        if value < 0 { buffer.writeStaticString("-") }
        writeDigits(value.magnitude, minimumCount: 1)
    }

    /// The decimal digits of `magnitude`, zero-padded on the left to `minimumCount` (at most 20).
    private mutating func writeDigits(_ magnitude: UInt64, minimumCount: Int) {
        var magnitude = magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: room for UInt64's 20 digits
        withUnsafeMutableBytes(of: &digits) { bytes in
            var index = bytes.count
            repeat {
                index -= 1
                bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0 || bytes.count - index < minimumCount
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[index...]))
        }
    }

    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeStaticString(value ? "t" : "f")
    }

    mutating func endRow() {
        buffer.writeStaticString("\n")
        fieldsInRow = 0
    }

    /// The rows written so far once they fill a chunk (`chunkBytes`), or with `all` whatever there
    /// is; nil when there is nothing to send yet. Starts the next chunk empty.
    mutating func takeChunk(all: Bool = false) -> ByteBuffer? {
        guard buffer.readableBytes >= (all ? 1 : Self.chunkBytes) else { return nil }
        defer { buffer = ByteBuffer() }
        return buffer
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeStaticString("\t") }
        fieldsInRow += 1
    }

    private mutating func null() { buffer.writeStaticString("\\N") }
}
