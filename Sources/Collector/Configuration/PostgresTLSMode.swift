/// Whether the connection to PostgreSQL is encrypted (`store.tls`). With TLS the server's certificate
/// is checked against the system's trusted roots and the host name of the URL.
package enum PostgresTLSMode: String, Sendable, Equatable, CaseIterable {
    /// Plain TCP (a server on the same machine, or a trusted network).
    case disable
    /// TLS when the server offers it, plain TCP when it does not (the default, as libpq's `sslmode=prefer`).
    case prefer
    /// TLS or no connection.
    case require
}
