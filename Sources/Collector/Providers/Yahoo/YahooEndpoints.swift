import Foundation

/// Where the session requests go (the chart and quote requests use the client's base URL).
///
/// In reality the session cookie comes from another host (`https://fc.yahoo.com`) than the
/// chart, crumb and quote endpoints (`https://query1.finance.yahoo.com`). When the configured
/// base URL is a Yahoo host (`*.yahoo.com`), the real cookie host is used; for any other base
/// URL (a proxy, a mirror, a loopback test server) every request goes under that base URL,
/// the cookie step being its root (`{baseURL}/`), so one server can answer the whole dance.
package struct YahooEndpoints: Sendable, Hashable {
    /// The page fetched first (any status) for its `Set-Cookie` session cookies.
    package var cookieURL: String
    /// The absolute URL whose `text/plain` body is the crumb.
    package var crumbURL: String

    package static let chartPath = "/v8/finance/chart/"
    package static let quotePath = "/v7/finance/quote"
    package static let crumbPath = "/v1/test/getcrumb"
    /// The real cookie host (`https://finance.yahoo.com` also works, with a heavier page).
    package static let yahooCookieURL = "https://fc.yahoo.com"

    package init(cookieURL: String, crumbURL: String) {
        self.cookieURL = cookieURL
        self.crumbURL = crumbURL
    }

    /// The endpoints derived from one base URL, as described above.
    package init(baseURL: String) {
        let base = Self.trimmed(baseURL)
        let cookie = Self.isYahooHost(base) ? Self.yahooCookieURL : base + "/"
        self.init(cookieURL: cookie, crumbURL: base + Self.crumbPath)
    }

    /// Whether `url`'s host is `yahoo.com` or one of its subdomains.
    static func isYahooHost(_ url: String) -> Bool {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }.lowercased()
        return host == "yahoo.com" || host.hasSuffix(".yahoo.com")
    }

    private static func trimmed(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
