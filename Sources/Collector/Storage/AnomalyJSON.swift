import Foundation

/// How the stores keep an anomaly's fields and subject: sorted-key JSON text, with non-finite
/// numbers as the strings `+Infinity`, `-Infinity` and `NaN` (a quarantined value may be one).
enum AnomalyJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// An anomaly with its fields and subject already encoded.
    struct Encoded: Sendable {
        var anomaly: Anomaly
        var fieldsJSON: String
        var subjectJSON: String
    }

    /// Encodes each anomaly; the error says why one cannot be.
    static func encode(_ anomalies: [Anomaly]) throws -> [Encoded] {
        guard !anomalies.isEmpty else { return [] }
        let encoder = encoder()
        return try anomalies.map { anomaly in
            Encoded(
                anomaly: anomaly,
                fieldsJSON: String(decoding: try encoder.encode(anomaly.fields), as: UTF8.self),
                subjectJSON: String(decoding: try encoder.encode(anomaly.subject), as: UTF8.self))
        }
    }
}

extension AnomalyJSON {
    /// A stored value that cannot be read back, in words.
    struct StoredValueProblem: Error {
        var detail: String
    }

    /// The anomaly stored in one row's columns.
    static func anomaly(
        rule: String, severity severityText: String, symbol symbolText: String, source: String, fieldsJSON: String,
        message: String, detectedAt: Int64, quarantined: Bool, subjectJSON: String
    ) throws(StoredValueProblem) -> Anomaly {
        guard let severity = Anomaly.Severity(rawValue: severityText) else {
            throw StoredValueProblem(detail: "an anomaly has the unknown severity '\(severityText)'")
        }
        let decoder = decoder()
        let fields: [Anomaly.Field]
        let subject: MarketEvent
        let symbol: Symbol
        do {
            fields = try decoder.decode([Anomaly.Field].self, from: Data(fieldsJSON.utf8))
            subject = try decoder.decode(MarketEvent.self, from: Data(subjectJSON.utf8))
        } catch {
            throw StoredValueProblem(detail: "an anomaly's stored JSON cannot be decoded (\(error))")
        }
        do {
            symbol = try Symbol(symbolText)
        } catch {
            throw StoredValueProblem(detail: "a stored symbol is invalid: \(error)")
        }
        var anomaly = Anomaly(
            rule: rule, severity: severity, fields: fields, message: message,
            detectedAt: Timestamp(nanoseconds: detectedAt), quarantined: quarantined, subject: subject)
        anomaly.symbol = symbol
        anomaly.source = SourceID(source)
        return anomaly
    }
}
