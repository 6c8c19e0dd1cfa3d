import Testing

/// Every end-to-end suite nests here, so they run one test at a time: each starts debug
/// `ticktop` processes that backfill tens of thousands of bars, and several at once on a
/// small machine starve one another (and the rest of the tests) past their deadlines.
@Suite("end to end", .serialized)
enum EndToEnd {}
