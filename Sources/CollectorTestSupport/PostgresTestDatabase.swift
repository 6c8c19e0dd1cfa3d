import Collector
import Foundation

/// The PostgreSQL server the tests may use: the URL in `TICKTOP_TEST_POSTGRES_URL` (`.ci/postgres
/// start` sets it, with a scratch database for the run). Without it, tests that need PostgreSQL
/// are skipped with `skipReason`; with it, they run, and fail if the server does not answer.
package enum PostgresTestDatabase {
    package static let variable = "TICKTOP_TEST_POSTGRES_URL"

    package static let skipReason =
        "PostgreSQL tests skipped: \(variable) is not set (eval \"$(.ci/postgres start)\" starts a throw-away server)"

    /// Whether the variable is set: the PostgreSQL tests run (and fail if the server does not answer).
    package static var isConfigured: Bool { !(ProcessInfo.processInfo.environment[variable] ?? "").isEmpty }

    /// The URL, or nil when the variable is unset or empty.
    package static var url: PostgresURL? {
        get throws {
            guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return nil }
            return try PostgresURL(text)
        }
    }

    /// A schema name no other store of this run uses: each store starts empty, and tests run in parallel.
    package static func freshSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}
