import Foundation
import ParleyCore

/// How the store writes values: JSON with sorted keys and ISO 8601 instants in whole seconds,
/// so that what is written and what is read back are the same values exactly.
enum StoreCodec {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    private static let sharedEncoder = encoder()
    private static let sharedDecoder = decoder()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try sharedEncoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try sharedDecoder.decode(type, from: Data(text.utf8))
    }

    /// A stored state: `FastStateDecoder` for the compact form and the long form's shapes it
    /// knows, `JSONDecoder` for the rest of the long form.
    static func decodeState(_ text: String) throws -> CaseState {
        if let state = FastStateDecoder.decode(text) { return state }
        guard !FastStateDecoder.isCompact(text) else {
            throw StoreError.corruptRow(table: "case state", key: String(text.prefix(48)) + (text.count > 48 ? "…" : ""),
                                        reason: "a compact state (\"f\":2) with a key, a value or a repeat that the compact form does not have")
        }
        return try decode(CaseState.self, from: text)
    }

    /// A stored event payload: by hand for the shapes `FastJSON.event` writes, else `JSONDecoder`.
    static func decodeEvent(_ text: String) throws -> CaseEvent {
        if let event = FastStateDecoder.event(text) { return event }
        return try decode(CaseEvent.self, from: text)
    }

    /// An event's payload as the log keeps it.
    static func encode(event: CaseEvent) throws -> String {
        try FastJSON.event(event) ?? encode(event)
    }

    /// A state as the store keeps it: the compact form (`FastJSON.compactState`), or the long
    /// form of `JSONEncoder` for what that leaves to it.
    static func encode(state: CaseState) throws -> String {
        try FastJSON.compactState(state) ?? encode(state)
    }

    /// An instant cut to the whole second, as the log keeps it.
    static func wholeSecond(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    /// The instant as `.iso8601` writes it, cut to the whole second (`2026-11-11T06:50:00Z`),
    /// written digit by digit for the years 1 to 9999: the import stamps each of 335,160
    /// payments with its own instant, and Foundation's formatting was 3% of its reading thread
    /// (`perf record`, session 13). Before 1600 Foundation's calendar is the Julian one, not
    /// `CivilDate`'s, and it writes those.
    static func timestamp(_ date: Date) -> String {
        let whole = wholeSecond(date)
        var out = FastJSON.Bytes(capacity: 20)
        guard whole.timeIntervalSince1970 >= Self.year1600, out.instant(whole) else { return whole.formatted(.iso8601) }
        return out.string
    }

    /// 1600-01-01T00:00:00Z.
    static let year1600: TimeInterval = -11_676_096_000

    static func instant(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}

/// The JSON of the values the import and the daily run write hundreds of thousands of times,
/// written directly, byte for byte what `StoreCodec.encode` (Foundation's `JSONEncoder` with
/// sorted keys) writes for them. Measured on the 20,000-account import (release, `perf record`):
/// `JSONEncoder` took 26% of the import's CPU, most of it for these few shapes. Anything else, or
/// any text that would need escaping, goes to `JSONEncoder`; `FastJSONTests` checks the two
/// agree on every shape.
enum FastJSON {
    /// Text that JSONEncoder writes as is: printable ASCII without `"`, `\` and `/` (which it escapes).
    @inline(__always)
    static func isPlain(_ text: String) -> Bool {
        for byte in text.utf8 where byte < 0x20 || byte > 0x7E || byte == 0x22 || byte == 0x5C || byte == 0x2F { return false }
        return true
    }

    /// The bytes of a JSON text being written: concatenating short `String`s made a new string
    /// and grew its storage at each `+` (the events', next actions' and reasons' JSON were 13%
    /// of the run's stepping thread at 200,000 accounts, a third of it in `String`'s append,
    /// `perf record`).
    ///
    /// The bytes are kept in memory of their own, not an `Array`: `Array.append(contentsOf:)`
    /// checked the array's uniqueness and capacity at every short piece, over 40% of writing a
    /// state (`perf record` of the first daily run at 200,000 accounts).
    struct Bytes {
        private final class Storage {
            var base: UnsafeMutablePointer<UInt8>
            var count = 0
            var capacity: Int

            init(capacity: Int) {
                self.capacity = max(capacity, 16)
                base = .allocate(capacity: self.capacity)
            }

            deinit { base.deallocate() }

            func grow(toHold needed: Int) {
                capacity = max(needed, capacity * 2)
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                bigger.update(from: base, count: count)
                base.deallocate()
                base = bigger
            }
        }

        /// Shared by copies of a `Bytes` (it is not copy-on-write): one is made, written and read
        /// where it is used.
        private let storage: Storage

        init(capacity: Int) { storage = Storage(capacity: capacity) }

        /// The bytes written so far.
        var out: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage.base, count: storage.count) }

        @inline(__always)
        mutating func append(_ bytes: UnsafeRawPointer, count: Int) {
            let s = storage
            if s.count + count > s.capacity { s.grow(toHold: s.count + count) }
            UnsafeMutableRawPointer(s.base + s.count).copyMemory(from: bytes, byteCount: count)
            s.count += count
        }

        @inline(__always)
        mutating func raw(_ text: StaticString) {
            append(text.utf8Start, count: text.utf8CodeUnitCount)
        }

        @inline(__always)
        mutating func append(_ byte: UInt8) {
            let s = storage
            if s.count == s.capacity { s.grow(toHold: s.count + 1) }
            s.base[s.count] = byte
            s.count += 1
        }

        @inline(__always)
        mutating func append(_ text: String) {
            var text = text
            text.withUTF8 { utf8 in
                if let base = utf8.baseAddress { append(base, count: utf8.count) }
            }
        }

        /// A decimal integer, digit by digit.
        mutating func number(_ value: Int) {
            if value < 0 { append(UInt8(ascii: "-")) }
            digits(value.magnitude, atLeast: 1)
        }

        /// `value` in decimal, with leading zeros to `atLeast` digits.
        @inline(__always)
        mutating func digits(_ value: UInt, atLeast: Int) {
            var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &buffer) { scratch in
                var end = scratch.count
                var rest = value
                repeat {
                    end -= 1
                    scratch[end] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                } while rest > 0 || scratch.count - end < atLeast
                append(scratch.baseAddress! + end, count: scratch.count - end)
            }
        }

        /// The amount as `Money.decimalString` writes it (`-`, the major units, `.` and the minor
        /// units to the currency's decimals), digit by digit: the strings it was made of were a
        /// fifth of writing a state (`perf record` of the first daily run at 200,000 accounts).
        mutating func decimal(_ m: Money) {
            if m.minorUnits < 0 { append(UInt8(ascii: "-")) }
            let magnitude = UInt(m.minorUnits.magnitude)
            let decimals = m.currency.decimals
            guard decimals > 0 else { return digits(magnitude, atLeast: 1) }
            let scale = UInt(m.currency.scale)
            digits(magnitude / scale, atLeast: 1)
            append(UInt8(ascii: "."))
            digits(magnitude % scale, atLeast: decimals)
        }

        /// A day as `CivilDate.iso` writes it.
        mutating func day(_ value: CivilDate) {
            let (y, m, d) = value.components
            guard (0...9999).contains(y) else { return append(value.iso) }
            digits(UInt(y), atLeast: 4)
            append(UInt8(ascii: "-"))
            digits(UInt(m), atLeast: 2)
            append(UInt8(ascii: "-"))
            digits(UInt(d), atLeast: 2)
        }

        /// An instant in whole seconds of the years 1 to 9999 as `.iso8601` writes it
        /// (`2026-11-11T06:50:00Z`); false, and nothing written, for any other.
        mutating func instant(_ value: Date) -> Bool {
            let t = value.timeIntervalSince1970
            guard t.rounded(.down) == t, let seconds = Int(exactly: t) else { return false }
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let rest = seconds - days * 86_400
            let date = CivilDate(daysSinceEpoch: days)
            guard date.year >= 1, date.year <= 9999 else { return false }
            day(date)
            append(UInt8(ascii: "T"))
            digits(UInt(rest / 3_600), atLeast: 2)
            append(UInt8(ascii: ":"))
            digits(UInt(rest / 60 % 60), atLeast: 2)
            append(UInt8(ascii: ":"))
            digits(UInt(rest % 60), atLeast: 2)
            append(UInt8(ascii: "Z"))
            return true
        }

        mutating func money(_ m: Money) {
            raw("{\"amount\":\"")
            decimal(m)
            raw("\",\"currency\":\"")
            append(m.currency.code)
            raw("\"}")
        }

        var string: String { String(decoding: out, as: UTF8.self) }

        var array: [UInt8] { Array(out) }
    }

    /// An event's payload, or nil when it is not one of the shapes written here.
    static func event(_ event: CaseEvent) -> String? {
        var out = Bytes(capacity: 128)
        switch event {
        case .invoiceAdded(let id, let amount, let due):
            guard isPlain(id), isPlain(amount.currency.code) else { return nil }
            out.raw("{\"invoiceAdded\":{\"amount\":")
            out.money(amount)
            out.raw(",\"due\":\""); out.day(due)
            out.raw("\",\"invoiceID\":\""); out.append(id); out.raw("\"}}")
        case .paymentReceived(let amount, let on):
            guard isPlain(amount.currency.code) else { return nil }
            out.raw("{\"paymentReceived\":{\"amount\":")
            out.money(amount)
            out.raw(",\"on\":\""); out.day(on); out.raw("\"}}")
        case .opened(let id, let kind, let currency, let on, let invoices):
            guard isPlain(id), isPlain(currency.code) else { return nil }
            out.raw("{\"opened\":{\"accountID\":\""); out.append(id)
            out.raw("\",\"currency\":\""); out.append(currency.code)
            out.raw("\",\"debtorKind\":\""); out.append(kind.rawValue)
            if let invoices {
                out.raw("\",\"invoices\":[")
                for (index, invoice) in invoices.enumerated() {
                    guard isPlain(invoice.id), isPlain(invoice.amount.currency.code) else { return nil }
                    out.raw(index == 0 ? "[\"" : ",[\""); out.append(invoice.id)
                    out.raw("\",\""); out.day(invoice.due)
                    out.raw("\",\""); out.decimal(invoice.amount)
                    out.raw("\",\""); out.append(invoice.amount.currency.code); out.raw("\"]")
                }
                out.raw("],\"on\":\"")
            } else {
                out.raw("\",\"on\":\"")
            }
            out.day(on); out.raw("\"}}")
        case .escalated(let stage, let on):
            out.raw("{\"escalated\":{\"on\":\""); out.day(on)
            out.raw("\",\"to\":\""); out.append(stage.rawValue); out.raw("\"}}")
        case .letterSent(let kind, let on):
            guard isPlain(kind.rawValue) else { return nil }
            out.raw("{\"letterSent\":{\"_0\":\""); out.append(kind.rawValue)
            out.raw("\",\"on\":\""); out.day(on); out.raw("\"}}")
        default:
            return nil
        }
        return out.string
    }

    /// A case's state in the store's compact form (`{"f":2,…}`): the fields with their values
    /// at their defaults left out, every amount as whole minor units of the case's currency, each
    /// open invoice as `[id, due, outstanding]`. nil with a pending approval (its arrangement is
    /// left to `JSONEncoder`, whose keys the supervisors' queries read), an amount in another
    /// currency, text to escape or an instant not in whole seconds: `StoreCodec` then writes the
    /// long form, which `FastStateDecoder` and `JSONDecoder` read as before.
    ///
    /// At 200,000 accounts the long form's states averaged 692 bytes, 150 MB of a 680 MB
    /// database, and the first daily run rewrites nearly every one. sqlite3 alone, the UPDATE of
    /// 167,000 states and its commit: 1.03–1.34 s with states of 692 bytes, 0.47–0.57 s with
    /// states of 200 (the daily run is bound by its writer; BENCHMARKS.md, session 13).
    /// How a compact state begins (`FastStateDecoder` tells the two forms apart by it).
    static let compactMark: StaticString = "{\"f\":2,"

    static func compactState(_ s: CaseState) -> String? {
        guard s.pendingApproval == nil else { return nil }
        let currency = s.currency
        var out = Bytes(capacity: 512)
        func key(_ name: StaticString) {
            out.raw(",\"")
            out.raw(name)
            out.raw("\":")
        }
        func quoted(_ value: String) -> Bool {
            guard isPlain(value) else { return false }
            out.append(UInt8(ascii: "\""))
            out.append(value)
            out.append(UInt8(ascii: "\""))
            return true
        }
        func day(_ value: CivilDate) {
            out.append(UInt8(ascii: "\""))
            out.day(value)
            out.append(UInt8(ascii: "\""))
        }
        func amount(_ m: Money) -> Bool {
            guard m.currency == currency, m.minorUnits != Int64.min else { return false }
            out.number(Int(m.minorUnits))
            return true
        }
        func instant(_ value: Date) -> Bool {
            out.append(UInt8(ascii: "\""))
            guard out.instant(value) else { return false }
            out.append(UInt8(ascii: "\""))
            return true
        }
        /// `[day, amount, paid]`: a promise's, an installment's or a settlement's terms.
        func terms(_ date: CivilDate, _ amountValue: Money, _ paid: Money) -> Bool {
            out.append(UInt8(ascii: "["))
            day(date)
            out.append(UInt8(ascii: ","))
            guard amount(amountValue) else { return false }
            out.append(UInt8(ascii: ","))
            guard amount(paid) else { return false }
            out.append(UInt8(ascii: "]"))
            return true
        }
        /// A raw value of the lifecycle's enumerations: plain by construction.
        func name(_ value: String) {
            out.append(UInt8(ascii: "\""))
            out.append(value)
            out.append(UInt8(ascii: "\""))
        }
        func count(_ name: StaticString, _ value: Int) {
            guard value != 0 else { return }
            key(name)
            out.number(value)
        }
        out.raw(compactMark)
        out.raw("\"id\":")
        guard quoted(s.accountID) else { return nil }
        key("kind"); name(s.debtorKind.rawValue)
        key("cur"); guard quoted(currency.code) else { return nil }
        key("opened"); day(s.openedOn)
        key("stage"); name(s.stage.rawValue)
        if let v = s.stageSince { key("since"); day(v) }
        key("status"); name(s.status.rawValue)
        if let v = s.resumeStatus { key("resume"); name(v.rawValue) }
        key("v"); out.number(s.version)
        key("bal"); guard amount(s.balance) else { return nil }
        key("inv")
        out.append(UInt8(ascii: "["))
        for (i, id) in s.openInvoices.keys.sorted().enumerated() {
            guard let invoice = s.openInvoices[id] else { return nil }
            out.raw(i == 0 ? "[" : ",[")
            guard quoted(id) else { return nil }
            out.append(UInt8(ascii: ","))
            day(invoice.due)
            out.append(UInt8(ascii: ","))
            guard amount(invoice.outstanding) else { return nil }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "]"))
        if let v = s.lastTick { key("tick"); day(v) }
        if let p = s.promise { key("promise"); guard terms(p.due, p.amount, p.paid) else { return nil } }
        if let plan = s.plan {
            key("plan")
            out.append(UInt8(ascii: "["))
            for (i, installment) in plan.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                guard terms(installment.due, installment.amount, installment.paid) else { return nil }
            }
            out.append(UInt8(ascii: "]"))
        }
        if let t = s.settlement { key("settle"); guard terms(t.expires, t.amount, t.paid) else { return nil } }
        count("kept", s.promisesKept)
        count("broken", s.promisesBroken)
        count("missed", s.installmentsMissed)
        count("calls", s.callAttempts)
        count("talks", s.conversations)
        if let v = s.lastContactAt { key("contact"); guard instant(v) else { return nil } }
        if let v = s.callbackAt { key("callback"); guard instant(v) else { return nil } }
        if !s.lettersSent.isEmpty {
            key("letters")
            out.append(UInt8(ascii: "["))
            for (i, letter) in s.lettersSent.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                guard quoted(letter.rawValue) else { return nil }
            }
            out.append(UInt8(ascii: "]"))
        }
        if s.ceased { key("ceased"); out.raw("true") }
        if let v = s.disputeReason { key("dispute"); guard quoted(v) else { return nil } }
        if let v = s.holdReason { key("hold"); guard quoted(v) else { return nil } }
        if let v = s.attorney { key("attorney"); guard quoted(v) else { return nil } }
        if let v = s.assignee { key("assignee"); guard quoted(v) else { return nil } }
        if let v = s.placedOn { key("placed"); day(v) }
        out.append(UInt8(ascii: "}"))
        return out.string
    }
}
