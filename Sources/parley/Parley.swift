import ArgumentParser

@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A terminal workbench for collecting past-due accounts.",
        discussion: "With no subcommand, opens the workbench.",
        subcommands: [
            // Each command lives in its own file under Sources/parley/Commands/.
            CalcCommand.self,
            ImportCommand.self,
            RunCommand.self,
            QueueCommand.self,
            ShowCommand.self,
            OfferCommand.self,
            CanCallCommand.self,
            RecordCommand.self,
            LettersCommand.self,
            ExportCommand.self,
            ReportCommand.self,
            OperatorsCommand.self,
            ApprovalsCommand.self,
            ApproveCommand.self,
            RejectCommand.self,
            ReassignCommand.self,
            AuditCommand.self,
            SampleCommand.self,
            BenchCommand.self,
        ]
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var workbench: WorkbenchOptions

    func run() async throws {
        try await workbench.open(store: store)
    }
}
