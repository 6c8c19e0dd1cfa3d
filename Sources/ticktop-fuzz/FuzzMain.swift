import CFuzzerDriver
import Foundation

/// `ticktop-fuzz TARGET [FILE|DIRECTORY...]` feeds inputs to one parser of outside data.
///
/// Built by `Tests/Fuzz/run.sh` with `-DTICKTOP_FUZZ` and libFuzzer linked in, the arguments
/// after TARGET are libFuzzer's (corpus directories, `-max_total_time=`, ...) and it fuzzes.
/// In a plain build it runs each given file (or every file of a directory) through the
/// target once: how a crashing input is replayed under the debugger or in a debug build.
@main
struct FuzzMain {
    static func main() {
        var arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("usage: ticktop-fuzz TARGET [inputs...]; targets: \(names)\n".utf8))
            exit(2)
        }
        FuzzTarget.selected = target
        arguments.remove(at: 1)
        #if TICKTOP_FUZZ
            exit(fuzz(arguments))
        #else
            exit(replay(Array(arguments.dropFirst())))
        #endif
    }

    #if TICKTOP_FUZZ
        /// Runs libFuzzer's loop over `arguments` (the program name first, then libFuzzer's flags).
        static func fuzz(_ arguments: [String]) -> Int32 {
            var argc = Int32(arguments.count)
            var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            return pointers.withUnsafeMutableBufferPointer { buffer in
                var argv = buffer.baseAddress
                return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                    FuzzTarget.selected.run(UnsafeRawBufferPointer(start: data, count: size))
                    return 0
                }
            }
        }
    #endif

    /// Runs every file named (directories: every file inside) through the selected target once.
    static func replay(_ paths: [String]) -> Int32 {
        var count = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("ticktop-fuzz: no such file: \(path)\n".utf8))
                return 1
            }
            let files =
                isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { FuzzTarget.selected.run($0) }
                count += 1
            }
        }
        print("ticktop-fuzz \(FuzzTarget.selected.rawValue): \(count) inputs ran without a crash")
        return 0
    }
}
