import ArgumentParser

@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A terminal workbench for collecting past-due accounts.",
        discussion: "With no subcommand, opens the workbench.",
        subcommands: [
            // Each command lives in its own file under Sources/parley/Commands/.
        ]
    )

    @OptionGroup var workbench: WorkbenchOptions

    func run() async throws {
        try workbench.open()
    }
}
