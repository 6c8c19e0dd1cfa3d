/// Where `ticktop collect` serves `/metrics` and `/healthz`: `host:port` (`127.0.0.1:9464`,
/// `[::1]:9464`, `0.0.0.0:9464`); port 0 takes a free port (the log names it).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:9464`: loopback only.
    package static let defaultAddress = ListenAddress(host: "127.0.0.1", port: 9464)

    /// Reads `host:port` (an IPv6 host in brackets); throws a message saying what is wrong.
    public init(parsing text: String) throws(ParseError) {
        let trimmed = text
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]"), trimmed[trimmed.index(after: close)...].hasPrefix(":") else {
                throw ParseError(text: text, problem: "an IPv6 host is written [host]:port")
            }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            portPart = trimmed[trimmed.index(close, offsetBy: 2)...]
        } else {
            guard let colon = trimmed.lastIndex(of: ":"), !trimmed[..<colon].contains(":") else {
                throw ParseError(text: text, problem: "expected host:port, e.g. 127.0.0.1:9464")
            }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
        }
        guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isLetter || $0.isNumber || ".-:_".contains($0) }) else {
            throw ParseError(text: text, problem: "the host is missing or not a name or address")
        }
        guard let port = Int(portPart), (0...65_535).contains(port) else {
            throw ParseError(text: text, problem: "the port must be a number from 0 to 65535")
        }
        self.init(host: String(hostPart), port: port)
    }

    /// `127.0.0.1:9464`, `[::1]:9464`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        let text: String
        let problem: String
        public var description: String { "'\(text)' is not a listen address: \(problem)" }
    }
}
