import ParleyCore
import XCTest
@testable import ParleyTUI

final class KeymapTests: XCTestCase {
    func testDefaultsBindArrowsAndViKeys() {
        let keymap = Keymap.standard
        XCTAssertEqual(keymap.command(for: .character("j")), .moveDown)
        XCTAssertEqual(keymap.command(for: .down), .moveDown)
        XCTAssertEqual(keymap.command(for: .character("k")), .moveUp)
        XCTAssertEqual(keymap.command(for: .character("G")), .moveBottom)
        XCTAssertEqual(keymap.command(for: .ctrl("d")), .halfPageDown)
        XCTAssertEqual(keymap.command(for: .pageDown), .pageDown)
        XCTAssertEqual(keymap.command(for: .backTab), .panePrevious)
        XCTAssertEqual(keymap.command(for: .character("q")), .quit)
    }

    func testEveryCommandHasADefaultKeyAndAStableDottedId() {
        for command in Command.allCases {
            XCTAssertFalse(command.defaultKeys.isEmpty, command.rawValue)
            XCTAssertTrue(command.rawValue.contains("."), command.rawValue)
        }
    }

    func testNoKeyIsBoundTwiceByDefaultWithinAScope() {
        for scope in KeyScope.allCases {
            let all = Command.allCases.filter { $0.scope == scope }.flatMap(\.defaultKeys)
            XCTAssertEqual(all.count, Set(all).count, scope.rawValue)
        }
    }

    func testUserKeymapReplacesTheKeysOfTheCommandsItNames() throws {
        let keymap = try Keymap.parse("""
        [keys]
        "move.down" = ["n", "Down"]
        "app.quit" = "C-q"
        """, file: "keys.toml")
        XCTAssertEqual(keymap.keys(for: .moveDown), [.character("n"), .down])
        XCTAssertNil(keymap.command(for: .character("j")))
        XCTAssertEqual(keymap.command(for: .ctrl("q")), .quit)
        XCTAssertNil(keymap.command(for: .character("q")))
        XCTAssertEqual(keymap.command(for: .character("k")), .moveUp)
    }

    func testAKeyTakenByTheUserLeavesTheDefaultItBelongedTo() throws {
        let keymap = try Keymap.parse("[keys]\n\"help.open\" = [\"j\"]\n", file: "keys.toml")
        XCTAssertEqual(keymap.command(for: .character("j")), .helpOpen)
        XCTAssertEqual(keymap.keys(for: .moveDown), [.down])
    }

    func testUnknownCommandIsRefusedNamingFileAndKey() {
        XCTAssertThrowsError(try Keymap.parse("[keys]\n\"queue.dwn\" = [\"j\"]\n", file: "/home/a/keys.toml")) { error in
            let config = error as? ConfigError
            XCTAssertEqual(config?.file, "/home/a/keys.toml")
            XCTAssertEqual(config?.key, "keys.queue.dwn")
        }
    }

    func testUnknownKeyNameIsRefusedNamingTheCommand() {
        XCTAssertThrowsError(try Keymap.parse("[keys]\n\"move.down\" = [\"Dwn\"]\n", file: "keys.toml")) { error in
            let config = error as? ConfigError
            XCTAssertEqual(config?.key, "keys.move.down")
            XCTAssertTrue(config?.reason.contains("\"Dwn\"") ?? false)
        }
    }

    func testKeyNamesRoundTrip() {
        for name in ["j", "?", "C-d", "Up", "PgDn", "S-Tab", "Enter", "Esc", "F1", "Space"] {
            let key = KeyName.parse(name)
            XCTAssertNotNil(key, name)
            XCTAssertEqual(key.map(KeyName.name), name)
        }
    }
}

final class ThemeTests: XCTestCase {
    private var repositoryThemes: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Themes")
    }

    func testEveryShippedThemeNamesEveryRole() throws {
        for name in Theme.builtInNames {
            let path = repositoryThemes.appendingPathComponent("\(name).toml").path
            let theme = try Theme.load(named: path)
            XCTAssertEqual(theme.name, name)
            XCTAssertEqual(Set(theme.styles.keys), Set(ThemeRole.allCases), name)
        }
    }

    func testBundledCopiesMatchTheThemesDirectory() throws {
        for name in Theme.builtInNames {
            let source = try String(contentsOf: repositoryThemes.appendingPathComponent("\(name).toml"), encoding: .utf8)
            let bundled = try XCTUnwrap(Theme.bundledURL(named: name), name)
            XCTAssertEqual(try String(contentsOf: bundled, encoding: .utf8), source,
                           "Sources/ParleyTUI/Resources/Themes/\(name).toml differs from Themes/\(name).toml")
        }
    }

    func testThemeIsFoundByNameWhateverTheExecutablePath() throws {
        let theme = try Theme.load(named: "high-contrast", executablePath: "/nonexistent/parley")
        XCTAssertEqual(theme.name, "high-contrast")
    }

    func testUnknownThemeNameIsRefusedListingTheBuiltInOnes() {
        XCTAssertThrowsError(try Theme.load(named: "solarised", executablePath: "/nonexistent/parley")) { error in
            XCTAssertTrue("\(error)".contains("high-contrast"))
        }
    }

    func testMonochromeFileMatchesTheBuiltInMonochrome() throws {
        let theme = try Theme.load(named: repositoryThemes.appendingPathComponent("monochrome.toml").path)
        XCTAssertEqual(theme.styles, Theme.monochrome.styles)
        for style in theme.styles.values {
            XCTAssertEqual(style.foreground, .terminalDefault)
            XCTAssertEqual(style.background, .terminalDefault)
        }
    }

    func testMissingRoleIsRefusedNamingIt() {
        XCTAssertThrowsError(try Theme.parse("name = \"x\"\n[roles]\n\"title\" = { bold = true }\n", file: "x.toml")) { error in
            let config = error as? ConfigError
            XCTAssertEqual(config?.file, "x.toml")
            XCTAssertEqual(config?.key, "roles.status")
        }
    }

    func testUnknownColourIsRefusedNamingTheKey() {
        var text = "[roles]\n"
        for role in ThemeRole.allCases { text += "\"\(role.rawValue)\" = { fg = \"white\" }\n" }
        text = text.replacingOccurrences(of: "\"money\" = { fg = \"white\" }", with: "\"money\" = { fg = \"gold\" }")
        XCTAssertThrowsError(try Theme.parse(text, file: "t.toml")) { error in
            XCTAssertEqual((error as? ConfigError)?.key, "roles.money.fg")
        }
    }
}
