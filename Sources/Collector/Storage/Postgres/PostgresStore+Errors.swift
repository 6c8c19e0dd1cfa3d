import PostgresNIO

extension PostgresStore {
    /// A failure of `operation` as a `StoreError` naming the store by its redacted URL, with the
    /// server's message and SQLSTATE when it sent one. Every text passes the URL's redactor.
    func storeError(_ operation: StoreError.Operation, _ error: any Error) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let transaction = error as? PostgresTransactionError,
            let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError
        {
            return storeError(operation, inner)
        }
        let redactor = url.redactor
        func make(_ kind: StoreError.Kind, _ detail: String) -> StoreError {
            StoreError(operation: operation, location: location, kind: kind, detail: redactor.scrub(detail))
        }
        switch error {
        case let error as NewerSchema:
            return make(
                .newerSchema(unknownMigrations: error.unknown),
                "it was written by a newer ticktop (schema migrations \(error.unknown.joined(separator: ", ")) are unknown "
                    + "to this build); upgrade ticktop or choose another database")
        case let error as PSQLError:
            if let info = error.serverInfo, let message = info[.message] {
                let state = info[.sqlState] ?? "?"
                var detail = "\(message) (PostgreSQL error \(state))"
                if let hint = info[.hint] { detail += "; \(hint)" }
                return make(.server(sqlState: state), detail)
            }
            switch error.code {
            case .connectionError:
                let cause = error.underlying.map { " (\(String(describing: $0)))" } ?? ""
                return make(.unreachable, "cannot connect to the server\(cause)")
            case .serverClosedConnection, .uncleanShutdown:
                return make(.unreachable, "the server closed the connection")
            case .clientClosedConnection, .poolClosed:
                return make(.other, "the store is closed")
            case .sslUnsupported:
                return make(.other, "the server does not offer TLS (store.tls = \"require\"); use \"prefer\" or \"disable\"")
            case .authMechanismRequiresPassword:
                return make(.other, "the server asks for a password and the URL has none")
            default:
                return make(.other, "\(error.code)" + (error.underlying.map { " (\(String(describing: $0)))" } ?? ""))
            }
        case is ConnectionCloseWatch.Closed:
            return make(.unreachable, "the connection closed during the operation")
        case is CancellationError:
            return make(.other, "the task was cancelled")
        default:
            return make(.other, String(describing: error))
        }
    }
}
