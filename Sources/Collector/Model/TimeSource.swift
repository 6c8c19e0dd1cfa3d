import Foundation

/// Tells the current wall-clock time. Injected wherever a value is stamped or
/// aged, so tests can run on a manual clock instead of sleeping.
public protocol TimeSource: Sendable {
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Timestamp { Timestamp(Date()) }
}
