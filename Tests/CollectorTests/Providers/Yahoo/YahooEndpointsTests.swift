import CollectorTestSupport
import Foundation
import Testing

@testable import Collector

@Suite("Yahoo endpoints, tickers and cookies")
struct YahooEndpointsTests {
    @Test func theRealHostsAreUsedForTheDefaultBaseURL() {
        let endpoints = YahooEndpoints(baseURL: SourceKind.yahoo.defaultBaseURL!)
        #expect(endpoints.cookieURL == "https://fc.yahoo.com")
        #expect(endpoints.crumbURL == "https://query1.finance.yahoo.com/v1/test/getcrumb")
        let query2 = YahooEndpoints(baseURL: "https://query2.finance.yahoo.com/")
        #expect(query2.cookieURL == "https://fc.yahoo.com")
        #expect(query2.crumbURL == "https://query2.finance.yahoo.com/v1/test/getcrumb")
    }

    @Test func anyOtherBaseURLServesTheWholeSession() {
        let local = YahooEndpoints(baseURL: "http://127.0.0.1:8080/")
        #expect(local.cookieURL == "http://127.0.0.1:8080/")
        #expect(local.crumbURL == "http://127.0.0.1:8080/v1/test/getcrumb")
        let proxy = YahooEndpoints(baseURL: "https://yahoo.com.example.net/yf")
        #expect(proxy.cookieURL == "https://yahoo.com.example.net/yf/")
        #expect(proxy.crumbURL == "https://yahoo.com.example.net/yf/v1/test/getcrumb")
    }

    @Test func theSourceDerivesItsEndpointsFromTheClientOrTakesThemGiven() {
        let clock = ManualClock()
        let configuration = SourceConfiguration.defaults(id: "yahoo", kind: .yahoo)
        let client = ProviderClient(
            id: "yahoo", baseURL: configuration.baseURL!, transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: RateLimit(requests: 1, per: .seconds(1)), clock: clock, timeSource: clock),
            timeSource: clock, logger: .quiet())
        let source = YahooSource(configuration: configuration, client: client)
        #expect(source.endpoints.cookieURL == "https://fc.yahoo.com")
        #expect(source.capabilities == [.historyBars, .latestQuotes])
        #expect(source.rateLimiter === client.limiter)
        #expect(source.quoteSymbolsPerRequest == 50)
        let custom = YahooEndpoints(
            cookieURL: "https://finance.yahoo.com", crumbURL: "https://query2.finance.yahoo.com/v1/test/getcrumb")
        #expect(YahooSource(configuration: configuration, client: client, endpoints: custom).endpoints == custom)
    }

    @Test(arguments: [
        ("AAPL", "AAPL"), ("BRK.B", "BRK-B"), ("BF.B", "BF-B"), ("VOD.L", "VOD.L"), ("SHOP.TO", "SHOP.TO"),
        ("^GSPC", "^GSPC"), ("EURUSD=X", "EURUSD=X"), ("BTC-USD", "BTC-USD"), ("BTC/USD", "BTC-USD")
    ])
    func tickersAreSpelledTheYahooWay(symbol: String, ticker: String) throws {
        #expect(YahooTicker.ticker(for: try Symbol(symbol)) == ticker)
    }

    @Test func pathSegmentsArePercentEncoded() throws {
        #expect(YahooTicker.pathSegment(for: try Symbol("^GSPC")) == "%5EGSPC")
        #expect(YahooTicker.pathSegment(for: try Symbol("EURUSD=X")) == "EURUSD=X")
    }

    @Test func setCookieLinesBecomeOneCookieHeader() {
        let header = YahooSession.cookieHeader(from: [
            "A3=d=AQABBAI37; Expires=Sat, 01 Mar 2027 00:00:00 GMT; Domain=.yahoo.com; Path=/; Secure; HttpOnly",
            "A1=d=AQABBAI37; Domain=.yahoo.com",
            "junk",
            "A3=d=NEWER; Path=/"
        ])
        #expect(header == "A1=d=AQABBAI37; A3=d=NEWER")
        #expect(YahooSession.cookieHeader(from: []) == nil)
        #expect(YahooSession.cookieHeader(from: ["=x", "B="]) == nil)
    }

    @Test func intervalWindowsCoverTheRange() throws {
        let range =
            try #require(Timestamp(rfc3339: "2024-03-04T14:30:00Z"))...(try #require(Timestamp(rfc3339: "2024-03-04T15:30:00Z")))
        let hour = YahooInterval(.oneHour).windows(covering: range)
        #expect(hour.count == 1)
        #expect(hour[0].period1 == 1_709_562_600 && hour[0].period2 == 1_709_566_200 + 3_600)
        let fractional = Timestamp(nanoseconds: 1_709_562_600_500_000_000)...Timestamp(nanoseconds: 1_709_562_700_500_000_000)
        let minute = YahooInterval(.oneMinute).windows(covering: fractional)
        #expect(minute[0].period1 == 1_709_562_600 && minute[0].period2 == 1_709_562_761)
    }
}
