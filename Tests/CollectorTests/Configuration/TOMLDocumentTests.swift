import Testing

@testable import Collector

/// Headers TOMLKit's parser aborted the process on (an assertion in toml++), found by the
/// `config`, `theme` and `watchlist` fuzz targets; each is now a located syntax error.
@Suite("TOML documents")
struct TOMLDocumentTests {
    @Test(arguments: [
        ("[!x]\n", 1, 2, "saw '!'"), ("a = 1\n[[!x]]\n", 2, 3, "saw '!'"), ("[ {x]\n", 1, 3, "saw '{'"),
        ("[\nx = 1\n", 1, 2, "saw a line break"), ("[a]\n[\u{7f}]", 2, 2, "saw 'a byte 0x7f'"),
        ("x = [}]\n", 1, 6, "in the array, saw '}'"), ("x = [\n  1, # c\n  }\n]", 3, 3, "in the array, saw '}'"),
        ("x = {a = [}]}", 1, 11, "in the array, saw '}'")
    ])
    func aHeaderWhoseNameCannotStartAKeyIsASyntaxError(text: String, line: Int, column: Int, says: String) {
        #expect(throws: TOMLDocument.HeaderError.self) { _ = try TOMLDocument.table(text) }
        do {
            try TOMLDocument.checkHeaders(text)
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.line == line && error.column == column)
            #expect(error.description.contains(says))
        }
    }

    @Test func bracketsInsideArraysAndStringsAreNotHeaders() throws {
        let text = """
            [general]
            grid = [
              [1, 2],
              [ {x = 1} ],
            ]
            note = \"\"\"
            [!not a header]
            \"\"\"
            literal = '''
            [ {also not}
            '''
            [[watchlist]]
            name = "a # [b"
            [ "quoted" ]
            """
        try TOMLDocument.checkHeaders(text)
        _ = try TOMLDocument.table(text)
    }
}
