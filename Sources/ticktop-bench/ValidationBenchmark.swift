import Collector
import Foundation

/// Validation v2 over synthetic bars with seeded faults: the rate, and proof
/// that every injected fault is detected by the rule meant to catch it and
/// nothing else is (detected must equal injected exactly, per rule).
enum ValidationBenchmark {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Validates `count` bars (10% daily history, 90% regular-session minute bars,
    /// 500 US equities) with one fault per 1000 bars, `passes` times on fresh validators.
    static func run(bars count: Int, seed: UInt64, passes: Int = 3) throws -> [BenchmarkResult] {
        let data = ValidationFixture.make(count: count, seed: seed)
        let injected = data.faults.count
        let expected = Dictionary(data.faults.map { ($0.value, 1) }, uniquingKeysWith: +)
        print(
            "validation: \(count) bars, \(data.symbolCount) symbols (\(data.daily.joined().count) 1Day as history, "
                + "\(data.minute.joined().count) 1Min live), seed \(seed), \(injected) faults injected")

        var seconds: [Double] = []
        var failures: [String] = []
        for pass in 1...passes {
            var validator = Validator(configuration: .defaults)
            let now = Timestamp(seconds: 1_769_817_600)
            var quarantined = 0
            var byRule: [String: Int] = [:]
            var wrongValues = 0
            var wrongExamples: [String] = []
            let start = ContinuousClock.now
            for (batches, origin) in [(data.daily, IngestOrigin.history), (data.minute, .live)] {
                for batch in batches {
                    let result = validator.validate(batch, origin: origin, at: now)
                    quarantined += batch.count - result.accepted.count
                    for anomaly in result.anomalies {
                        byRule[anomaly.rule, default: 0] += 1
                        if data.faults[anomaly.subject] != anomaly.rule {
                            wrongValues += 1
                            if wrongExamples.count < 5 {
                                wrongExamples.append(
                                    "\(anomaly.symbol) \(anomaly.subject.time) \(anomaly.rule) (expected "
                                        + "\(data.faults[anomaly.subject] ?? "none")): \(anomaly.message)")
                            }
                        }
                    }
                }
            }
            seconds.append((ContinuousClock.now - start).secondsValue)
            let detected = byRule.values.reduce(0, +)
            let rules = Set(expected.keys).union(byRule.keys).sorted()
            print(
                "pass \(pass): faults injected \(injected), detected \(detected), values quarantined \(quarantined); "
                    + rules.map { "\($0) \(byRule[$0] ?? 0)/\(expected[$0] ?? 0)" }.joined(separator: ", "))
            for example in wrongExamples where pass == 1 { print("  unexpected: \(example)") }
            if detected != injected || quarantined != injected || byRule != expected || wrongValues > 0 {
                failures.append(
                    "pass \(pass): detected \(detected) and quarantined \(quarantined) of \(injected) injected, "
                        + "\(wrongValues) anomalies on the wrong value or by the wrong rule")
            }
        }
        guard failures.isEmpty else { throw Failure(description: failures.joined(separator: "; ")) }

        var v1 = Validator()
        let v1Time = ContinuousClock().measure {
            for (batches, origin) in [(data.daily, IngestOrigin.history), (data.minute, .live)] {
                for batch in batches { _ = v1.validate(batch, origin: origin, at: .zero) }
            }
        }
        let median = seconds.sorted()[seconds.count / 2]
        return [
            BenchmarkResult(
                name: "validation-v2", count: count, seconds: median,
                note: "median of \(passes) passes; \(injected) faults injected = detected, by the expected rules"),
            BenchmarkResult(
                name: "validation-v1", count: count, seconds: v1Time.secondsValue,
                note: "the same bars through the version 1 rules only, for comparison")
        ]
    }
}
