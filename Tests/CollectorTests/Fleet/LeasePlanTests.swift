import CollectorTestSupport
import Testing

@testable import Collector

/// The pure lease decision: fair shares, few moves, dead and leaving collectors' symbols taken over.
@Suite("Lease plan")
struct LeasePlanTests {
    static func symbols(_ count: Int) -> [Symbol] { (0..<count).map { try! Symbol("S\(100 + $0)") } }

    /// `current` as holder -> symbols, for tables that read like the fleet.
    static func holding(_ table: [String: [Symbol]]) -> [Symbol: String] {
        var current: [Symbol: String] = [:]
        for (holder, symbols) in table { for symbol in symbols { current[symbol] = holder } }
        return current
    }

    static func counts(_ plan: [Symbol: String]) -> [String: Int] {
        plan.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// Symbols whose holder changed although the old holder is still a member.
    static func moved(_ plan: [Symbol: String], from current: [Symbol: String], members: Set<String>) -> Int {
        plan.filter { symbol, holder in current[symbol].map { members.contains($0) && $0 != holder } ?? false }.count
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var members: Set<String>
        var wanted: Int
        var current: [String: [Int]]
        /// Expected symbols per member after the plan.
        var counts: [String: Int]
        /// Expected symbols taken from live members (rebalancing moves).
        var moved: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "first collector takes all", members: ["a"], wanted: 6, current: [:], counts: ["a": 6], moved: 0),
        Case(
            name: "a joining collector takes its share, the rest stay", members: ["a", "b"], wanted: 6,
            current: ["a": Array(0..<6)], counts: ["a": 3, "b": 3], moved: 3),
        Case(
            name: "a third joins 4+4: two move, one from each", members: ["a", "b", "c"], wanted: 8,
            current: ["a": Array(0..<4), "b": Array(4..<8)], counts: ["a": 3, "b": 3, "c": 2], moved: 2),
        Case(
            name: "a leaving collector's symbols split between the rest", members: ["a", "b"], wanted: 9,
            current: ["a": [0, 1, 2], "b": [3, 4, 5], "c": [6, 7, 8]], counts: ["a": 5, "b": 4], moved: 0),
        Case(
            name: "a dead holder's symbols go to the live one", members: ["b"], wanted: 4,
            current: ["a": [0, 1], "b": [2, 3]], counts: ["b": 4], moved: 0),
        Case(
            name: "the odd symbol stays with the bigger holder", members: ["a", "b"], wanted: 5,
            current: ["a": [0, 1], "b": [2, 3, 4]], counts: ["a": 2, "b": 3], moved: 0),
        Case(
            name: "an unwanted symbol is dropped, a new one goes to the smaller holder", members: ["a", "b"], wanted: 4,
            current: ["a": [0, 1], "b": [2, 9]], counts: ["a": 2, "b": 2], moved: 0),
        Case(
            name: "no collector alive: nobody holds anything", members: [], wanted: 3, current: ["a": [0]], counts: [:],
            moved: 0),
        Case(
            name: "more collectors than symbols", members: ["a", "b", "c"], wanted: 2, current: ["c": [0, 1]],
            counts: ["c": 1, "a": 1], moved: 1)
    ]

    @Test(arguments: cases)
    func fairSplitWithFewMoves(_ c: Case) {
        let all = Self.symbols(10)
        let wanted = Set(all.prefix(c.wanted))
        let current = Self.holding(c.current.mapValues { $0.map { all[$0] } })
        let plan = LeasePlan.assign(members: c.members, wanted: wanted, current: current)
        #expect(Set(plan.keys) == (c.members.isEmpty ? [] : wanted), "every wanted symbol has one holder")
        #expect(Self.counts(plan) == c.counts)
        #expect(Self.moved(plan, from: current, members: c.members) == c.moved)
        #expect(LeasePlan.assign(members: c.members, wanted: wanted, current: plan) == plan, "a plan fed back in is kept")
    }

    /// A draining collector keeps what it holds and is given nothing: not a leaver's symbols, not a
    /// new one, not a share of a split; when it has left, its symbols go to the others.
    @Test func aDrainingCollectorKeepsItsSymbolsAndGetsNoMore() {
        let all = Self.symbols(9)
        let current = Self.holding(["a": Array(all[0..<3]), "b": Array(all[3..<6]), "c": Array(all[6..<8])])
        // c leaves while a drains: c's two symbols and the new ninth all go to b.
        let plan = LeasePlan.assign(members: ["b"], wanted: Set(all), current: current, draining: ["a"])
        #expect(Set(plan.filter { $0.value == "a" }.keys) == Set(all[0..<3]), "a keeps its own")
        #expect(Set(plan.filter { $0.value == "b" }.keys) == Set(all[3...]), "everything else to b")
        #expect(LeasePlan.assign(members: ["b"], wanted: Set(all), current: plan, draining: ["a"]) == plan)
        // With a draining collector the only one alive, new symbols wait for a member.
        #expect(LeasePlan.assign(members: [], wanted: Set(all), current: current, draining: ["a"]).count == 3)
        // Once a has left (neither member nor draining), b takes its symbols too.
        #expect(Set(LeasePlan.assign(members: ["b"], wanted: Set(all), current: plan).values) == ["b"])
    }

    /// Seeded random fleets: every wanted symbol held by one live member, shares differ by at most
    /// one, and a live holder only loses symbols it holds beyond its share.
    @Test func randomFleetsKeepTheInvariants() {
        var random = SplitMix64(seed: 16)
        let all = Self.symbols(60)
        let ids = (0..<6).map { "c\($0)" }
        for _ in 0..<500 {
            let members = Set(ids.filter { _ in random.next() % 3 != 0 })
            let wanted = Set(all.filter { _ in random.next() % 4 != 0 })
            var current: [Symbol: String] = [:]
            for symbol in all where random.next() % 5 != 0 { current[symbol] = ids[Int(random.next() % 6)] }
            let plan = LeasePlan.assign(members: members, wanted: wanted, current: current)
            guard !members.isEmpty else {
                #expect(plan.isEmpty)
                continue
            }
            #expect(Set(plan.keys) == wanted)
            #expect(plan.values.allSatisfy(members.contains))
            let counts = members.map { Self.counts(plan)[$0] ?? 0 }
            #expect(counts.max()! - counts.min()! <= 1)
            for member in members {
                let had = wanted.filter { current[$0] == member }
                let lost = had.filter { plan[$0] != member }
                let keeps = Self.counts(plan)[member] ?? 0
                // Losing symbols is only for a member above its share: it keeps a full share of its own.
                #expect(lost.isEmpty || (keeps == had.count - lost.count && keeps >= wanted.count / members.count))
            }
        }
    }
}
