/// The US legal public holidays of 5 U.S.C. 6103(a), computed by rule for any year, with their
/// observed days (a holiday on a Saturday is observed on the Friday before, one on a Sunday on
/// the Monday after). Inauguration Day, a holiday only around Washington, is not included.
public enum USFederalHolidays {
    public struct Holiday: Hashable, Sendable {
        public var name: String
        /// The day the statute names.
        public var date: CivilDate
        /// The weekday on which it is observed.
        public var observed: CivilDate
    }

    /// The holidays whose statutory date falls in `year`.
    public static func holidays(in year: Int) -> [Holiday] {
        func fixed(_ name: String, _ month: Int, _ day: Int) -> Holiday {
            let date = CivilDate(year: year, month: month, day: day)!
            let observed: CivilDate
            switch date.isoWeekday {
            case 6: observed = date.adding(days: -1)
            case 7: observed = date.adding(days: 1)
            default: observed = date
            }
            return Holiday(name: name, date: date, observed: observed)
        }
        func floating(_ name: String, _ date: CivilDate) -> Holiday {
            Holiday(name: name, date: date, observed: date)
        }
        var list = [
            fixed("New Year's Day", 1, 1),
            floating("Birthday of Martin Luther King, Jr.", nthWeekday(3, 1, month: 1, year: year)),
            floating("Washington's Birthday", nthWeekday(3, 1, month: 2, year: year)),
            floating("Memorial Day", lastWeekday(1, month: 5, year: year)),
        ]
        if year >= 2021 { list.append(fixed("Juneteenth National Independence Day", 6, 19)) }
        list += [
            fixed("Independence Day", 7, 4),
            floating("Labor Day", nthWeekday(1, 1, month: 9, year: year)),
            floating("Columbus Day", nthWeekday(2, 1, month: 10, year: year)),
            fixed("Veterans Day", 11, 11),
            floating("Thanksgiving Day", nthWeekday(4, 4, month: 11, year: year)),
            fixed("Christmas Day", 12, 25),
        ]
        return list
    }

    /// Whether `date` is a holiday or a holiday's observed day. New Year's Day falling on a
    /// Saturday is observed on 31 December of the year before, which this accounts for.
    public static func isHoliday(_ date: CivilDate) -> Bool {
        for year in [date.year, date.year + 1] {
            for h in holidays(in: year) where h.date == date || h.observed == date { return true }
        }
        return false
    }

    /// Monday to Friday and not a holiday (nor a holiday's observed day).
    public static func isBusinessDay(_ date: CivilDate) -> Bool {
        !date.isWeekend && !isHoliday(date)
    }

    /// The `n`th `weekday` (ISO, 1 = Monday) of a month.
    static func nthWeekday(_ n: Int, _ weekday: Int, month: Int, year: Int) -> CivilDate {
        let first = CivilDate(year: year, month: month, day: 1)!
        let offset = (weekday - first.isoWeekday + 7) % 7
        return first.adding(days: offset + 7 * (n - 1))
    }

    /// The last `weekday` (ISO) of a month.
    static func lastWeekday(_ weekday: Int, month: Int, year: Int) -> CivilDate {
        let last = CivilDate(year: year, month: month, day: CivilDate.daysIn(month: month, year: year))!
        let back = (last.isoWeekday - weekday + 7) % 7
        return last.adding(days: -back)
    }
}
