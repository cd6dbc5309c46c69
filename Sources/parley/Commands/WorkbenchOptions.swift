import ArgumentParser
import Foundation
import ParleyCore
import ParleyTUI

/// How `parley` with no subcommand opens the workbench.
struct WorkbenchOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Colour theme: default, light, high-contrast, monochrome, or a path to a theme .toml file.", valueName: "NAME"))
    var theme: String = "default"

    @Option(name: .long, help: ArgumentHelp("A TOML keymap whose [keys] table overrides the default keys.", valueName: "FILE"))
    var keymap: String?

    @Flag(name: .long, help: .hidden)
    var demoFixture = false

    func open() throws {
        let keys = try keymap.map { path throws(ConfigError) in try Keymap.load(contentsOf: path) } ?? .standard
        let colourTheme = try Theme.load(named: theme)
        guard demoFixture else {
            throw ValidationError("the workbench does not read the database yet; run `parley --demo-fixture` to open it on the built-in demo accounts")
        }
        let dataSource: WorkbenchDataSource = InMemoryDataSource.demo()
        let terminal = try CursesTerminal()
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let chosen = terminal.supportsColor && !noColour ? colourTheme : try Theme.load(named: "monochrome")
        do {
            let workbench = try Workbench(dataSource: dataSource, size: terminal.size, theme: chosen, keymap: keys)
            try workbench.run(on: terminal)
        } catch {
            terminal.restore()
            throw error
        }
    }
}
