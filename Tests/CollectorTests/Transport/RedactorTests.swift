import Collector
import Testing

@Suite("Redactor")
struct RedactorTests {
    let redactor = Redactor(secrets: ["PKTESTKEY0001", "s3cr3tSECRET"])

    @Test(arguments: [
        (
            "https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=ABCDEF123",
            "https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=***"
        ),
        ("https://finnhub.io/api/v1/quote?token=zzz999&symbol=AAPL", "https://finnhub.io/api/v1/quote?token=***&symbol=AAPL"),
        ("https://api.massive.com/v2/aggs?apiKey=k1", "https://api.massive.com/v2/aggs?apiKey=***"),
        ("/v7/finance/quote?symbols=AAPL&crumb=Xy7pQ2aBcDe", "/v7/finance/quote?symbols=AAPL&crumb=***"),
        ("no query here", "no query here"),
        ("symbol=AAPL&interval=5min", "symbol=AAPL&interval=5min"),
        // The punctuation of the message around a URL is kept; inside a value it is masked.
        (
            "could not connect to wss://ws.finnhub.io/?token=abc123: refused",
            "could not connect to wss://ws.finnhub.io/?token=***: refused"
        ),
        ("(see /quote?token=abc123), then retry.", "(see /quote?token=***), then retry."),
        ("failed at /quote?token=abc123.", "failed at /quote?token=***."),
        ("/quote?token=ab:c1,2)3&symbol=X", "/quote?token=***&symbol=X")
    ])
    func masksSensitiveQueryValues(url: String, expected: String) {
        #expect(redactor.redact(url: url) == expected)
    }

    /// Found by fuzzing Yahoo's answers: a crumb of NULs trapped Foundation's `range(of:)`.
    @Test(arguments: [")\0\0\0\0", "ab\u{301}cd", "abcd"])
    func masksAnySecretExactlyOnItsBytes(secret: String) {
        let redactor = Redactor(secrets: [secret])
        #expect(redactor.scrub("crumb " + secret + " and " + secret + secret) == "crumb *** and ******")
        #expect(redactor.scrub("nothing to hide \0 here") == "nothing to hide \0 here")
    }

    @Test func masksKnownSecretsAnywhere() {
        let text = #"{"message":"invalid key PKTESTKEY0001 / s3cr3tSECRET"}"#
        #expect(redactor.scrub(text) == #"{"message":"invalid key *** / ***"}"#)
    }

    @Test func masksCredentialHeaders() {
        let headers = redactor.redact(headers: [
            HTTPHeader("APCA-API-KEY-ID", "PKTESTKEY0001"), HTTPHeader("Authorization", "Bearer abc"),
            HTTPHeader("X-Finnhub-Token", "t"), HTTPHeader("Accept", "application/json")
        ])
        #expect(headers.map(\.value) == ["***", "***", "***", "application/json"])
    }

    @Test func ignoresSecretsTooShortToMaskSafely() {
        #expect(Redactor(secrets: ["a"]).scrub("a cat") == "a cat")
    }
}
