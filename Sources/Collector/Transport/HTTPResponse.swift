import Foundation

/// A complete response: status, headers and the whole body.
public struct HTTPResponse: Sendable, Hashable {
    package var status: Int
    package var headers: [HTTPHeader]
    package var body: [UInt8]

    package init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, matched without regard to case.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of a header (e.g. each `Set-Cookie`).
    package func headers(named name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    package var isSuccess: Bool { (200..<300).contains(status) }

    /// True when the body is an HTML page (an outage, login or challenge page) rather than data.
    package var isHTML: Bool {
        if header("Content-Type")?.lowercased().contains("text/html") == true { return true }
        let start = body.prefix(64).drop {
            $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF
        }
        let text = String(decoding: start.prefix(15), as: UTF8.self).lowercased()
        return text.hasPrefix("<!doctype html") || text.hasPrefix("<html")
    }
}
