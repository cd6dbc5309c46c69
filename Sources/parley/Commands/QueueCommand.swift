import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley queue`: the prioritised call queue with the reasons for each place.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "The prioritised call queue, with the reasons for each account's place."
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    @Option(help: "How many accounts to list.")
    var limit: Int = 20

    @Option(help: "Skip this many accounts first (paging).")
    var offset: Int = 0

    @Option(help: "Only accounts whose debtor name contains TEXT, or whose account or invoice id starts with it.")
    var filter: String?

    @Flag(help: "Include cases not in the call queue (resolved, written off, placed, ceased, on hold).")
    var all = false

    func validate() throws {
        guard limit >= 0, offset >= 0 else { throw ValidationError("--limit and --offset must be 0 or more") }
    }

    func run() async throws {
        let db = try await store.open()
        let page = try await db.queue(QueueQuery(filter: filter, offset: offset, limit: limit, includeAll: all))
        switch output.format {
        case .json:
            try JSONOutput.print(QueueJSON(page))
        case .text:
            if page.entries.isEmpty {
                print(filter == nil ? "the queue is empty" : "no account matches \"\(filter ?? "")\"")
                return
            }
            for (index, entry) in page.entries.enumerated() {
                let position = page.offset + index + 1
                print("\(position). \(entry.accountID)  \(entry.debtorName)  \(entry.balance.formatted)  \(entry.stage.rawValue)/\(entry.status.label)  priority \(entry.priority.score)")
                print("   next: \(entry.nextAction.text)\(entry.nextAction.on.map { " (\($0.iso))" } ?? "")")
                print("   why: " + entry.priority.reasons.map { "\($0.text) (\($0.points > 0 ? "+" : "")\($0.points))" }.joined(separator: ", "))
            }
            print("showing \(page.offset + 1)–\(page.offset + page.entries.count) of \(page.total)")
        }
    }
}

/// `parley queue --format json`.
struct QueueJSON: Encodable {
    struct Entry: Encodable {
        var position: Int
        var accountId: String
        var debtorName: String
        var stage: String
        var status: String
        var balance: Money
        var daysPastDue: Int
        var priority: Int
        var reasons: [Priority.Reason]
        var nextAction: NextAction
        var assignee: String?
        var asOf: CivilDate
    }

    var offset: Int
    var total: Int
    var entries: [Entry]

    init(_ page: QueuePage) {
        offset = page.offset
        total = page.total
        entries = page.entries.enumerated().map { index, record in
            Entry(position: page.offset + index + 1, accountId: record.accountID, debtorName: record.debtorName, stage: record.stage.rawValue,
                  status: record.status.rawValue, balance: record.balance, daysPastDue: record.daysPastDue, priority: record.priority.score,
                  reasons: record.priority.reasons, nextAction: record.nextAction, assignee: record.assignee, asOf: record.asOf)
        }
    }
}
