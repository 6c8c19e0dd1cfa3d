import Foundation

/// A PostgreSQL connection URL, `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE]`,
/// read from the environment (`store.url_env`), never from the configuration file.
///
/// The password never leaves this value except to log in: `redacted` (the store's location in
/// every message) shows `***` in its place, and parse errors name the part that is wrong, never
/// the text. A socket directory can be given as `?host=/run/postgresql` (as libpq does).
package struct PostgresURL: Sendable, Hashable {
    package var user: String
    package var password: String?
    /// The host name or address; nil when connecting through `socketDirectory`.
    package var host: String?
    package var port: Int
    /// A directory holding the server's Unix socket (`?host=/dir`), instead of TCP.
    package var socketDirectory: String?
    package var database: String
    /// `sslmode` from the URL, which takes precedence over `store.tls`; nil when absent.
    package var tls: PostgresTLSMode?

    /// Why a URL cannot be used; never contains the URL.
    package struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        package var description: String
    }

    /// Query parameters understood in the URL.
    static let parameters: Set<String> = ["sslmode", "host"]

    package init(_ text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let scheme = trimmed.range(of: "://").map({ trimmed[..<$0.lowerBound].lowercased() }),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw ParseError(description: "expected a URL starting with postgres:// or postgresql://")
        }
        guard let components = URLComponents(string: trimmed) else {
            throw ParseError(description: "the URL is malformed (check that special characters in the password are %-encoded)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ParseError(description: "the URL names no user (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        self.user = user
        password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else {
            throw ParseError(description: "the URL names no database (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
        database = path
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw ParseError(description: "the URL's port is out of range") }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                let value = item.value ?? ""
                guard let mode = Self.sslModes[value] else {
                    throw ParseError(
                        description:
                            "the URL's sslmode '\(value)' is not one of \(Self.sslModes.keys.sorted().joined(separator: ", "))")
                }
                tls = mode
            case "host":
                guard let directory = item.value, directory.hasPrefix("/") else {
                    throw ParseError(description: "the URL's host parameter must be the directory of the server's socket")
                }
                socketDirectory = directory
            default:
                throw ParseError(
                    description: "the URL's parameter '\(item.name)' is not supported (only "
                        + Self.parameters.sorted().joined(separator: " and ") + ")")
            }
        }
        guard host != nil || socketDirectory != nil else {
            throw ParseError(description: "the URL names no host (postgres://USER:PASSWORD@HOST/DATABASE)")
        }
    }

    /// libpq's `sslmode` values, as this store applies them (certificates are always verified under TLS).
    static let sslModes: [String: PostgresTLSMode] = [
        "disable": .disable, "allow": .prefer, "prefer": .prefer, "require": .require, "verify-ca": .require,
        "verify-full": .require
    ]

    /// The Unix socket path for `socketDirectory`, as the server names it.
    var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// The URL as shown in messages: the password replaced by `***`.
    package var redacted: String {
        let login = password == nil ? user : "\(user):\(Redactor.mask)"
        let place = host.map { "\($0.contains(":") ? "[\($0)]" : $0):\(port)" } ?? "\(socketPath ?? "")"
        return "postgres://\(login)@\(place)/\(database)"
    }

    /// Masks the password wherever a message might repeat it.
    var redactor: Redactor { Redactor(secrets: password.map { [$0] } ?? []) }
}
