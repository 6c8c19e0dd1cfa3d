import Foundation
import Logging

/// Sending requests: the query string, decoding, paging, and reading Alpaca's error messages
/// more closely than the status alone allows.
extension AlpacaSource {
    /// `GET path?query` with the auth headers, decoded as `T`. `batch` is the symbols the
    /// request names, so an "invalid symbol" answer can say which one.
    func fetch<T: Decodable>(
        _ type: T.Type, path: String, query: [(name: String, value: String)], symbol: Symbol? = nil,
        batch: [Symbol] = []
    ) async throws -> T {
        let url = client.baseURL + path + (query.isEmpty ? "" : "?" + AlpacaQuery.encode(query))
        do {
            let response = try await client.get(url: url, headers: headers, symbol: symbol, endpoint: path)
            return try client.decode(T.self, from: response, endpoint: path, symbol: symbol)
        } catch let error as ProviderError {
            throw refined(error, batch: batch.isEmpty ? symbol.map { [$0] } ?? [] : batch)
        }
    }

    /// Fetches `path` page after page, handing each to `body`, until `next_page_token` runs out,
    /// or until a hand-over or a shutdown stops the request before a further page
    /// (`RateLimiter.followingPage`): the pages answered are kept.
    func paging<Page: AlpacaPage>(
        _ type: Page.Type, path: String, query: [(name: String, value: String)], symbol: Symbol? = nil,
        batch: [Symbol] = [], _ body: (Page) throws -> Void
    ) async throws {
        var token: String?
        var seen: Set<String> = []
        repeat {
            var pageQuery = query
            let page: Page
            if let token {
                pageQuery.append(("page_token", token))
                guard
                    let next = try await RateLimiter.followingPage({ [pageQuery] in
                        try await fetch(Page.self, path: path, query: pageQuery, symbol: symbol, batch: batch)
                    })
                else { return }
                page = next
            } else {
                page = try await fetch(Page.self, path: path, query: pageQuery, symbol: symbol, batch: batch)
            }
            try body(page)
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
            if let token, !seen.insert(token).inserted {
                throw client.error(
                    .formatChanged, endpoint: path, symbol: symbol,
                    message: "the same next_page_token came back twice; stopped paging instead of looping")
            }
        } while token != nil
    }

    /// Runs a multi-symbol request, and when Alpaca rejects the whole batch over one invalid
    /// symbol, runs it again without that symbol; nil when no symbol is left.
    func dropInvalidSymbols<T>(_ symbols: [Symbol], _ request: ([Symbol]) async throws -> T) async throws -> T? {
        var batch = symbols
        while !batch.isEmpty {
            do {
                return try await request(batch)
            } catch let error as ProviderError where error.kind == .notFound {
                guard let bad = error.symbol, let index = batch.firstIndex(of: bad) else { throw error }
                batch.remove(at: index)
                client.logger.debug(
                    "left out a symbol Alpaca does not know",
                    metadata: ["source": "\(id)", "symbol": "\(bad)", "endpoint": "\(error.endpoint)"])
            }
        }
        return nil
    }

    /// Sharpens the status-based kind with what Alpaca said: a 400/422 "invalid symbol: X"
    /// is an unknown symbol (naming it), and a 403 that refuses the key itself rather than
    /// the plan ("forbidden", "not authorized") is a refused key.
    func refined(_ error: ProviderError, batch: [Symbol]) -> ProviderError {
        var error = error
        switch error.status {
        case 400?, 422?:
            guard let named = Self.invalidSymbol(in: error.message) else { break }
            error.kind = .notFound
            error.symbol =
                batch.first { AlpacaMarket.spelling(of: $0) == named }
                ?? (try? Symbol(named)).flatMap { parsed in batch.first { $0 == parsed } }
                ?? error.symbol
        case 403?:
            let said = error.message.lowercased()
            if said.hasSuffix(": forbidden") || said.contains("not authorized") || said.contains("unauthorized") {
                error.kind = .unauthorized
            }
        default:
            break
        }
        return error
    }

    /// The symbol in "invalid symbol: ACP-PA", uppercased; nil when the text says no such thing.
    static func invalidSymbol(in message: String) -> String? {
        guard let range = message.range(of: "invalid symbol", options: .caseInsensitive) else { return nil }
        var rest = message[range.upperBound...]
        if rest.first == "s" { rest = rest.dropFirst() }
        rest = rest.drop { $0 == ":" || $0 == " " }
        let name = rest.prefix { !$0.isWhitespace && $0 != "," && $0 != ";" && $0 != "\"" && $0 != ")" }
        return name.isEmpty ? nil : name.uppercased()
    }
}
