import Foundation
import ParleyCore

/// Reads a stored `CaseState` without `JSONDecoder`: the JSON `StoreCodec` writes for it (sorted
/// keys, no spaces, strings without escapes, instants in whole seconds) read byte by byte. A queue
/// page reads the state of every row it shows, the run of every case it steps; measured on the
/// 200,000-account benchmark (release, `perf record` of `parley bench open`), `JSONDecoder` took
/// 15% of key-to-frame time, about 60 µs a state. Anything else (an escape, a pending approval, a
/// key it does not know) returns nil and the caller uses `JSONDecoder`; `FastJSONTests` checks
/// that both read every state of the demo, run for weeks, the same.
struct FastStateDecoder {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func decode(_ text: String) -> CaseState? {
        var text = text
        return text.withUTF8 { buffer in
            var reader = FastStateDecoder(buffer)
            guard let state = reader.state(), reader.i == buffer.count else { return nil }
            return state
        }
    }

    /// A state from its UTF-8 bytes as SQLite hands them over, without a `String` made first.
    static func decode(bytes buffer: UnsafeBufferPointer<UInt8>) -> CaseState? {
        var reader = FastStateDecoder(buffer)
        guard let state = reader.state(), reader.i == buffer.count else { return nil }
        return state
    }

    /// An event payload of the shapes `FastJSON.event` writes (the import's and the run's: most
    /// of any log), nil for the others; a history pane reads a case's whole log on every account
    /// opened.
    static func event(_ text: String) -> CaseEvent? {
        var text = text
        return text.withUTF8 { buffer in
            var reader = FastStateDecoder(buffer)
            guard let event = reader.event(), reader.i == buffer.count else { return nil }
            return event
        }
    }

    private mutating func event() -> CaseEvent? {
        var event: CaseEvent?
        guard object({ r, kind in
            guard event == nil else { return false }
            var amount: Money?, day: CivilDate?, id: String?, text: String?, currency: Currency?
            var invoices: [OpeningInvoice]?
            guard r.object({ r, key in
                switch key {
                case "invoices":
                    switch kind { case "opened": break; default: return false }
                    guard invoices == nil else { return false }
                    var read: [OpeningInvoice] = []
                    guard r.array({ r in
                        // `[id, due, amount, currency]`, or an object in logs written before.
                        if r.take(UInt8(ascii: "[")) {
                            guard let id = r.string(), r.take(UInt8(ascii: ",")), let due = r.date(), r.take(UInt8(ascii: ",")),
                                  let amount = r.stringBytes(), r.take(UInt8(ascii: ",")), let currency = r.currency(), r.take(UInt8(ascii: "]")),
                                  let money = Money.canonical(utf8: amount, currency: currency) else { return false }
                            read.append(OpeningInvoice(id: id, amount: money, due: due))
                            return true
                        }
                        var amount: Money?, due: CivilDate?, id: String?
                        guard r.object({ r, key in
                            switch key {
                            case "amount": amount = r.money(); return amount != nil
                            case "due": due = r.date(); return due != nil
                            case "id": id = r.string(); return id != nil
                            default: return false
                            }
                        }), let amount, let due, let id else { return false }
                        read.append(OpeningInvoice(id: id, amount: amount, due: due))
                        return true
                    }) else { return false }
                    invoices = read
                    return true
                case "amount": amount = r.money(); return amount != nil
                case "due", "on": day = r.date(); return day != nil
                case "invoiceID", "accountID": id = r.string(); return id != nil
                case "to", "_0", "debtorKind": text = r.string(); return text != nil
                case "currency": currency = r.currency(); return currency != nil
                default: return false
                }
            }) else { return false }
            switch kind {
            case "invoiceAdded":
                guard let id, let amount, let day, text == nil, currency == nil else { return false }
                event = .invoiceAdded(invoiceID: id, amount: amount, due: day)
            case "paymentReceived":
                guard let amount, let day, id == nil, text == nil, currency == nil else { return false }
                event = .paymentReceived(amount: amount, on: day)
            case "opened":
                guard let id, let currency, let day, let kind = text.flatMap(DebtorKind.init(rawValue:)), amount == nil else { return false }
                event = .opened(accountID: id, debtorKind: kind, currency: currency, on: day, invoices: invoices)
            case "escalated":
                guard let day, let stage = text.flatMap(Stage.init(rawValue:)), id == nil, amount == nil, currency == nil else { return false }
                event = .escalated(to: stage, on: day)
            case "letterSent":
                guard let day, let letter = text.flatMap(LetterKind.init(rawValue:)), id == nil, amount == nil, currency == nil else { return false }
                event = .letterSent(letter, on: day)
            default:
                return false
            }
            return true
        }) else { return nil }
        return event
    }

    // MARK: Tokens

    private mutating func take(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    private mutating func string() -> String? {
        stringBytes().map { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func integer() -> Int? {
        var negative = false
        if take(UInt8(ascii: "-")) { negative = true }
        var value = 0
        var digits = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(bytes[i] - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
            digits += 1
            i += 1
        }
        return digits > 0 ? (negative ? -value : value) : nil
    }

    private mutating func bool() -> Bool? {
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    private mutating func matches(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        let base = word.utf8Start
        for k in 0..<count where bytes[i + k] != base[k] { return false }
        i += count
        return true
    }

    /// An object's key, its bytes where they lie: matched against the keys a case spells
    /// (`~=`) without a `String` made of it (comparing `String`s key after key was a tenth of
    /// reading a state, `perf record` of the first daily run at 200,000 accounts).
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>
        var string: String { String(decoding: bytes, as: UTF8.self) }

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            let count = pattern.utf8CodeUnitCount
            guard count == key.bytes.count else { return false }
            guard count > 0, let base = key.bytes.baseAddress else { return true }
            return memcmp(pattern.utf8Start, base, count) == 0
        }
    }

    /// The bytes of a string without escapes, between its quotes.
    private mutating func stringBytes() -> UnsafeBufferPointer<UInt8>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<i])
                i += 1
                return text
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// `{"key":value,...}`, calling `field` after each key's colon; false on a malformed object or
    /// when `field` refuses a key.
    private mutating func object(_ field: (inout FastStateDecoder, Key) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = stringBytes(), take(UInt8(ascii: ":")), field(&self, Key(bytes: key)) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    private mutating func array(_ element: (inout FastStateDecoder) -> Bool) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

    // MARK: Values

    /// `"2026-11-23"` read from the bytes (a state holds a dozen dates: making a `String` of
    /// each for `CivilDate(iso:)` was a tenth of reading a state); any other text goes to it.
    private mutating func date() -> CivilDate? {
        if i + 12 <= bytes.count, bytes[i] == UInt8(ascii: "\""), bytes[i + 11] == UInt8(ascii: "\""),
           let day = Self.isoDay(UnsafeBufferPointer(rebasing: bytes[(i + 1)..<(i + 11)])) {
            i += 12
            return day
        }
        return string().flatMap(CivilDate.init(iso:))
    }

    /// `YYYY-MM-DD` of ten ASCII digits and dashes as `CivilDate(iso:)` reads it, nil otherwise.
    static func isoDay(_ u: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ from: Int, _ to: Int) -> Int? {
            var value = 0
            for k in from..<to {
                let d = Int(u[k]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let y = digits(0, 4), let m = digits(5, 7), let d = digits(8, 10) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    /// An instant as `.iso8601` writes it (`2026-11-11T06:50:00Z`), nil for any other text.
    static func instant(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { instant(bytes: $0) }
    }

    private static func instant(bytes u: UnsafeBufferPointer<UInt8>) -> Date? {
        guard u.count == 20, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"), u[19] == UInt8(ascii: "Z"),
              let day = isoDay(UnsafeBufferPointer(rebasing: u[0..<10])) else { return nil }
        func two(_ at: Int) -> Int? {
            let a = Int(u[at]) - 48, b = Int(u[at + 1]) - 48
            return (0...9).contains(a) && (0...9).contains(b) ? a * 10 + b : nil
        }
        guard let h = two(11), let m = two(14), let s = two(17), h < 24, m < 60, s < 60 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 + h * 3_600 + m * 60 + s))
    }

    /// An instant as `.iso8601` writes it: `2026-11-11T06:50:00Z`.
    private mutating func instant() -> Date? {
        guard i + 22 <= bytes.count, bytes[i] == UInt8(ascii: "\""), bytes[i + 21] == UInt8(ascii: "\""),
              let date = Self.instant(bytes: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<(i + 21)])) else { return nil }
        i += 22
        return date
    }

    /// The last currency read, by its code's bytes: a state's amounts are all in its currency
    /// (a state read a currency up to a dozen times, each a `String` and a dictionary lookup).
    private var lastCurrency: (code: UnsafeBufferPointer<UInt8>, currency: Currency)?

    private mutating func currency() -> Currency? {
        guard let code = stringBytes() else { return nil }
        if let last = lastCurrency, last.code.count == code.count, let a = last.code.baseAddress, let b = code.baseAddress,
           memcmp(a, b, code.count) == 0 {
            return last.currency
        }
        guard let currency = try? Currency(code: String(decoding: code, as: UTF8.self)) else { return nil }
        lastCurrency = (code, currency)
        return currency
    }

    private mutating func money() -> Money? {
        var amount: UnsafeBufferPointer<UInt8>?
        var currency: Currency?
        guard object({ r, key in
            switch key {
            case "amount": amount = r.stringBytes(); return amount != nil
            case "currency": currency = r.currency(); return currency != nil
            default: return false
            }
        }), let amount, let currency else { return nil }
        return Money.canonical(utf8: amount, currency: currency)
    }

    /// `{"amount":…,"<dateKey>":…,"paid":…}`: an installment, a promise's or a settlement's terms.
    private mutating func terms(dateKey: StaticString) -> (Money, CivilDate, Money)? {
        var amount: Money?, day: CivilDate?, paid: Money?
        guard object({ r, key in
            switch key {
            case "amount": amount = r.money(); return amount != nil
            case dateKey: day = r.date(); return day != nil
            case "paid": paid = r.money(); return paid != nil
            default: return false
            }
        }), let amount, let day, let paid else { return nil }
        return (amount, day, paid)
    }

    // MARK: The state

    /// Every key JSONEncoder always writes: the state's non-optional fields.
    private static let requiredKeys: Set<String> = [
        "accountID", "balance", "callAttempts", "ceased", "conversations", "currency", "debtorKind", "installmentsMissed",
        "lettersSent", "openInvoices", "openedOn", "promisesBroken", "promisesKept", "stage", "status", "version",
    ]

    /// The fields every state has, read into `s` (both forms read them last, having filled the
    /// optional ones into a state begun with placeholders).
    private static func setRequired(_ s: inout CaseState, _ accountID: String, _ debtorKind: DebtorKind, _ currency: Currency, _ openedOn: CivilDate,
                                    _ stage: Stage, _ status: Status, _ balance: Money, _ version: Int) {
        s.accountID = accountID
        s.debtorKind = debtorKind
        s.currency = currency
        s.openedOn = openedOn
        s.stage = stage
        s.status = status
        s.balance = balance
        s.version = version
    }

    /// A state in either of the forms the store writes: the compact one (`{"f":2,…}`,
    /// `FastJSON.compactState`) or the long one of `JSONEncoder`.
    private mutating func state() -> CaseState? {
        matches(FastJSON.compactMark) ? compactState() : longState()
    }

    /// Whether the text is a state in the compact form, which only `FastStateDecoder` reads.
    static func isCompact(_ text: String) -> Bool {
        let mark = FastJSON.compactMark
        return text.utf8.starts(with: UnsafeBufferPointer(start: mark.utf8Start, count: mark.utf8CodeUnitCount))
    }

    /// The compact form after its mark: its keys in any order, each required one once, the
    /// optional ones at most once.
    private mutating func compactState() -> CaseState? {
        var s = CaseState(accountID: "", debtorKind: .business, currency: .usd, openedOn: CivilDate(daysSinceEpoch: 0))
        var accountID: String?, debtorKind: DebtorKind?, currency: Currency?, openedOn: CivilDate?
        var stage: Stage?, status: Status?, balance: Int?, version: Int?
        var invoices: [(id: String, due: CivilDate, outstanding: Int)]?
        var promise: (CivilDate, Int, Int)?, plan: [(CivilDate, Int, Int)]?, settlement: (CivilDate, Int, Int)?
        var seen: UInt64 = 0
        /// False when `bit`'s key was read before.
        func first(_ bit: Int) -> Bool {
            let mask: UInt64 = 1 << UInt64(bit)
            guard seen & mask == 0 else { return false }
            seen |= mask
            return true
        }
        func terms(_ r: inout FastStateDecoder) -> (CivilDate, Int, Int)? {
            guard r.take(UInt8(ascii: "[")), let day = r.date(), r.take(UInt8(ascii: ",")), let amount = r.integer(),
                  r.take(UInt8(ascii: ",")), let paid = r.integer(), r.take(UInt8(ascii: "]")) else { return nil }
            return (day, amount, paid)
        }
        // The mark is read: the first key follows.
        repeat {
            guard let keyBytes = stringBytes(), take(UInt8(ascii: ":")) else { return nil }
            switch Key(bytes: keyBytes) {
            case "id": guard first(0), let v = string() else { return nil }; accountID = v
            case "kind": guard first(1), let v = string().flatMap(DebtorKind.init(rawValue:)) else { return nil }; debtorKind = v
            case "cur": guard first(2), let v = self.currency() else { return nil }; currency = v
            case "opened": guard first(3), let v = date() else { return nil }; openedOn = v
            case "stage": guard first(4), let v = string().flatMap(Stage.init(rawValue:)) else { return nil }; stage = v
            case "status": guard first(5), let v = string().flatMap(Status.init(rawValue:)) else { return nil }; status = v
            case "v": guard first(6), let v = integer() else { return nil }; version = v
            case "bal": guard first(7), let v = integer() else { return nil }; balance = v
            case "inv":
                var read: [(id: String, due: CivilDate, outstanding: Int)] = []
                guard first(8), array({ r in
                    guard r.take(UInt8(ascii: "[")), let id = r.string(), r.take(UInt8(ascii: ",")), let due = r.date(),
                          r.take(UInt8(ascii: ",")), let outstanding = r.integer(), r.take(UInt8(ascii: "]")) else { return false }
                    read.append((id, due, outstanding))
                    return true
                }) else { return nil }
                invoices = read
            case "since": guard first(9), let v = date() else { return nil }; s.stageSince = v
            case "resume": guard first(10), let v = string().flatMap(Status.init(rawValue:)) else { return nil }; s.resumeStatus = v
            case "tick": guard first(11), let v = date() else { return nil }; s.lastTick = v
            case "promise": guard first(12), let v = terms(&self) else { return nil }; promise = v
            case "plan":
                var read: [(CivilDate, Int, Int)] = []
                guard first(13), array({ r in
                    guard let t = terms(&r) else { return false }
                    read.append(t)
                    return true
                }) else { return nil }
                plan = read
            case "settle": guard first(14), let v = terms(&self) else { return nil }; settlement = v
            // The counts, the flag and the letters are written only when not at their defaults.
            case "kept": guard first(15), let v = integer(), v != 0 else { return nil }; s.promisesKept = v
            case "broken": guard first(16), let v = integer(), v != 0 else { return nil }; s.promisesBroken = v
            case "missed": guard first(17), let v = integer(), v != 0 else { return nil }; s.installmentsMissed = v
            case "calls": guard first(18), let v = integer(), v != 0 else { return nil }; s.callAttempts = v
            case "talks": guard first(19), let v = integer(), v != 0 else { return nil }; s.conversations = v
            case "contact": guard first(20), let v = instant() else { return nil }; s.lastContactAt = v
            case "callback": guard first(21), let v = instant() else { return nil }; s.callbackAt = v
            case "letters":
                var letters: [LetterKind] = []
                guard first(22), array({ r in
                    guard let kind = r.string().flatMap(LetterKind.init(rawValue:)) else { return false }
                    letters.append(kind)
                    return true
                }), !letters.isEmpty else { return nil }
                s.lettersSent = letters
            case "ceased": guard first(23), matches("true") else { return nil }; s.ceased = true
            case "dispute": guard first(24), let v = string() else { return nil }; s.disputeReason = v
            case "hold": guard first(25), let v = string() else { return nil }; s.holdReason = v
            case "attorney": guard first(26), let v = string() else { return nil }; s.attorney = v
            case "assignee": guard first(27), let v = string() else { return nil }; s.assignee = v
            case "placed": guard first(28), let v = date() else { return nil }; s.placedOn = v
            default: return nil
            }
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")), let accountID, let debtorKind, let currency, let openedOn, let stage, let status, let balance,
              let version, let invoices else { return nil }
        func money(_ minor: Int) -> Money { Money(minorUnits: Int64(minor), currency: currency) }
        Self.setRequired(&s, accountID, debtorKind, currency, openedOn, stage, status, money(balance), version)
        var open = [String: CaseState.OpenInvoice](minimumCapacity: invoices.count)
        for invoice in invoices {
            guard open.updateValue(CaseState.OpenInvoice(due: invoice.due, outstanding: money(invoice.outstanding)), forKey: invoice.id) == nil else { return nil }
        }
        s.openInvoices = open
        if let (due, amount, paid) = promise { s.promise = CaseState.PromiseTerms(amount: money(amount), due: due, paid: money(paid)) }
        if let plan { s.plan = plan.map { Installment(due: $0.0, amount: money($0.1), paid: money($0.2)) } }
        if let (expires, amount, paid) = settlement { s.settlement = CaseState.SettlementTerms(amount: money(amount), expires: expires, paid: money(paid)) }
        return s
    }

    private mutating func longState() -> CaseState? {
        var accountID: String?, debtorKind: DebtorKind?, currency: Currency?, openedOn: CivilDate?
        var stage: Stage?, status: Status?, balance: Money?, version: Int?
        var s = CaseState(accountID: "", debtorKind: .business, currency: .usd, openedOn: CivilDate(daysSinceEpoch: 0))
        // Each required key is counted where it is read (not looked up in `requiredKeys`).
        var seen = 0
        let ok = object { r, key in
            switch key {
            case "accountID":
                seen += 1
                accountID = r.string(); return accountID != nil
            case "assignee": guard let v = r.string() else { return false }; s.assignee = v
            case "attorney": guard let v = r.string() else { return false }; s.attorney = v
            case "balance":
                seen += 1
                balance = r.money(); return balance != nil
            case "callAttempts":
                seen += 1
                guard let v = r.integer() else { return false }; s.callAttempts = v
            case "callbackAt": guard let v = r.instant() else { return false }; s.callbackAt = v
            case "ceased":
                seen += 1
                guard let v = r.bool() else { return false }; s.ceased = v
            case "conversations":
                seen += 1
                guard let v = r.integer() else { return false }; s.conversations = v
            case "currency":
                seen += 1
                currency = r.currency(); return currency != nil
            case "debtorKind":
                seen += 1
                debtorKind = r.string().flatMap(DebtorKind.init(rawValue:)); return debtorKind != nil
            case "disputeReason": guard let v = r.string() else { return false }; s.disputeReason = v
            case "holdReason": guard let v = r.string() else { return false }; s.holdReason = v
            case "installmentsMissed":
                seen += 1
                guard let v = r.integer() else { return false }; s.installmentsMissed = v
            case "lastContactAt": guard let v = r.instant() else { return false }; s.lastContactAt = v
            case "lastTick": guard let v = r.date() else { return false }; s.lastTick = v
            case "lettersSent":
                seen += 1
               
                var letters: [LetterKind] = []
                guard r.array({ r in
                    guard let kind = r.string().flatMap(LetterKind.init(rawValue:)) else { return false }
                    letters.append(kind)
                    return true
                }) else { return false }
                s.lettersSent = letters
            case "openInvoices":
                seen += 1
               
                var invoices: [String: CaseState.OpenInvoice] = [:]
                guard r.object({ r, id in
                    var due: CivilDate?, outstanding: Money?
                    guard r.object({ r, key in
                        switch key {
                        case "due": due = r.date(); return due != nil
                        case "outstanding": outstanding = r.money(); return outstanding != nil
                        default: return false
                        }
                    }), let due, let outstanding else { return false }
                    invoices[id.string] = CaseState.OpenInvoice(due: due, outstanding: outstanding)
                    return true
                }) else { return false }
                s.openInvoices = invoices
            case "openedOn":
                seen += 1
                openedOn = r.date(); return openedOn != nil
            case "placedOn": guard let v = r.date() else { return false }; s.placedOn = v
            case "plan":
                var plan: [Installment] = []
                guard r.array({ r in
                    guard let (amount, due, paid) = r.terms(dateKey: "due") else { return false }
                    plan.append(Installment(due: due, amount: amount, paid: paid))
                    return true
                }) else { return false }
                s.plan = plan
            case "promise":
                guard let (amount, due, paid) = r.terms(dateKey: "due") else { return false }
                s.promise = CaseState.PromiseTerms(amount: amount, due: due, paid: paid)
            case "promisesBroken":
                seen += 1
                guard let v = r.integer() else { return false }; s.promisesBroken = v
            case "promisesKept":
                seen += 1
                guard let v = r.integer() else { return false }; s.promisesKept = v
            case "resumeStatus": guard let v = r.string().flatMap(Status.init(rawValue:)) else { return false }; s.resumeStatus = v
            case "settlement":
                guard let (amount, expires, paid) = r.terms(dateKey: "expires") else { return false }
                s.settlement = CaseState.SettlementTerms(amount: amount, expires: expires, paid: paid)
            case "stage":
                seen += 1
                stage = r.string().flatMap(Stage.init(rawValue:)); return stage != nil
            case "stageSince": guard let v = r.date() else { return false }; s.stageSince = v
            case "status":
                seen += 1
                status = r.string().flatMap(Status.init(rawValue:)); return status != nil
            case "version":
                seen += 1
                version = r.integer(); return version != nil
            default:
                // pendingApproval and anything new: JSONDecoder reads it.
                return false
            }
            return true
        }
        guard ok, seen == Self.requiredKeys.count, let accountID, let debtorKind, let currency, let openedOn, let stage, let status, let balance, let version else { return nil }
        Self.setRequired(&s, accountID, debtorKind, currency, openedOn, stage, status, balance, version)
        return s
    }
}
