import XCTest
@testable import ParleyCore

final class CivilDateTextTests: XCTestCase {
    /// `iso` is written digit by digit for years 0 to 9999; it must be the zero-padded text it
    /// was, and read back to the same day.
    func testISOTextIsZeroPaddedAndReadsBackForEveryDayOfSampledYears() {
        for year in [0, 1, 9, 10, 99, 100, 999, 1000, 1969, 1970, 2000, 2024, 2026, 2100, 9999] {
            for month in 1...12 {
                for day in 1...CivilDate.daysIn(month: month, year: year) {
                    let date = CivilDate(year: year, month: month, day: day)!
                    let expected = "\(CivilDate.pad(year, 4))-\(CivilDate.pad(month, 2))-\(CivilDate.pad(day, 2))"
                    XCTAssertEqual(date.iso, expected)
                    if year >= 1 { XCTAssertEqual(CivilDate(iso: date.iso), date) }
                }
            }
        }
    }

    func testISOTextOutsideFourDigitYearsKeepsThePaddedForm() {
        let date = CivilDate(year: 10_000, month: 1, day: 2)!
        XCTAssertEqual(date.iso, "10000-01-02")
    }
}
