import Foundation

/// Counter-based random numbers for the simulated market.
///
/// Every draw is a pure function of (key, stream, counter): no hidden state, so
/// the same seed gives the same numbers in every run and every process. The key
/// mixes the seed with an FNV-1a hash of the symbol (never `Hasher`, which is
/// seeded per process); draws are SplitMix64 finalisations of the counter.
struct SimulatedRandom: Sendable, Hashable {
    /// Independent families of draws, so two uses of the same counter never correlate.
    enum Stream: UInt64 {
        case dailyStep = 1
        case dailyStepBefore, dailyVolume, minuteStep, minuteShape
        case tickNoise, tickTrade, tickSize, tradeSize, tickJitter, instrument
    }

    let key: UInt64

    init(seed: UInt64, name: String) {
        key = Self.mix(seed ^ Self.mix(Self.fnv1a(name)))
    }

    /// FNV-1a over the UTF-8 bytes: stable across runs, platforms and processes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The SplitMix64 output function (a bijection on 64 bits).
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// 64 random bits for `counter` in `stream`.
    @inline(__always)
    func bits(_ stream: Stream, _ counter: Int64) -> UInt64 {
        Self.mix(Self.mix(key &+ stream.rawValue &* 0xd6e8_feb8_6659_fd93) ^ UInt64(bitPattern: counter))
    }

    /// A uniform number in the open interval (0, 1).
    @inline(__always)
    func uniform(_ stream: Stream, _ counter: Int64) -> Double {
        (Double(bits(stream, counter) >> 11) + 0.5) * 0x1p-53
    }

    /// Two uniforms in (0, 1) from one draw (32 bits each).
    @inline(__always)
    func uniformPair(_ stream: Stream, _ counter: Int64) -> (Double, Double) {
        let value = bits(stream, counter)
        return ((Double(value >> 32) + 0.5) * 0x1p-32, (Double(value & 0xffff_ffff) + 0.5) * 0x1p-32)
    }

    /// Two independent standard normals (Box-Muller) from one draw.
    @inline(__always)
    func normalPair(_ stream: Stream, _ counter: Int64) -> (Double, Double) {
        let (u1, u2) = uniformPair(stream, counter)
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }

    /// One standard normal.
    @inline(__always)
    func normal(_ stream: Stream, _ counter: Int64) -> Double {
        normalPair(stream, counter).0
    }
}
