import XCTest
@testable import ParleyCore

final class CallScriptTests: XCTestCase {
    func testBundledScriptsLoadAndCoverTheObjections() throws {
        let scripts = try CallScripts.bundled()
        XCTAssertEqual(scripts.map(\.id).sorted(), ["business", "consumer"])
        let consumer = try XCTUnwrap(CallScripts.script(for: .consumer, in: scripts))
        let actions = Set(consumer.nodes.values.flatMap { $0.choices.compactMap(\.action) })
        for needed: ScriptAction in [.resendInvoice, .dispute, .offer, .promise, .attorney, .cease, .callback, .noAnswer, .wrongNumber, .rightPartyContact] {
            XCTAssertTrue(actions.contains(needed), "consumer script lacks \(needed)")
        }
        XCTAssertTrue(consumer.nodes.values.contains { $0.disclosure }, "a consumer debt needs the disclosure")
    }

    func testTextIsFilledWithTheAccountsValues() throws {
        let script = try XCTUnwrap(CallScripts.script(for: .consumer, in: try CallScripts.bundled()))
        let values = ScriptValues(debtorName: "Café Noir", contactName: "Zoë Martin", balance: "EUR 1,234.56", dueDate: "2026-10-01",
                                  nextStep: "a final demand", nextStepDate: "2026-12-01", operatorName: "alice", creditor: "Acme Supplies")
        XCTAssertEqual(script.render(script.node("balance")!, with: values),
                       "Our records show a balance of EUR 1,234.56, which was due on 2026-10-01. Can you pay the full amount today?")
        XCTAssertTrue(script.render(script.startNode, with: values).contains("Zoë Martin"))
    }

    func testADanglingNodeIsRefusedWithFileAndNode() {
        let text = """
        [script]
        id = "x"
        start = "a"
        [nodes.a]
        text = "hi"
        choices = [ { key = "y", label = "go", next = "b" } ]
        """
        XCTAssertThrowsError(try CallScript.parse(text, file: "scripts/x.toml")) { error in
            XCTAssertEqual("\(error)", "scripts/x.toml: key \"nodes.a\": choice \"y\" leads to node \"b\", which does not exist (a dangling node)")
        }
    }

    func testAnUnreachableNodeIsRefusedWithFileAndNode() {
        let text = """
        [script]
        id = "x"
        start = "a"
        [nodes.a]
        text = "hi"
        [nodes.lost]
        text = "nobody comes here"
        """
        XCTAssertThrowsError(try CallScript.parse(text, file: "scripts/x.toml")) { error in
            XCTAssertEqual("\(error)", "scripts/x.toml: key \"nodes.lost\": node \"lost\" cannot be reached from the start node \"a\" (an unreachable node)")
        }
    }

    func testUnknownVariablesActionsAndDuplicateKeysAreRefused() {
        func error(_ body: String) -> String {
            do { _ = try CallScript.parse("[script]\nid = \"x\"\nstart = \"a\"\n[nodes.a]\n" + body, file: "x.toml"); return "accepted" }
            catch { return "\(error)" }
        }
        XCTAssertTrue(error("text = \"{{balanse}}\"").contains("unknown variable {{balanse}}"))
        XCTAssertTrue(error("text = \"x\"\nchoices = [ { key = \"y\", label = \"l\", action = \"shout\" } ]").contains("unknown action \"shout\""))
        XCTAssertTrue(error("text = \"x\"\nchoices = [ { key = \"y\", label = \"l\" }, { key = \"y\", label = \"m\" } ]").contains("\"y\" is used twice"))
    }
}
