/// A response that may continue on another page.
protocol AlpacaPage: Decodable, Sendable {
    /// The opaque token for the next page; nil (or absent) on the last one.
    var nextPageToken: String? { get }
}

extension AlpacaWire {
    /// `GET /v2/stocks/{symbol}/bars`: `{"bars": [...], "symbol": ..., "next_page_token": ...}`.
    /// `bars` must be present but may be null when there is nothing in the range.
    struct SymbolBarsPage: AlpacaPage {
        var bars: [Bar]?
        var nextPageToken: String?

        enum CodingKeys: String, CodingKey {
            case bars
            case nextPageToken = "next_page_token"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            bars = try container.decode([Bar]?.self, forKey: .bars)
            nextPageToken = try container.decodeIfPresent(String.self, forKey: .nextPageToken)
        }
    }

    /// `GET /v2/stocks/bars` and `/v1beta3/crypto/us/bars`: `bars` keyed by symbol; symbols
    /// without data are absent and an empty result is `{}`.
    struct BarsPage: AlpacaPage {
        var bars: [String: [Bar]]?
        var nextPageToken: String?

        enum CodingKeys: String, CodingKey {
            case bars
            case nextPageToken = "next_page_token"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            bars = try container.decode([String: [Bar]]?.self, forKey: .bars)
            nextPageToken = try container.decodeIfPresent(String.self, forKey: .nextPageToken)
        }
    }

    /// `GET .../trades/latest?symbols=`: `{"trades": {"AAPL": {...}}}`; unknown symbols are absent.
    struct LatestTrades: Decodable, Sendable {
        var trades: [String: Trade]?

        enum CodingKeys: String, CodingKey { case trades }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            trades = try container.decode([String: Trade]?.self, forKey: .trades)
        }
    }

    /// Multi-symbol snapshots. Stocks send a top-level object keyed by symbol (no wrapper);
    /// crypto wraps the same object in `snapshots`. Both are accepted for either market.
    struct Snapshots: Decodable, Sendable {
        var snapshots: [String: Snapshot]

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            let wrapper = Key(stringValue: "snapshots")
            if container.contains(wrapper) {
                snapshots = try container.decode([String: Snapshot]?.self, forKey: wrapper) ?? [:]
            } else {
                snapshots = try decoder.singleValueContainer().decode([String: Snapshot].self)
            }
        }
    }
}
