import Foundation
import ParleyCore
import XCTest
@testable import ParleyTUI

/// Whole screens compared line by line with the text files in Golden/. To accept a deliberate
/// change, run with PARLEY_UPDATE_GOLDEN=1 and review the diff.
final class GoldenScreenTests: XCTestCase {
    private func screen(_ size: Size, keys: [KeyEvent]) throws -> String {
        let workbench = try Workbench(dataSource: InMemoryDataSource.demo(), size: size, theme: .monochrome)
        for key in keys { workbench.send(.key(key)) }
        return workbench.frame().text
    }

    private func assertGolden(_ name: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
        if ProcessInfo.processInfo.environment["PARLEY_UPDATE_GOLDEN"] == "1" {
            try (actual + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(actualLines.count, expectedLines.count, "\(name): line count", file: file, line: line)
        for (i, (a, e)) in zip(actualLines, expectedLines).enumerated() where a != e {
            XCTFail("\(name) line \(i + 1):\nexpected: \(e)\nactual:   \(a)", file: file, line: line)
        }
    }

    func testCJKDebtorAt80x24() throws {
        let text = try screen(Size(width: 80, height: 24), keys: [])
        XCTAssertTrue(text.contains("株式会社山田商事"))
        try assertGolden("cjk-80x24", text)
    }

    func testCombiningAccentDebtorAt80x24() throws {
        let text = try screen(Size(width: 80, height: 24), keys: [.character("j")])
        XCTAssertTrue(text.contains("Caf\u{E9} Noir"))
        try assertGolden("accent-80x24", text)
    }

    func testCJKDebtorHistoryAt120x40() throws {
        try assertGolden("cjk-120x40", try screen(Size(width: 120, height: 40), keys: [.character("2")]))
    }

    func testCombiningAccentWithFlagsAt120x40() throws {
        try assertGolden("accent-120x40", try screen(Size(width: 120, height: 40), keys: [.down]))
    }

    func testHelpOverlayAt80x24() throws {
        try assertGolden("help-80x24", try screen(Size(width: 80, height: 24), keys: [.character("?")]))
    }

    func testReasonsOverlayAt80x24() throws {
        try assertGolden("reasons-80x24", try screen(Size(width: 80, height: 24), keys: [.character("r")]))
    }

    func testPaletteAt120x40() throws {
        try assertGolden("palette-120x40", try screen(Size(width: 120, height: 40), keys: [.character(":"), .character("p"), .character("a")]))
    }

    func testFilterPromptAt80x24() throws {
        try assertGolden("filter-80x24", try screen(Size(width: 80, height: 24), keys: [.character("/"), .character("h"), .character("a")]))
    }

    func testTooSmallAt79x24() throws {
        try assertGolden("too-small-79x24", try screen(Size(width: 79, height: 24), keys: []))
    }

    func testEveryLineFitsTheWidthIncludingWideCharacters() throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 97, height: 31)] {
            let workbench = try Workbench(dataSource: InMemoryDataSource.demo(), size: size, theme: .monochrome)
            for line in workbench.frame().text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(DisplayWidth.of(String(line)), size.width)
            }
        }
    }
}
