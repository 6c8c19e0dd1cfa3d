/// How live values of one source reached ticktop: pushed by its stream or fetched by a poll.
/// A provider's REST answer can lag its stream (a slower path, a coarser clock: Finnhub's
/// `/quote` time is whole seconds, Polygon's first NBBO waits for the rate limiter), so order
/// is checked per path: a polled value older than the streamed one is simply not newer.
package enum DeliveryPath: String, Sendable, Hashable, Codable {
    case stream
    case poll
}
