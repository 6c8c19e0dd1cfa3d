import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// `HTTPTransport` over AsyncHTTPClient's shared client (HTTPS, connection pooling).
public struct AsyncHTTPTransport: HTTPTransport {
    /// Responses larger than this are refused rather than held in memory.
    package var maximumBodyBytes: Int

    public init(maximumBodyBytes: Int = 64 * 1_048_576) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        let timeout = TimeAmount.nanoseconds(request.timeout.nanosecondsValue)
        do {
            let response = try await HTTPClient.shared.execute(outgoing, timeout: timeout)
            let body = try await response.body.collect(upTo: maximumBodyBytes)
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                body: Array(body.readableBytesView))
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout
        {
            throw TransportError.timeout(after: request.timeout)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw TransportError.bodyTooLarge(limit: maximumBodyBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // NIO's errors name the host and port, never the query string.
            throw TransportError.unreachable(reason: Self.describe(error))
        }
    }

    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("remoteConnectionClosed") { return "the server closed the connection" }
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }
}
