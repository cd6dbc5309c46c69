import Foundation

/// The hours and frequency limits that apply to one debtor.
struct CallLimits {
    var startHour: Int
    var endHour: Int
    var maxAttemptsPerWeek: Int
    var waitAfterConversation: Bool
    /// "consumers" or "businesses", for the reasons.
    var who: String

    init(profile: ContactProfile, policy: Policy) {
        let c = policy.contact
        switch profile.kind {
        case .consumer:
            self.init(startHour: c.consumerStartHour, endHour: c.consumerEndHour,
                      maxAttemptsPerWeek: c.consumerMaxAttemptsPerWeek, waitAfterConversation: true, who: "consumers")
        case .business where c.consumerRulesForBusiness:
            self.init(startHour: max(c.businessStartHour, c.consumerStartHour), endHour: min(c.businessEndHour, c.consumerEndHour),
                      maxAttemptsPerWeek: min(c.businessMaxAttemptsPerWeek, c.consumerMaxAttemptsPerWeek),
                      waitAfterConversation: true, who: "businesses")
        case .business:
            self.init(startHour: c.businessStartHour, endHour: c.businessEndHour,
                      maxAttemptsPerWeek: c.businessMaxAttemptsPerWeek, waitAfterConversation: false, who: "businesses")
        }
    }

    init(startHour: Int, endHour: Int, maxAttemptsPerWeek: Int, waitAfterConversation: Bool, who: String) {
        self.startHour = startHour
        self.endHour = endHour
        self.maxAttemptsPerWeek = maxAttemptsPerWeek
        self.waitAfterConversation = waitAfterConversation
        self.who = who
    }

    var window: String { "\(clock(startHour * 3600))–\(clock(endHour * 3600))" }
}

/// The zones a call is checked in: the debtor's own, or every candidate when it is unknown.
struct CallZones {
    var zones: [TimeZone]
    var known: Bool
    /// The warning that says the zone was unknown (nil when known).
    var unknownNote: ComplianceFinding?

    func calendar(_ zone: TimeZone) -> Calendar {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        return cal
    }

    func localDay(of date: Date, in zone: TimeZone) -> CivilDate {
        let c = calendar(zone).dateComponents([.year, .month, .day], from: date)
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// Seconds since local midnight (wall clock).
    func secondsOfDay(_ date: Date, in zone: TimeZone) -> Int {
        let c = calendar(zone).dateComponents([.hour, .minute, .second], from: date)
        return c.hour! * 3600 + c.minute! * 60 + c.second!
    }

    /// The instant a local wall-clock time occurs (moved forward out of a daylight-saving gap).
    func instant(_ day: CivilDate, secondsOfDay: Int, in zone: TimeZone) -> Date? {
        let (y, m, d) = day.components
        return calendar(zone).date(from: DateComponents(year: y, month: m, day: d, hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60))
    }
}

extension ContactRulesEngine {
    enum ZoneResolution {
        case resolved(CallZones)
        /// No zone can be determined: calls are blocked until one is recorded.
        case unresolvable(ComplianceFinding)
    }

    static func resolveZones(_ profile: ContactProfile) -> ZoneResolution {
        if let id = profile.timeZone, let zone = TimeZone(identifier: id) {
            return .resolved(CallZones(zones: [zone], known: true, unknownNote: nil))
        }
        let place = profile.region.map { "\(profile.country)-\($0)" } ?? profile.country
        let why = profile.timeZone.map { "the debtor's time zone \"\($0)\" is not a known IANA zone" } ?? "the debtor's time zone is not recorded"
        guard let ids = CallTimeZones.candidates(country: profile.country, region: profile.region) else {
            return .unresolvable(.block(.timeZoneUnknown, "\(why), and Parley has no zone table for \(place): record the time zone before calling"))
        }
        let zones = ids.compactMap { TimeZone(identifier: $0) }
        guard !zones.isEmpty else {
            return .unresolvable(.block(.timeZoneUnknown, "\(why), and no zone of \(place) is known: record the time zone before calling"))
        }
        let note = ComplianceFinding.warning(.timeZoneUnknown, "\(why): the call was checked against every zone of \(place) (\(ids.joined(separator: ", ")))")
        return .resolved(CallZones(zones: zones, known: false, unknownNote: note))
    }
}

/// The time-bound call rules for one debtor, its zones and its calls.
struct CallCheck {
    var zones: CallZones
    var limits: CallLimits
    var calls: [CallRecord]

    /// The findings that block a call at `t`: at most one per rule (hours, attempts,
    /// conversation wait), the first zone that blocks giving the reason.
    func blocks(at t: Date) -> [ComplianceFinding] {
        var hours: ComplianceFinding?
        var attempts: ComplianceFinding?
        var wait: ComplianceFinding?
        for zone in zones.zones {
            if hours == nil { hours = hoursBlock(at: t, in: zone) }
            if attempts == nil { attempts = attemptsBlock(at: t, in: zone) }
            if wait == nil && limits.waitAfterConversation { wait = conversationBlock(at: t, in: zone) }
        }
        return [hours, attempts, wait].compactMap { $0 }
    }

    func hoursBlock(at t: Date, in zone: TimeZone) -> ComplianceFinding? {
        let s = zones.secondsOfDay(t, in: zone)
        guard s < limits.startHour * 3600 || s >= limits.endHour * 3600 else { return nil }
        if zones.known {
            return .block(.callHours, "it is \(clock(s)) in \(zone.identifier): \(limits.who) may be called only from \(limits.window) local time")
        }
        return .block(.callHours, "it is \(clock(s)) in \(zone.identifier), one of the zones the debtor may be in: calls are allowed only when it is \(limits.window) in every one of them")
    }

    /// Local days of the calls that count as attempts, in `zone`.
    func attemptDays(in zone: TimeZone) -> [CivilDate] {
        calls.filter { $0.outcome.countsAsAttempt }.map { zones.localDay(of: $0.at, in: zone) }
    }

    /// The most attempts already made in a 7-day window that contains the day of `t`, and that window.
    func busiestWeek(at t: Date, in zone: TimeZone) -> (count: Int, from: CivilDate, to: CivilDate) {
        let day = zones.localDay(of: t, in: zone)
        let days = attemptDays(in: zone)
        var best = (count: 0, from: day.adding(days: -6), to: day)
        for k in 0..<7 {
            let from = day.adding(days: k - 6), to = day.adding(days: k)
            let n = days.filter { $0 >= from && $0 <= to }.count
            if n > best.count { best = (n, from, to) }
        }
        return best
    }

    func attemptsBlock(at t: Date, in zone: TimeZone) -> ComplianceFinding? {
        let week = busiestWeek(at: t, in: zone)
        guard week.count >= limits.maxAttemptsPerWeek else { return nil }
        return .block(.attemptFrequency, "\(week.count) call attempts were already made from \(week.from.iso) to \(week.to.iso): at most \(limits.maxAttemptsPerWeek) are allowed within 7 consecutive days")
    }

    func conversationBlock(at t: Date, in zone: TimeZone) -> ComplianceFinding? {
        let day = zones.localDay(of: t, in: zone)
        let latest = calls.filter { $0.outcome.isConversation && $0.at <= t }
            .map { zones.localDay(of: $0.at, in: zone) }
            .filter { $0 <= day && day <= $0.adding(days: 6) }
            .max()
        guard let latest else { return nil }
        return .block(.conversationWait, "a telephone conversation on \(latest.iso) (day one) bars further calls through \(latest.adding(days: 6).iso)")
    }

    /// Warnings for a call that no rule blocks.
    func warnings(at t: Date) -> [ComplianceFinding] {
        var findings: [ComplianceFinding] = []
        var closing: (minutes: Int, zone: TimeZone)?
        var attempts = 0
        for zone in zones.zones {
            let left = limits.endHour * 3600 - zones.secondsOfDay(t, in: zone)
            if left > 0 && left <= ContactRulesEngine.windowClosingWarningMinutes * 60 {
                let minutes = (left + 59) / 60
                if closing == nil || minutes < closing!.minutes { closing = (minutes, zone) }
            }
            attempts = max(attempts, busiestWeek(at: t, in: zone).count)
        }
        if let closing {
            findings.append(.warning(.callHours, "the calling window closes at \(clock(limits.endHour * 3600)) in \(closing.zone.identifier), in \(closing.minutes) minute\(closing.minutes == 1 ? "" : "s")"))
        }
        let number = attempts + 1
        if limits.maxAttemptsPerWeek >= 2 && number >= limits.maxAttemptsPerWeek - 1 {
            findings.append(.warning(.attemptFrequency, "this is call attempt \(number) of the \(limits.maxAttemptsPerWeek) allowed within 7 consecutive days"))
        }
        return findings
    }

    /// The earliest instant after `at` at which no time-bound rule blocks, among the instants
    /// where one could change its answer: each zone's local midnights and window openings.
    func nextAllowed(after at: Date) -> Date? {
        guard limits.startHour < limits.endHour else { return nil }
        var candidates: [Date] = []
        for zone in zones.zones {
            let first = zones.localDay(of: at, in: zone)
            for offset in 0...ContactRulesEngine.searchDays {
                let day = first.adding(days: offset)
                for seconds in [0, limits.startHour * 3600] {
                    if let instant = zones.instant(day, secondsOfDay: seconds, in: zone), instant > at {
                        candidates.append(instant)
                    }
                }
            }
        }
        return candidates.sorted().first { blocks(at: $0).isEmpty }
    }
}

/// "07:59" (or "07:59:30" when the seconds are not zero).
func clock(_ secondsOfDay: Int) -> String {
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let h = secondsOfDay / 3600, m = secondsOfDay % 3600 / 60, s = secondsOfDay % 60
    return s == 0 ? "\(two(h)):\(two(m))" : "\(two(h)):\(two(m)):\(two(s))"
}
