import Foundation
import ProviderTestSupport
import Testing

extension EndToEnd {
    /// `ticktop --once` against loopback servers that answer in the providers'
    /// formats: each symbol shows the provider it came from, and with every
    /// provider failing the report still prints each source's state and reason.
    @Suite("ticktop with HTTP providers end to end")
    struct ProviderEndToEndTests {
        static let keyID = "PKFAKEE2E0000000001"
        static let secret = "fakeE2Esecret0000000000000000000000000001"
        static let environment = ["APCA_API_KEY_ID": keyID, "APCA_API_SECRET_KEY": secret]

        static func config(alpaca: String) -> String {
            """
            [sources.alpaca]
            kind = "alpaca"
            base_url = "\(alpaca)"
            poll_interval = "1s"
            stream = false  # the stream would dial the real Alpaca: tests stay on the loopback server
            """
        }

        /// The stubs here serve no history: judged, it would rightly make `--once` exit 5
        /// (history incomplete), which is not what these tests are about.
        static let noStartupHistory = """

            [collect]
            backfill_daily_days = 0
            backfill_minute_days = 0
            """

        /// An Alpaca snapshot answer stamped now, for every requested symbol.
        static func snapshots(for symbols: [String]) -> StubResponse {
            let now = ISO8601DateFormatter().string(from: Date())
            let entries = symbols.enumerated().map { index, symbol in
                let bid = 100.0 + Double(index)
                return """
                    "\(symbol)": {"latestTrade": {"t": "\(now)", "p": \(bid + 0.01), "s": 100},
                      "latestQuote": {"t": "\(now)", "bp": \(bid), "bs": 3, "ap": \(bid + 0.02), "as": 2},
                      "dailyBar": {"t": "\(now)", "o": \(bid), "h": \(bid + 1), "l": \(bid - 1), "c": \(bid), "v": 1000},
                      "prevDailyBar": {"t": "\(now)", "o": \(bid), "h": \(bid + 1), "l": \(bid - 1), "c": \(bid - 0.5), "v": 900}}
                    """
            }
            return .json("{\(entries.joined(separator: ","))}")
        }

        /// Runs the binary with the loopback servers' environment.
        static func run(_ sandbox: TicktopProcess, _ arguments: [String]) async throws -> TicktopProcess.Output {
            try await sandbox.run(arguments, environment: environment)
        }

        /// A loopback Alpaca answering snapshots for the symbols asked and no bars.
        static func alpacaWithoutHistory() async throws -> LoopbackHTTPServer {
            try await LoopbackHTTPServer.start { request in
                switch request.path {
                case "/v2/stocks/snapshots":
                    return Self.snapshots(for: (request.query("symbols") ?? "").split(separator: ",").map(String.init))
                case let path where path.hasSuffix("/bars"):
                    return .json(#"{"bars": [], "symbol": "AAPL", "next_page_token": null}"#)
                default:
                    return .json(#"{"message": "not found"}"#, status: 404)
                }
            }
        }

        @Test func eachSymbolShowsTheProviderItCameFrom() async throws {
            let server = try await Self.alpacaWithoutHistory()
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config(alpaca: server.baseURL) + Self.noStartupHistory)
            let output = try await Self.run(
                sandbox,
                ["--once", "--json", "--config", path, "--symbols", "AAPL,MSFT", "--db", sandbox.databasePath, "--deadline", "20"]
            )
            await server.stop()
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let report = try output.json()
            let quotes = try #require(report["quotes"] as? [[String: Any]])
            #expect(quotes.map { $0["symbol"] as? String } == ["AAPL", "MSFT"])
            #expect(quotes.map { $0["source"] as? String } == ["ALPACA", "ALPACA"])
            #expect(quotes.first?["bid"] as? Double == 100)
            #expect(quotes.last?["ask"] as? Double == 101.02)
            let sources = try #require(report["sources"] as? [[String: Any]])
            #expect(sources.first?["state"] as? String == "polling")
            let requests = server.requests.filter { $0.path == "/v2/stocks/snapshots" }
            #expect(requests.first?.query("symbols") == "AAPL,MSFT", "one request for the whole watchlist")
            #expect(requests.first?.header("APCA-API-KEY-ID") == Self.keyID)
            #expect(!output.stdout.contains(Self.secret) && !output.stderr.contains(Self.secret))
        }

        @Test func withEveryProviderFailingTheReportStillSaysWhy() async throws {
            let server = try await LoopbackHTTPServer.start { request in
                request.path.hasSuffix("/bars")
                    ? .json(#"{"message": "forbidden"}"#, status: 403)
                    : .json(#"{"code": 40110000, "message": "request is not authorized"}"#, status: 401)
            }
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config(alpaca: server.baseURL))
            let output = try await Self.run(
                sandbox, ["--once", "--config", path, "--symbols", "AAPL", "--db", sandbox.databasePath, "--deadline", "5"])
            await server.stop()
            #expect(output.status == 2, "no value for AAPL; stderr: \(output.stderr)")
            let alpaca = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("ALPACA") })
            #expect(alpaca.contains(" down ") || alpaca.contains(" circuit-open "), "a refused key keeps the source out")
            #expect(alpaca.contains("HTTP 401"))
            #expect(alpaca.contains("request is not authorized"))
            #expect(output.stdout.contains("AAPL"))
            #expect(!output.stdout.contains(Self.keyID) && !output.stderr.contains(Self.keyID))
            #expect(!output.stdout.contains(Self.secret) && !output.stderr.contains(Self.secret))
        }

        @Test func backfillPagesThroughAProviderIntoTheStore() async throws {
            let server = try await LoopbackHTTPServer.start { request in
                guard request.path == "/v2/stocks/AAPL/bars" else { return .json(#"{"message": "not found"}"#, status: 404) }
                if request.query("page_token") == "page-2" {
                    return .json(
                        #"""
                        {"bars": [{"t": "2024-03-05T05:00:00Z", "o": 170.76, "h": 172.04, "l": 169.62, "c": 170.12, "v": 95132355}],
                         "symbol": "AAPL", "next_page_token": null}
                        """#)
                }
                return .json(
                    #"""
                    {"bars": [{"t": "2024-03-01T05:00:00Z", "o": 179.55, "h": 180.53, "l": 177.38, "c": 179.66, "v": 73488997},
                              {"t": "2024-03-04T05:00:00Z", "o": 176.15, "h": 176.9, "l": 173.79, "c": 175.1, "v": 81510101}],
                     "symbol": "AAPL", "next_page_token": "page-2"}
                    """#)
            }
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config(alpaca: server.baseURL))
            let arguments = [
                "backfill", "AAPL", "--from", "2024-03-01", "--to", "2024-03-05", "--config", path, "--db", sandbox.databasePath
            ]
            let first = try await Self.run(sandbox, arguments)
            let pages = server.requests.filter { $0.path == "/v2/stocks/AAPL/bars" }
            let second = try await Self.run(sandbox, arguments)
            await server.stop()
            #expect(first.status == 0, "stderr: \(first.stderr)")
            #expect(first.stdout.contains("from ALPACA"))
            #expect(first.stdout.contains("AAPL: fetched 3, stored 3, quarantined 0, still missing 0 of 1 windows"))
            #expect(pages.count == 2, "both pages fetched")
            #expect(pages.last?.query("page_token") == "page-2")
            #expect(pages.first?.query("timeframe") == "1Day")
            // 2024-03-01 to 03-05 holds three trading days, all stored: the re-run asks for nothing.
            #expect(second.stdout.contains("AAPL: fetched 0, stored 0 (1 of 1 windows already complete, not fetched)"))
            #expect(server.requests.filter { $0.path == "/v2/stocks/AAPL/bars" }.count == pages.count)
        }

        @Test func aQuoteFromTheLiveStreamAndTheSourceStreaming() async throws {
            // The REST side has no quote for AAPL: its value can only come from the stream.
            let http = try await LoopbackHTTPServer.start { request in
                request.path.hasSuffix("/bars")
                    ? .json(#"{"bars": [], "symbol": "AAPL", "next_page_token": null}"#) : .json("{}")
            }
            let stream = try await LoopbackWebSocketServer.start { peer in
                try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
                _ = await peer.receive()
                try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
                _ = await peer.receive()
                let now = ISO8601DateFormatter().string(from: Date())
                try await peer.send(
                    #"[{"T":"q","S":"AAPL","bx":"V","bp":123.45,"bs":2,"ax":"V","ap":123.47,"as":1,"t":"\#(now)"}]"#)
                await peer.waitUntilClientCloses()
            }
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(
                config: """
                    [sources.alpaca]
                    kind = "alpaca"
                    base_url = "\(http.baseURL)"
                    stream_url = "\(stream.baseURL)/v2/iex"
                    poll_interval = "1s"
                    """ + Self.noStartupHistory)
            let output = try await Self.run(
                sandbox,
                ["--once", "--json", "--config", path, "--symbols", "AAPL", "--db", sandbox.databasePath, "--deadline", "20"])
            await stream.stop()
            await http.stop()
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let report = try output.json()
            let quote = try #require((report["quotes"] as? [[String: Any]])?.first)
            #expect(quote["source"] as? String == "ALPACA")
            #expect(quote["bid"] as? Double == 123.45, "the streamed quote")
            let source = try #require((report["sources"] as? [[String: Any]])?.first)
            #expect(source["state"] as? String == "streaming")
            #expect((source["detail"] as? String)?.contains("streaming from \(stream.baseURL)/v2/iex") == true)
            #expect(stream.received.first?.last == #"{"action":"subscribe","bars":["AAPL"],"quotes":["AAPL"],"trades":["AAPL"]}"#)
            #expect(stream.connectionCount == 1)
            for secret in [Self.keyID, Self.secret] {
                #expect(!output.stdout.contains(secret) && !output.stderr.contains(secret))
            }
        }

        /// A Yahoo server: the cookie page, the crumb, and v7 quotes stamped now for every symbol asked.
        static func yahoo(_ request: RecordedRequest) -> StubResponse {
            switch request.path {
            case "/": return StubResponse(status: 404, headers: [("Set-Cookie", "A3=d=FAKECOOKIE; Path=/")])
            case "/v1/test/getcrumb": return .text("FakeCrumb01", status: 200)
            case "/v7/finance/quote":
                let now = Int(Date().timeIntervalSince1970)
                let symbols = (request.query("symbols") ?? "").split(separator: ",")
                let results = symbols.map { symbol in
                    """
                    {"symbol": "\(symbol)", "regularMarketPrice": 100.01, "regularMarketTime": \(now),
                     "regularMarketPreviousClose": 99.5, "regularMarketVolume": 1000, "bid": 100.0, "ask": 100.02}
                    """
                }
                return .json(#"{"quoteResponse": {"result": [\#(results.joined(separator: ","))], "error": null}}"#)
            default:
                return .json(
                    #"{"chart": {"result": null, "error": {"code": "Not Found", "description": "No data found"}}}"#, status: 404)
            }
        }

        @Test func severalProvidersByPriorityEachSymbolFromItsBestSource() async throws {
            // Alpaca (preferred) knows only AAPL; Yahoo knows both: MSFT must come from Yahoo.
            let alpaca = try await LoopbackHTTPServer.start { request in
                switch request.path {
                case "/v2/stocks/snapshots": return Self.snapshots(for: ["AAPL"])
                case let path where path.hasSuffix("/bars"):
                    return .json(#"{"bars": [], "symbol": "AAPL", "next_page_token": null}"#)
                default: return .json(#"{"message": "not found"}"#, status: 404)
                }
            }
            let yahoo = try await LoopbackHTTPServer.start(Self.yahoo)
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(
                config: Self.config(alpaca: alpaca.baseURL) + """

                    [sources.yahoo]
                    kind = "yahoo"
                    base_url = "\(yahoo.baseURL)"
                    poll_interval = "1s"
                    """ + Self.noStartupHistory)
            let output = try await Self.run(
                sandbox,
                ["--once", "--json", "--config", path, "--symbols", "AAPL,MSFT", "--db", sandbox.databasePath, "--deadline", "20"]
            )
            await alpaca.stop()
            await yahoo.stop()
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let report = try output.json()
            let quotes = try #require(report["quotes"] as? [[String: Any]])
            #expect(quotes.map { $0["source"] as? String } == ["ALPACA", "YAHOO"])
            let sources = try #require(report["sources"] as? [[String: Any]])
            #expect(sources.map { $0["label"] as? String } == ["ALPACA", "YAHOO"], "in priority order")
            #expect(sources.first?["detail"] as? String == "no quote for MSFT")
            let quoteCalls = yahoo.requests.filter { $0.path == "/v7/finance/quote" }
            #expect(quoteCalls.first?.query("crumb") == "FakeCrumb01")
            #expect(quoteCalls.first?.header("Cookie")?.contains("FAKECOOKIE") == true)
        }
    }
}
