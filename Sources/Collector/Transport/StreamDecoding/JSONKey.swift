/// Object keys packed into a `UInt64` so a decoder can `switch` over the keys it reads:
/// the first seven UTF-8 bytes little-endian, the length (capped at 255) in the top byte.
/// Keys longer than seven bytes share a packed form with others of the same length and
/// prefix, so a match on one of those is confirmed with `equals`.
enum JSONKey {
    static func pack(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var packed = UInt64(min(bytes.count, 255)) << 56
        for index in 0..<min(bytes.count, 7) {
            packed |= UInt64(bytes[index]) << (8 * UInt64(index))
        }
        return packed
    }

    static func pack(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { pack(UnsafeRawBufferPointer($0)) }
    }

    static func equals(_ bytes: UnsafeRawBufferPointer, _ key: StaticString) -> Bool {
        bytes.count == key.utf8CodeUnitCount
            && bytes.elementsEqual(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// Stores `value` in `slot` unless the key came earlier in the object: the first
    /// occurrence of a duplicated key wins, as with `JSONDecoder`.
    @inline(__always)
    static func keepFirst(_ slot: inout JSONValue?, _ value: JSONValue) {
        if slot == nil { slot = value }
    }
}
