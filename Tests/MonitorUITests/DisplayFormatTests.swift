import Collector
import MonitorUI
import Testing

@Suite("Display format")
struct DisplayFormatTests {
    @Test(arguments: [
        (189.4234, AssetClass.equity, "189.42"), (1.081234, .fx, "1.08123"), (151.2345, .fx, "151.234"),
        (0.00451234, .crypto, "0.004512"), (61000, .crypto, "61000.00")
    ])
    func prices(_ value: Double, _ assetClass: AssetClass, _ expected: String) {
        #expect(DisplayFormat.price(value, assetClass: assetClass) == expected)
    }

    @Test func missingValuesShowADash() {
        #expect(DisplayFormat.price(nil) == "-")
        #expect(DisplayFormat.percent(nil) == "-")
        #expect(DisplayFormat.age(nil) == "-")
        #expect(DisplayFormat.volume(nil) == "-")
    }

    @Test(arguments: [(0, "0s"), (2, "2s"), (59, "59s"), (60, "1m"), (840, "14m"), (7200, "2h"), (200_000, "2d")])
    func ages(_ seconds: Int64, _ expected: String) {
        #expect(DisplayFormat.age(.seconds(seconds)) == expected)
    }

    @Test(arguments: [(950.0, "950"), (12_345, "12.3K"), (4_560_000, "4.56M"), (1_200_000_000, "1.20B"), (0.5, "0.50")])
    func volumes(_ value: Double, _ expected: String) {
        #expect(DisplayFormat.volume(value) == expected)
    }

    @Test func signedChanges() {
        #expect(DisplayFormat.change(1.25, price: 100) == "+1.25")
        #expect(DisplayFormat.change(-0.06, price: 178.8) == "-0.06", "precision follows the price, not the change")
        #expect(DisplayFormat.change(-0.00042, price: 1.08, assetClass: .fx) == "-0.00042")
        #expect(DisplayFormat.change(0.0001, price: 0.0045) == "+0.000100")
        #expect(DisplayFormat.percent(-0.123) == "-0.12%")
    }
}
