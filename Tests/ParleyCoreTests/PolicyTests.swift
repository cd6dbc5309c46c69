import XCTest
@testable import ParleyCore

final class PolicyTests: XCTestCase {
    func testBundledDefaultsMatchThePractice() {
        let p = Policy.standard
        XCTAssertEqual([p.escalation.reminderDays, p.escalation.callDays, p.escalation.letterDays, p.escalation.agencyDays], [1, 15, 30, 60])
        XCTAssertEqual(p.agency.monthlyDecay, Percent(10))
        XCTAssertEqual(p.limits(for: .collector).maxDiscount, Percent(10))
        XCTAssertEqual(p.limits(for: .supervisor).maxInstallments, 24)
        XCTAssertEqual(p.limitationYears(country: "US", region: "CA"), 4)
        XCTAssertEqual(p.limitationYears(country: "US", region: "WY"), 6)
    }

    func testAFileOverridesOnlyTheKeysItNames() throws {
        let p = try Policy.parse("[escalation]\ncall_days = 10\n[agency]\nmonthly_decay_percent = \"7.5\"\n", file: "team.toml")
        XCTAssertEqual(p.escalation.callDays, 10)
        XCTAssertEqual(p.escalation.letterDays, 30)
        XCTAssertEqual(p.agency.monthlyDecay, Percent(basisPoints: 750))
    }

    func testABadPolicyNamesTheFileTheKeyAndTheReason() {
        func error(_ text: String) -> String {
            do { _ = try Policy.parse(text, file: "team.toml"); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("[escalation]\ncall_days = \"soon\"\n"),
                       "team.toml: key \"escalation.call_days\": must be a whole number, found the string \"soon\"")
        XCTAssertEqual(error("[escalation]\nletter_days = 5\n"),
                       "team.toml: key \"escalation.agency_days\": stages must come in order: reminder_days ≤ call_days ≤ letter_days ≤ agency_days, found 1, 15, 5, 60")
        XCTAssertEqual(error("[agency]\nfee = 3\n"),
                       "team.toml: key \"agency.fee\": unknown key (expected one of: contingency_fee_percent, monthly_decay_percent, recovery_rate_percent)")
        XCTAssertEqual(error("[authority.collector]\nmax_discount_percent = 140\n"),
                       "team.toml: key \"authority.collector.max_discount_percent\": must be between 0% and 100%, found 140%")
        XCTAssertEqual(error("[interest]\nregime = \"french\"\n"),
                       "team.toml: key \"interest.regime\": must be \"none\" or \"uk-late-payment\", found \"french\"")
        XCTAssertTrue(error("[escalation\ncall_days = 3").hasPrefix("team.toml:1:"), error("[escalation\ncall_days = 3"))
    }
}
