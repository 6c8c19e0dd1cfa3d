import Foundation
import ProviderTestSupport

/// Payload files under `Tests/CollectorTests/Fixtures/<provider>/`.
enum Fixture {
    static var root: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }

    /// The bytes of `Fixtures/<path>`, e.g. `alpaca/bars-page1.json`.
    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }

    /// `Fixtures/<path>` served as a JSON response.
    static func json(_ path: String, status: Int = 200, headers: [(String, String)] = []) -> StubResponse {
        guard let data = try? data(path) else { return .text("missing fixture \(path)", status: 599) }
        return StubResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(data))
    }
}
