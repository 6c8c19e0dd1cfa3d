import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("What a source with failing parts shows")
struct PartHealthRuleTests {
    static let since = Timestamp(nanoseconds: 0)
    static let crypto = PartHealth(
        name: "crypto", state: .circuitOpen, detail: "HTTP 404: endpoint not found", symbols: [F.symbol("BTC-USD")], since: since)
    static let options = PartHealth(
        name: "options", state: .degraded, detail: "timeout; retrying", symbols: [F.symbol("AAPL")], since: since)

    struct Case: Sendable, CustomTestStringConvertible {
        var reported: HealthState
        var detail: String?
        var parts: [PartHealth]
        var shown: HealthState
        var shownDetail: String?
        var testDescription: String { "\(reported.rawValue) with \(parts.map(\.name))" }
    }

    static let cases: [Case] = [
        Case(reported: .polling, detail: nil, parts: [], shown: .polling, shownDetail: nil),
        Case(reported: .down, detail: "refused", parts: [], shown: .down, shownDetail: "refused"),
        // Up as a whole, one part failing: degraded, the part named.
        Case(
            reported: .polling, detail: nil, parts: [crypto], shown: .degraded,
            shownDetail: "crypto circuit-open: HTTP 404: endpoint not found"),
        Case(
            reported: .streaming, detail: "streaming from wss://x", parts: [crypto], shown: .degraded,
            shownDetail: "crypto circuit-open: HTTP 404: endpoint not found; streaming from wss://x"),
        Case(
            reported: .starting, detail: nil, parts: [crypto], shown: .degraded,
            shownDetail: "crypto circuit-open: HTTP 404: endpoint not found"),
        // Parts in name order.
        Case(
            reported: .degraded, detail: nil, parts: [options, crypto], shown: .degraded,
            shownDetail: "crypto circuit-open: HTTP 404: endpoint not found; options degraded: timeout; retrying"),
        // Worse as a whole: that state; its own reason first, the parts' when it gave none.
        Case(
            reported: .rateLimited, detail: "budget used up", parts: [crypto], shown: .rateLimited, shownDetail: "budget used up"),
        Case(
            reported: .circuitOpen, detail: nil, parts: [crypto], shown: .circuitOpen,
            shownDetail: "crypto circuit-open: HTTP 404: endpoint not found")
    ]

    @Test(arguments: cases) func shown(_ c: Case) {
        let shown = PartHealthRule.shown(reported: c.reported, detail: c.detail, parts: c.parts)
        #expect(shown.state == c.shown)
        #expect(shown.detail == c.shownDetail)
    }

    @Test func theWorstPartSpeaksWhenEveryPartFails() {
        #expect(PartHealthRule.worst([]) == nil)
        #expect(PartHealthRule.worst([Self.options, Self.crypto]) == .circuitOpen)
        #expect(PartHealthRule.worst([Self.options]) == .degraded)
    }

    @Test func onlyAnUnavailablePartTakesItsSymbolsOut() {
        #expect(PartHealthRule.unavailablePart(for: F.symbol("BTC-USD"), in: [Self.crypto, Self.options])?.name == "crypto")
        #expect(
            PartHealthRule.unavailablePart(for: F.symbol("AAPL"), in: [Self.crypto, Self.options]) == nil,
            "a part that is merely degraded still serves")
        #expect(PartHealthRule.unavailablePart(for: F.symbol("MSFT"), in: [Self.crypto]) == nil)
    }
}
