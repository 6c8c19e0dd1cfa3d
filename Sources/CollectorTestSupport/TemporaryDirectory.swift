import Foundation

/// A unique directory under the system's temporary directory, removed by
/// `remove()` or when the last reference goes away.
package final class TemporaryDirectory: Sendable {
    /// The directory; it exists once `init` returns.
    package let url: URL

    /// Creates `<tmp>/<prefix>-<UUID>`.
    package init(prefix: String = "ticktop") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory (not created).
    package func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    /// Removes the directory and everything in it; does nothing if it is gone.
    package func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    deinit { remove() }
}
