import Collector
import Testing

@Suite("SourceMap")
struct SourceMapTests {
    @Test func valuesAreKeptPerSourceInTheOrderTheSourcesFirstCame() {
        var map = SourceMap<Int>()
        #expect(map.isEmpty && map.only == nil && map["sim"] == nil)
        map.append(1, for: "yahoo")
        #expect(map.only == 1 && map.index(of: "yahoo") == 0)
        map.append(2, for: "alpaca")
        map[at: map.index(of: "yahoo")!] = 3  // changed in place: keeps its position
        #expect(map.count == 2 && map.only == nil)
        #expect(map.values == [3, 2])
        #expect(map["yahoo"] == 3 && map["alpaca"] == 2 && map["sim"] == nil && map.index(of: "sim") == nil)
        #expect(map.dictionary == ["yahoo": 3, "alpaca": 2])
    }
}
