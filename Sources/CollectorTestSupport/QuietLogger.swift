import Logging

extension Logger {
    /// A logger that discards everything, so test output shows only test results.
    package static func quiet(_ label: String = "test") -> Logger {
        Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
