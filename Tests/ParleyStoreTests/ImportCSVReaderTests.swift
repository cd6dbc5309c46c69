import XCTest
@testable import ParleyStore

final class ImportCSVReaderTests: XCTestCase {
    func rows(_ text: String) throws -> [(Int, [String])] {
        var reader = CSVReader(text: text, name: "t.csv")
        var result: [(Int, [String])] = []
        while try reader.nextRow() { result.append((reader.line, reader.strings())) }
        return result
    }

    func testQuotedFieldsKeepCommasAndDoubledQuotes() throws {
        let r = try rows("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\n")
        XCTAssertEqual(r.count, 2)
        XCTAssertEqual(r[1].1, ["x, y", "say \"hi\"", ""])
    }

    func testEmbeddedNewlineKeepsPhysicalLineNumbersRight() throws {
        let r = try rows("id,address\n1,\"Hauptstraße 1\n10115 Berlin\"\n2,plain\n3,\"a\r\nb\r\nc\"\n4,end\n")
        XCTAssertEqual(r.map(\.0), [1, 2, 4, 5, 8])
        XCTAssertEqual(r[1].1[1], "Hauptstraße 1\n10115 Berlin")
        XCTAssertEqual(r[3].1[1], "a\r\nb\r\nc")
    }

    func testCRLFLineEndingsAndMissingFinalNewline() throws {
        let r = try rows("a,b\r\n1,2\r\n3,4")
        XCTAssertEqual(r.map(\.1), [["a", "b"], ["1", "2"], ["3", "4"]])
        XCTAssertEqual(r.map(\.0), [1, 2, 3])
    }

    func testByteOrderMarkIsSkipped() throws {
        var reader = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("account_id,x\n".utf8), name: "t.csv")
        XCTAssertTrue(try reader.nextRow())
        XCTAssertEqual(reader.strings(), ["account_id", "x"])
    }

    func testBlankLinesAreSkippedButCounted() throws {
        let r = try rows("a\n\n\nb\n")
        XCTAssertEqual(r.map(\.0), [1, 4])
    }

    func testEmptyTrailingFieldIsAField() throws {
        XCTAssertEqual(try rows("a,b,\n").first?.1, ["a", "b", ""])
    }

    func testUnterminatedQuoteNamesTheLineItOpenedOn() {
        XCTAssertThrowsError(try rows("a,b\n1,\"open\nstill open\n")) { error in
            XCTAssertEqual("\(error)", "t.csv:2: field 2: a quoted field is never closed")
        }
    }

    func testQuoteInsideUnquotedFieldIsRefused() {
        XCTAssertThrowsError(try rows("a,b\n1,5\"x\n")) { error in
            XCTAssertEqual((error as? ImportError)?.kind, .malformedCSV)
            XCTAssertEqual((error as? ImportError)?.line, 2)
        }
    }

    func testReadsAFileInChunksAcrossBoundaries() throws {
        // More than one 1 MiB chunk, with quoted fields that straddle chunk boundaries.
        var text = "id,note\n"
        for i in 1...40_000 { text += "\(i),\"line one, \"\"quoted\"\"\nline two\"\n" }
        let path = NSTemporaryDirectory() + "chunks-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path, name: "big.csv")
        var count = 0
        var lastLine = 0
        while try reader.nextRow() {
            count += 1
            lastLine = reader.line
            if count > 1 { XCTAssertEqual(reader.string(1), "line one, \"quoted\"\nline two") }
        }
        XCTAssertEqual(count, 40_001)
        // Row i (1-based data row) starts on line 2 + 2*(i-1): the last, i = 40,000, on 80,000.
        XCTAssertEqual(lastLine, 80_000)
    }
}
