import NIOCore

/// Rows in the text format of PostgreSQL's `COPY ... FROM STDIN`: fields separated by tabs, rows
/// ended by newlines, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
/// Doubles are written in Swift's shortest exact form, which the server reads back bit for bit.
struct PostgresCopyText {
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

    mutating func number(_ value: Double?) {
        separate()
        guard let value else { return null() }
        buffer.writeString(value.description)
    }

    /// Written digit by digit: `String(value)` allocates for the 19 digits of a nanosecond time.
    mutating func integer(_ value: Int64?) {
        separate()
        guard let value else { return null() }
        if value < 0 { buffer.writeStaticString("-") }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: room for UInt64's 20 digits
        withUnsafeMutableBytes(of: &digits) { bytes in
            var index = bytes.count
            repeat {
                index -= 1
                bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
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

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeStaticString("\t") }
        fieldsInRow += 1
    }

    private mutating func null() { buffer.writeStaticString("\\N") }
}
