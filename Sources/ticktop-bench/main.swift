import Foundation

// ticktop-bench: prints throughput figures for the collector core, one human
// line each, then one JSON line each.
// Release builds only:  swift run -c release ticktop-bench [ingest|selection|store|tape|render|decode|validation|all] [--quotes N] [--bars N] [--ticks N] [--seed N]
// Instruction counts (Tests/Bench/instruction-gate.sh): ticktop-bench count [decode|validate|apply|render|write]
// End to end (minutes; not part of `all`): ticktop-bench e2e [--seconds 60] [--rates 10000,100000,403572,max] [--symbols 1000] [--per-frame 20] [--tape]
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: Int, in arguments: [String]) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let n = Int(arguments[index + 1])
    else { return value }
    return n
}
let which = arguments.first { !$0.hasPrefix("--") && Int($0) == nil } ?? "all"
// `count PATH`: one hot path once on a fixed input, for Tests/Bench/instruction-gate.sh (callgrind).
// It ends by falling through the figures below (none match), not by `exit(0)`: callgrind 3.19
// crashes when the process exits from inside the async main while libdispatch starts a thread.
if which == "count" {
    let path = arguments.dropFirst().first ?? ""
    do {
        guard try InstructionPaths.run(path) else {
            FileHandle.standardError.write(
                Data("usage: ticktop-bench count [\(InstructionPaths.all.joined(separator: "|"))]\n".utf8))
            exit(64)
        }
    } catch {
        FileHandle.standardError.write(Data("count \(path) failed: \(error)\n".utf8))
        exit(1)
    }
    print("counted: \(path): \(InstructionPaths.what[path] ?? "")")
}
guard
    ["ingest", "selection", "store", "tape", "render", "decode", "validation", "postgres", "follow", "fleet", "e2e", "all", "count"]
    .contains(which)
else {
    FileHandle.standardError.write(
        Data(
            ("usage: ticktop-bench [ingest|selection|store|tape|render|decode|validation|postgres|follow|fleet|all] [--quotes N]"
                + " [--bars N] [--ticks N] [--seed N] [--viewers N] [--rate N] [--flush-ms N] [--ttl SECONDS]\n"
                + "       ticktop-bench e2e [--seconds 60] [--rates 10000,100000,403572,max] [--symbols 1000] [--per-frame 20] [--seed N] [--tape]\n")
                .utf8
        ))
    exit(64)
}
let quotes = option("--quotes", default: 2_000_000, in: arguments)
let bars = option("--bars", default: 1_000_000, in: arguments)
let seed = UInt64(max(0, option("--seed", default: 42, in: arguments)))

#if DEBUG
    print("warning: this is a debug build; its figures mean little. Use: swift run -c release ticktop-bench")
#endif

var results: [BenchmarkResult] = []
if which == "ingest" || which == "all" {
    results += await IngestBenchmark.run(quotes: quotes)
}
if which == "selection" || which == "all" {
    results += await SelectionBenchmark.run(quotes: quotes)
}
if which == "decode" || which == "all" {
    results += DecodeBenchmark.run(messages: min(quotes, 1_000_000))
    results += StreamIngestBenchmark.run(messages: min(quotes, 1_000_000))
}
if which == "validation" || which == "all" {
    do {
        results += try ValidationBenchmark.run(bars: bars, seed: seed)
    } catch {
        print("FAIL: validation benchmark: \(error)")
        exit(1)
    }
}
if which == "render" || which == "all" {
    results += await RenderBenchmark.run()
}
if which == "e2e" {
    var options = EndToEndBenchmark.Options()
    options.seconds = max(1, option("--seconds", default: options.seconds, in: arguments))
    options.symbols = max(1, option("--symbols", default: options.symbols, in: arguments))
    options.perFrame = max(1, option("--per-frame", default: options.perFrame, in: arguments))
    options.seed = seed
    options.tape = arguments.contains("--tape")
    if let index = arguments.firstIndex(of: "--rates"), index + 1 < arguments.count {
        let given = arguments[index + 1]
        var rates: [Int?] = []
        for item in given.split(separator: ",") {
            if item == "max" {
                rates.append(nil)
            } else if let rate = Int(item), rate > 0 {
                rates.append(rate)
            } else {
                let message = "--rates: \"\(item)\" is neither messages per second nor max (in \(given))\n"
                FileHandle.standardError.write(Data(message.utf8))
                exit(64)
            }
        }
        options.rates = rates
    }
    do {
        results += try await EndToEndBenchmark.run(options)
    } catch {
        FileHandle.standardError.write(Data("e2e benchmark failed: \(error)\n".utf8))
        exit(1)
    }
}
if which == "postgres" {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ticktop-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        results += try await PostgresStoreBenchmark.run(rows: bars, directory: directory)
    } catch {
        FileHandle.standardError.write(Data("postgres benchmark failed: \(error)\n".utf8))
        exit(1)
    }
}
if which == "follow" {
    // Not in `all`: it needs a PostgreSQL server, as `postgres` does. --quotes defaults to 10 s of quotes at --rate.
    let rate = max(1, option("--rate", default: 200, in: arguments))
    let count = arguments.contains("--quotes") ? quotes : rate * 10
    let viewerCounts = arguments.contains("--viewers") ? [max(1, option("--viewers", default: 1, in: arguments))] : [1, 20]
    do {
        results += try await FollowBenchmark.run(
            quotes: count, viewerCounts: viewerCounts, rate: rate,
            flushInterval: .milliseconds(max(1, option("--flush-ms", default: 25, in: arguments))))
    } catch {
        FileHandle.standardError.write(Data("follow benchmark failed: \(error)\n".utf8))
        exit(1)
    }
}
if which == "fleet" {
    do {
        results += try await FleetTakeoverBenchmark.run(ttlSeconds: max(1, option("--ttl", default: 15, in: arguments)))
    } catch {
        FileHandle.standardError.write(Data("fleet benchmark failed: \(error)\n".utf8))
        exit(1)
    }
}
if which == "store" || which == "all" {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ticktop-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        results += try await StoreBenchmark.run(rows: bars, directory: directory)
    } catch {
        FileHandle.standardError.write(Data("store benchmark failed: \(error)\n".utf8))
        exit(1)
    }
}
if which == "tape" || which == "all" {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ticktop-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        results += try await TapeBenchmark.run(rows: option("--ticks", default: 1_000_000, in: arguments), directory: directory)
    } catch {
        FileHandle.standardError.write(Data("tape benchmark failed: \(error)\n".utf8))
        exit(1)
    }
}
for result in results { print(result.line) }
for result in results { print(result.json) }
