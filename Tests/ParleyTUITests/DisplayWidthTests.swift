import XCTest
@testable import ParleyTUI

final class DisplayWidthTests: XCTestCase {
    func testCJKCharactersTakeTwoCells() {
        // 8 ideographs/kana of 2 cells each.
        XCTAssertEqual(DisplayWidth.of("株式会社山田商事"), 16)
    }

    func testCombiningAccentTakesNoCellAndIsNormalised() {
        let decomposed = "Cafe\u{301} Noir"
        XCTAssertEqual(DisplayWidth.of(decomposed), 9)
        XCTAssertEqual(DisplayWidth.normalized(decomposed), "Caf\u{E9} Noir")
        XCTAssertEqual(DisplayWidth.normalized(decomposed).unicodeScalars.count, 9)
    }

    func testTruncateNeverSplitsAWideCharacter() {
        // 5 cells: two ideographs (4 cells) and "…" (1 cell).
        XCTAssertEqual(DisplayWidth.truncate("山田商事", to: 5), "山田…")
        XCTAssertEqual(DisplayWidth.truncate("山田商事", to: 4), "山…")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.pad("山田商事", to: 6)), 6)
    }

    func testPadAlignsMoneyToTheRight() {
        XCTAssertEqual(DisplayWidth.pad("EUR 1.00", to: 10, alignRight: true), "  EUR 1.00")
    }

    /// Every scalar the fast paths take: one cluster each, NFC, and the width `of` gives it.
    func testSimpleScalarsAreOneClusterEachWithTheirWidth() {
        var accepted: [Unicode.Scalar] = []
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v), DisplayWidth.isSimple(String(scalar)) else { continue }
            accepted.append(scalar)
            XCTAssertEqual(DisplayWidth.simpleWidth(v), DisplayWidth.of(scalar), "U+\(String(v, radix: 16))")
        }
        XCTAssertGreaterThan(accepted.count, 30_000)
        var all = String.UnicodeScalarView()
        all.append(contentsOf: accepted)
        let text = String(all)
        XCTAssertTrue(DisplayWidth.isSimple(text))
        XCTAssertEqual(text.count, accepted.count, "a simple scalar joined a cluster with its neighbour")
        XCTAssertEqual(text.precomposedStringWithCanonicalMapping.unicodeScalars.count, accepted.count)
        XCTAssertFalse(DisplayWidth.isSimple("Cafe\u{301}"))
        XCTAssertFalse(DisplayWidth.isSimple("a\r\nb"))
    }

    /// The scalar-by-scalar truncation gives what the Character-by-Character one gives.
    func testTruncateOfSimpleTextMatchesTheClusterWay() {
        func byCharacters(_ text: String, _ width: Int) -> String {
            if text.reduce(0, { $0 + DisplayWidth.of($1) }) <= width { return text }
            guard width > 0 else { return "" }
            var result = "", used = 0
            for ch in text {
                let w = DisplayWidth.of(ch)
                if used + w > width - 1 { break }
                result.append(ch)
                used += w
            }
            return result + "…"
        }
        for text in ["山田商事", "Léa Girard", "ab山cd", "株式会社渡辺商事", "Ōsaka Bōeki", "╭──╮", "Žofie Nováková", "한국 상사"] {
            for width in 0...20 {
                XCTAssertEqual(DisplayWidth.truncate(text, to: width), byCharacters(text, width), "\(text) to \(width)")
                XCTAssertEqual(DisplayWidth.of(DisplayWidth.pad(text, to: width)), width, "\(text) padded to \(width)")
            }
        }
    }

    func testWrapBreaksAtSpaces() {
        XCTAssertEqual(DisplayWidth.wrap("one two three four", to: 9), ["one two", "three", "four"])
    }
}

final class CellGridTests: XCTestCase {
    func testWideCharacterCutAtTheLimitBecomesABlank() {
        var grid = CellGrid(size: Size(width: 5, height: 1))
        let end = grid.write("aé山", x: 0, y: 0, style: .plain, limit: 3)
        XCTAssertEqual(end, 3)
        XCTAssertEqual((0..<3).map { grid[$0, 0].text }, ["a", "é", " "])
        XCTAssertEqual(grid[3, 0].text, " ")
    }

    func testWideCharacterFillsTwoCells() {
        var grid = CellGrid(size: Size(width: 6, height: 1))
        let end = grid.write("山田", x: 0, y: 0, style: .plain)
        XCTAssertEqual(end, 4)
        XCTAssertEqual(grid[0, 0].text, "山")
        XCTAssertEqual(grid[0, 0].width, 2)
        XCTAssertTrue(grid[1, 0].isContinuation)
        XCTAssertEqual(grid[2, 0].text, "田")
        XCTAssertEqual(grid.text, "山田")
    }

    func testWideCharacterAtTheEdgeBecomesABlank() {
        var grid = CellGrid(size: Size(width: 5, height: 1))
        grid.write("ab山田", x: 0, y: 0, style: .plain)
        // a, b, 山 (cells 2-3); 田 would need cells 4 and 5 but only cell 4 exists: a blank.
        XCTAssertEqual(grid.text, "ab山")
        XCTAssertEqual(grid[4, 0].text, " ")
        XCTAssertEqual(grid[4, 0].width, 1)
    }

    func testCombiningMarkWithoutPrecomposedFormStaysInOneCell() {
        var grid = CellGrid(size: Size(width: 4, height: 1))
        // q + combining dot above has no precomposed form: one cell holds both scalars.
        grid.write("q\u{307}x", x: 0, y: 0, style: .plain)
        XCTAssertEqual(grid[0, 0].text, "q\u{307}")
        XCTAssertEqual(grid[1, 0].text, "x")
    }

    func testOverwritingHalfAWideCharacterClearsTheOtherHalf() {
        var grid = CellGrid(size: Size(width: 4, height: 1))
        grid.write("山", x: 0, y: 0, style: .plain)
        grid.write("x", x: 1, y: 0, style: .plain)
        XCTAssertEqual(grid[0, 0].text, " ")
        XCTAssertEqual(grid[1, 0].text, "x")
    }

    func testChangesListOnlyCellsThatDiffer() {
        var before = CellGrid(size: Size(width: 10, height: 2))
        before.write("hello", x: 0, y: 0, style: .plain)
        var after = before
        after.write("J", x: 0, y: 0, style: .plain)
        after.write("!", x: 9, y: 1, style: .plain)
        let changes = after.changes(since: before)
        XCTAssertEqual(changes.map { "\($0.x),\($0.y)" }, ["0,0", "9,1"])
        XCTAssertEqual(after.changes(since: nil).count, 20)
    }
}
