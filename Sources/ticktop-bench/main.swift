import Foundation

// ticktop-bench: prints throughput figures for the collector core.
// Build and run in release:  swift run -c release ticktop-bench [ingest|store|all] [--quotes N] [--bars N]
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: Int, in arguments: [String]) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let n = Int(arguments[index + 1])
    else { return value }
    return n
}
let which = arguments.first { !$0.hasPrefix("--") && Int($0) == nil } ?? "all"
let quotes = option("--quotes", default: 2_000_000, in: arguments)

#if DEBUG
print("warning: this is a debug build; figures mean little. Use: swift run -c release ticktop-bench")
#endif

var results: [BenchmarkResult] = []
if which == "ingest" || which == "all" {
    results += await IngestBenchmark.run(quotes: quotes)
}
for result in results {
    print(result.line)
}
for result in results {
    print(result.json)
}
