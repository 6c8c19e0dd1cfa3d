import Collector
import Testing

/// The connection URL from `store.url_env`: what it may hold, and that no message repeats its password.
@Suite("PostgreSQL URL")
struct PostgresURLTests {
    @Test func aFullURLIsReadAndShownWithoutItsPassword() throws {
        let url = try PostgresURL("postgresql://desk:s3cr%40t-pw@db.example.com:6543/ticks?sslmode=require")
        #expect(url.user == "desk")
        #expect(url.host == "db.example.com" && url.port == 6543 && url.database == "ticks")
        #expect(url.tls == .require)
        #expect(url.redacted == "postgres://desk:***@db.example.com:6543/ticks")
    }

    @Test func thePortDefaultsAndASocketDirectoryReplacesTheHost() throws {
        let tcp = try PostgresURL("postgres://desk@localhost/ticks")
        #expect(tcp.port == 5432 && tcp.tls == nil)
        #expect(tcp.redacted == "postgres://desk@localhost:5432/ticks")
        let socket = try PostgresURL("postgres://desk@/ticks?host=/run/postgresql")
        #expect(socket.host == nil && socket.socketDirectory == "/run/postgresql")
        #expect(socket.redacted == "postgres://desk@/run/postgresql/.s.PGSQL.5432/ticks")
    }

    static let refused: [(String, String)] = [
        ("mysql://desk:hunter22@h/db", "postgres://"),
        ("postgres://h/db", "names no user"),
        ("postgres://desk:hunter22@h", "names no database"),
        ("postgres://desk:hunter22@h/db?application_name=x", "parameter 'application_name' is not supported"),
        ("postgres://desk:hunter22@h/db?sslmode=maybe", "sslmode 'maybe'"),
        ("postgres://desk:hunter22@/db", "names no host")
    ]

    @Test(arguments: refused)
    func aBadURLIsRefusedNamingThePartAndNeverThePassword(text: String, expected: String) {
        #expect {
            try PostgresURL(text)
        } throws: { error in
            let message = String(describing: error)
            return message.contains(expected) && !message.contains("hunter22")
        }
    }
}
