import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore

/// `parley operators list|add|retire`: who works the cases, and with what role.
struct OperatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operators",
        abstract: "List, add and retire operators (collectors and supervisors).",
        subcommands: [List.self, Add.self, Retire.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the operators, retired ones included.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption

        func run() async throws {
            let db = try await store.open()
            let all = try await db.operators()
            switch output.format {
            case .json:
                try JSONOutput.print(all.map(OperatorJSON.init))
            case .text:
                for op in all {
                    let state = op.active ? "active" : "retired \(op.retiredAt.map { $0.formatted(.iso8601) } ?? "") by \(op.retiredBy ?? "?")"
                    print("\(op.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(op.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(state)")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an operator, or bring a retired one back (supervisor only).")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The operator's name (as `--as` will give it).")
        var name: String

        @Option(help: "collector or supervisor.")
        var role: Role

        func run() async throws {
            let (db, actor) = try await store.openAsOperator()
            do {
                let added = try await db.addOperator(name: name, role: role, by: actor, at: Clock.now())
                print("added \(added.name) as a \(added.role.rawValue)")
            } catch let error as OperatorError {
                throw CommandFailure(message: "refused: \(error.description)")
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retire an operator (supervisor only); the log keeps their name.")

        @OptionGroup var store: StoreOptions

        @Argument(help: "The operator's name.")
        var name: String

        func run() async throws {
            let (db, actor) = try await store.openAsOperator()
            do {
                let retired = try await db.retireOperator(name: name, by: actor, at: Clock.now())
                print("retired \(retired.name)")
            } catch let error as OperatorError {
                throw CommandFailure(message: "refused: \(error.description)")
            }
        }
    }
}

extension Role: ExpressibleByArgument {}

/// `parley operators list --format json`: one entry per operator.
struct OperatorJSON: Encodable {
    var name: String
    var role: String
    var active: Bool
    var createdAt: Date
    var createdBy: String
    var retiredAt: Date?
    var retiredBy: String?

    init(_ op: Operator) {
        name = op.name
        role = op.role.rawValue
        active = op.active
        createdAt = op.createdAt
        createdBy = op.createdBy
        retiredAt = op.retiredAt
        retiredBy = op.retiredBy
    }
}
