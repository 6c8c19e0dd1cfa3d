/// The RGB values of xterm's default 256-colour palette, for finding nearest colours.
enum XtermPalette {
    typealias RGB = (red: UInt8, green: UInt8, blue: UInt8)

    /// xterm's defaults for the 16 ANSI colours.
    private static let ansi: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)
    ]

    /// The six levels of each channel in the 6x6x6 colour cube (16-231).
    private static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The colour of palette entry `index`: ANSI, cube (16-231) or grey ramp (232-255).
    static func rgb(of index: UInt8) -> RGB {
        switch index {
        case 0..<16:
            return ansi[Int(index)]
        case 16..<232:
            let cube = Int(index) - 16
            return (cubeLevels[cube / 36], cubeLevels[cube / 6 % 6], cubeLevels[cube % 6])
        default:
            let grey = UInt8(8 + 10 * (Int(index) - 232))
            return (grey, grey, grey)
        }
    }

    /// The entry in `candidates` closest to `colour` (squared RGB distance; the lowest index wins ties).
    static func nearest(to colour: RGB, in candidates: ClosedRange<UInt8>) -> UInt8 {
        var best = candidates.lowerBound
        var bestDistance = Int.max
        for index in candidates {
            let other = rgb(of: index)
            let distance = square(colour.red, other.red) + square(colour.green, other.green) + square(colour.blue, other.blue)
            if distance < bestDistance {
                best = index
                bestDistance = distance
            }
        }
        return best
    }

    private static func square(_ a: UInt8, _ b: UInt8) -> Int {
        let difference = Int(a) - Int(b)
        return difference * difference
    }
}
