import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Issue 13, "numbers exactly as sent": a quote of bid 211.41 and ask 211.43 (a book without
    /// a last trade, shown at its mid) came out of `--once --json` as `211.42000000000002`.
    @Suite("numbers exactly as sent, end to end")
    struct ExactNumbersEndToEndTests {
        @Test func aMidOfPricesAsSentIsWrittenAsAPersonWritesIt() async throws {
            let sandbox = try TicktopProcess()
            let now = ISO8601DateFormatter().string(from: Date())
            let quotes = sandbox.home.url.appendingPathComponent("quotes.csv")
            try Data("symbol,time,bid,bid_size,ask,ask_size,last\nMSFT,\(now),211.41,0.1,211.43,0.2,\n".utf8).write(to: quotes)
            let path = try sandbox.write(
                config: """
                    [sources.rec]
                    kind = "replay"
                    path = "\(quotes.path)"

                    [collect]
                    backfill_daily_days = 0
                    backfill_minute_days = 0
                    """)
            let output = try await sandbox.run(
                ["--once", "--json", "--config", path, "--symbols", "MSFT", "--db", sandbox.databasePath, "--deadline", "20"])
            #expect(output.status == 0, "stderr: \(output.stderr)")
            #expect(!output.stdout.contains("211.42000000000002"), "\(output.stdout)")
            let quote = try #require((try output.json()["quotes"] as? [[String: Any]])?.first)
            #expect(quote["last"] as? Double == 211.42)
            #expect(quote["bid"] as? Double == 211.41 && quote["ask"] as? Double == 211.43)
            #expect(quote["spread"] as? Double == 0.02)
            #expect((quote["sources"] as? [String: Double])?["REC"] == 211.42)
            #expect(output.stdout.contains(#""last" : 211.42,"#))
        }
    }
}
