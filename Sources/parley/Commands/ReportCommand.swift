import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley report`: the portfolio's figures for a supervisor.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Supervisor figures: aging buckets by count and amount, cases by stage and status."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var asOf: AsOfOption

    func run() async throws {
        let db = try await store.open()
        let report = try await db.report(asOf: asOf.date)
        switch output.format {
        case .json:
            try JSONOutput.print(report)
        case .text:
            print("portfolio on \(report.asOf.iso): \(report.cases) cases")
            print("balances: " + report.balances.map(\.formatted).joined(separator: ", "))
            print("aging (open invoices):")
            for bucket in report.aging {
                let amounts = bucket.amounts.isEmpty ? "—" : bucket.amounts.map(\.formatted).joined(separator: ", ")
                print("  \(bucket.bucket.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(bucket.invoices).padding(toLength: 6, withPad: " ", startingAt: 0)) \(amounts)")
            }
            print("by stage: " + report.byStage.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print("by status: " + report.byStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }
}
