import Logging
import MonitorUI

/// The `TICKTOP_*` environment variables, read like the configuration file: a value
/// ticktop does not know is named on stderr with the values it accepts, never silently dropped.
enum EnvironmentSettings {
    /// `TICKTOP_LOG_LEVEL`: `trace` to `critical`; anything else warns and logs at `info`.
    static func logLevel(_ environment: [String: String]) -> Logger.Level {
        guard let text = environment["TICKTOP_LOG_LEVEL"] else { return .info }
        if let level = Logger.Level(rawValue: text.lowercased()) { return level }
        let known = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        LaunchSetup.fail("warning: TICKTOP_LOG_LEVEL='\(text)' is not a log level (one of \(known)); logging at info")
        return .info
    }

    /// `TICKTOP_COLORS`: `none`, `0`, `8`, `16` or `256`; anything else warns and is ignored.
    static func warnAboutColours(_ environment: [String: String]) {
        guard let text = environment["TICKTOP_COLORS"], ColorDepth(setting: text) == nil else { return }
        LaunchSetup.fail(
            "warning: TICKTOP_COLORS='\(text)' is not one of none, 0, 8, 16, 256; ignored (the terminal's colours are used)")
    }
}
