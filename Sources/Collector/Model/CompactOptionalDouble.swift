/// A `Double?` in 8 bytes instead of 16 (9 and padding): absence is one reserved NaN bit
/// pattern (`absentPattern`), so values holding several optional prices (`Quote`) are
/// smaller to copy on the hot path. A stored NaN of any other pattern, or the reserved pattern
/// itself coming from a provider, is kept as the canonical quiet NaN (`Double.nan`): its payload
/// is lost, its NaN-ness is not. Equality and hashing are `Double?`'s. As a property wrapper,
/// `@CompactOptionalDouble var bid: Double?` reads and writes as the `Double?` it stores.
@propertyWrapper
public struct CompactOptionalDouble: Sendable, Hashable {
    /// A quiet NaN with a payload nothing computes: arithmetic makes the default NaN, and
    /// `init` never stores this pattern for a present value.
    package static let absentPattern: UInt64 = 0x7FFA_B5E7_0000_ABE7

    private var bits: UInt64

    @inline(__always)
    package init(_ value: Double?) {
        if let value {
            bits = value.isNaN ? Double.nan.bitPattern : value.bitPattern
        } else {
            bits = Self.absentPattern
        }
    }

    @inline(__always)
    public init(wrappedValue: Double?) { self.init(wrappedValue) }

    /// The value as a `Double?`.
    @inline(__always)
    public var wrappedValue: Double? {
        get { bits == Self.absentPattern ? nil : Double(bitPattern: bits) }
        set { self = CompactOptionalDouble(newValue) }
    }

    /// Whether a value is present, without reading it.
    @inline(__always)
    package var isPresent: Bool { bits != Self.absentPattern }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.wrappedValue == rhs.wrappedValue }

    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}
