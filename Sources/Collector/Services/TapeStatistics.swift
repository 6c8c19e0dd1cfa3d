/// How the tape (`[store] ticks = true`) stands: what it wrote, what waits, what it lost and why.
public struct TapeStatistics: Sendable, Hashable {
    /// Trades and quotes written to the tape.
    public var ticksWritten = 0
    /// Ticks waiting for the tape's writer now.
    public var ticksWaiting = 0
    /// Ticks not recorded: the tape's queue was full (`TapeRecorder.capacity`) or their write failed.
    public var ticksLost = 0
    /// Of those, the ones the full queue turned away.
    package var ticksTurnedAway = 0
    /// The last write error, if a write failed.
    public var lastError: String?

    public init() {}
}
