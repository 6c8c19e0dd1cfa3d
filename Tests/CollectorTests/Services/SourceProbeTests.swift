import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = AlphaVantageHarness

/// `ticktop sources --check`: what the configured use needs, one cheap request per use.
@Suite("Source probe")
struct SourceProbeTests {
    @Test func historyIsProbedTooWhenTheConfigurationUsesIt() async throws {
        let h = try await H.start { request in
            request.query("function") == "GLOBAL_QUOTE"
                ? Fixture.json("alphavantage/global-quote.json") : Fixture.json("alphavantage/daily-compact.json")
        }
        let probe = SourceProbe(timeSource: h.clock)
        let both = await probe.check(h.source, symbol: H.symbol("IBM"), history: true)
        let quotesOnly = await probe.check(h.source, symbol: H.symbol("IBM"), history: false)
        await h.stop()
        #expect(both.succeeded, "\(both.detail)")
        #expect(both.detail.hasPrefix("quote: IBM "))
        #expect(both.detail.contains("; history: IBM closed 191.95 on 2024-03-05"))
        #expect(quotesOnly.succeeded && !quotesOnly.detail.contains("history"))
        #expect(
            h.requests.map { [$0.query("function"), $0.query("outputsize")] }
                == [["GLOBAL_QUOTE", nil], ["TIME_SERIES_DAILY", "compact"], ["GLOBAL_QUOTE", nil]],
            "one request per use, history the cheapest (compact)")
    }

    @Test func aRefusedHistoryFailsTheCheckAndSaysWhy() async throws {
        let h = try await H.start { request in
            request.query("function") == "GLOBAL_QUOTE"
                ? Fixture.json("alphavantage/global-quote.json") : Fixture.json("alphavantage/information-premium-full.json")
        }
        let outcome = await SourceProbe(timeSource: h.clock).check(h.source, symbol: H.symbol("IBM"), history: true)
        await h.stop()
        #expect(!outcome.succeeded)
        #expect(outcome.state == .down)
        #expect(outcome.detail.contains("history: ") && outcome.detail.contains("premium"))
    }
}
