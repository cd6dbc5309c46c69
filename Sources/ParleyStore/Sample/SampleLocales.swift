/// Where a sample debtor lives: names, addresses, phone numbers, zones and currency of a country.
/// Offsets are the zones' standard offsets, used only to write history times readably; the
/// instants themselves are exact.
struct SampleLocale: Sendable {
    struct Region: Sendable {
        var code: String?
        var zone: String
        var utcOffsetHours: Int
        var city: String
        var phonePrefix: String
    }

    var country: String
    var currency: String
    /// Weight out of 100 in a generated portfolio.
    var weight: Int
    var regions: [Region]
    var businessNames: [String]
    var businessKinds: [String]
    var businessSuffixes: [String]
    var givenNames: [String]
    var familyNames: [String]
    var familyFirst: Bool
    var streets: [String]
    var postcode: @Sendable (inout SplitMix64) -> String
    var streetNumberFirst: Bool
    var emailDomain: String

    func personName(_ rng: inout SplitMix64) -> String {
        let given = rng.pick(givenNames), family = rng.pick(familyNames)
        return familyFirst ? "\(family) \(given)" : "\(given) \(family)"
    }

    func businessName(_ rng: inout SplitMix64) -> String {
        let name = rng.pick(businessNames), kind = rng.pick(businessKinds), suffix = rng.pick(businessSuffixes)
        if country == "JP" {
            // 株式会社 before or after the name, as Japanese companies write it.
            return suffix == "株式会社" && rng.chance(50) ? "\(suffix)\(name)\(kind)" : "\(name)\(kind)\(suffix)"
        }
        return [name, kind, suffix].filter { !$0.isEmpty }.joined(separator: " ")
    }

    func address(_ rng: inout SplitMix64, region: Region) -> String {
        let number = rng.inRange(1...480), street = rng.pick(streets)
        let line = streetNumberFirst ? "\(number) \(street)" : "\(street) \(number)"
        let code = postcode(&rng)
        switch country {
        case "US", "CA", "AU": return "\(line), \(region.city), \(region.code ?? "") \(code)"
        case "JP": return "〒\(code) \(region.city) \(line)"
        default: return "\(line), \(code) \(region.city)"
        }
    }

    func phone(_ rng: inout SplitMix64, region: Region) -> String {
        var digits = ""
        for _ in 0..<4 { digits += String(rng.below(10)) }
        return "\(region.phonePrefix)\(digits)"
    }

    static func digits(_ n: Int, _ rng: inout SplitMix64) -> String {
        var s = ""
        for _ in 0..<n { s += String(rng.below(10)) }
        return s
    }

    static let englishGiven = ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "Aisha",
                               "Carlos", "Mei", "Priya", "Liam", "Olivia", "Noah", "Emma", "Zoë", "José", "Siobhán", "Kwame"]
    static let englishFamily = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez",
                                "O'Brien", "Nguyen", "Patel", "Kowalski", "Thompson", "Walker", "Okafor", "Chen"]
    static let englishBusiness = ["Acme", "Summit", "Harbor", "Pioneer", "Bluebird", "Granite", "Redwood", "Lakeside",
                                  "Northwind", "Crescent", "Evergreen", "Ironbridge", "Maple", "Silverline", "Keystone"]
    static let englishKinds = ["Supply", "Logistics", "Builders", "Foods", "Printing", "Electric", "Dental",
                               "Landscaping", "Motors", "Studios", "Hardware", "Medical"]
    static let englishStreets = ["Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Park Road", "High Street",
                                 "Church Street", "Station Road", "Lake View Drive", "King Street"]

    static let all: [SampleLocale] = [
        SampleLocale(
            country: "US", currency: "USD", weight: 35,
            regions: [
                Region(code: "NY", zone: "America/New_York", utcOffsetHours: -5, city: "New York", phonePrefix: "+1 212 555 "),
                Region(code: "MA", zone: "America/New_York", utcOffsetHours: -5, city: "Boston", phonePrefix: "+1 617 555 "),
                Region(code: "FL", zone: "America/New_York", utcOffsetHours: -5, city: "Miami", phonePrefix: "+1 305 555 "),
                Region(code: "IL", zone: "America/Chicago", utcOffsetHours: -6, city: "Chicago", phonePrefix: "+1 312 555 "),
                Region(code: "TX", zone: "America/Chicago", utcOffsetHours: -6, city: "Austin", phonePrefix: "+1 512 555 "),
                Region(code: "CO", zone: "America/Denver", utcOffsetHours: -7, city: "Denver", phonePrefix: "+1 303 555 "),
                Region(code: "AZ", zone: "America/Phoenix", utcOffsetHours: -7, city: "Phoenix", phonePrefix: "+1 602 555 "),
                Region(code: "CA", zone: "America/Los_Angeles", utcOffsetHours: -8, city: "Los Angeles", phonePrefix: "+1 213 555 "),
                Region(code: "WA", zone: "America/Los_Angeles", utcOffsetHours: -8, city: "Seattle", phonePrefix: "+1 206 555 "),
            ],
            businessNames: englishBusiness, businessKinds: englishKinds, businessSuffixes: ["Inc.", "LLC", "Co."],
            givenNames: englishGiven, familyNames: englishFamily, familyFirst: false,
            streets: englishStreets, postcode: { digits(5, &$0) }, streetNumberFirst: true, emailDomain: "example.com"),
        SampleLocale(
            country: "GB", currency: "GBP", weight: 15,
            regions: [
                Region(code: "ENG", zone: "Europe/London", utcOffsetHours: 0, city: "London", phonePrefix: "+44 20 7946 0"),
                Region(code: "ENG", zone: "Europe/London", utcOffsetHours: 0, city: "Manchester", phonePrefix: "+44 161 496 0"),
                Region(code: "SCT", zone: "Europe/London", utcOffsetHours: 0, city: "Edinburgh", phonePrefix: "+44 131 496 0"),
            ],
            businessNames: englishBusiness, businessKinds: englishKinds, businessSuffixes: ["Ltd", "PLC", "& Sons Ltd"],
            givenNames: englishGiven, familyNames: englishFamily, familyFirst: false,
            streets: englishStreets, postcode: { rng in "\(rng.pick(["SW1A", "M1", "EH1", "N7", "E2"])) \(rng.inRange(1...9))\(rng.pick(["AB", "QT", "XY", "HD"]))" },
            streetNumberFirst: true, emailDomain: "example.co.uk"),
        SampleLocale(
            country: "DE", currency: "EUR", weight: 12,
            regions: [
                Region(code: "BE", zone: "Europe/Berlin", utcOffsetHours: 1, city: "Berlin", phonePrefix: "+49 30 5550 "),
                Region(code: "BY", zone: "Europe/Berlin", utcOffsetHours: 1, city: "München", phonePrefix: "+49 89 5550 "),
                Region(code: "HH", zone: "Europe/Berlin", utcOffsetHours: 1, city: "Hamburg", phonePrefix: "+49 40 5550 "),
            ],
            businessNames: ["Müller", "Schröder", "Weiß", "Köhler", "Bäcker", "Fischer", "Hoffmann", "Krüger"],
            businessKinds: ["& Söhne", "Bau", "Logistik", "Technik", "Druckerei", "Gastronomie"],
            businessSuffixes: ["GmbH", "AG", "GmbH & Co. KG"],
            givenNames: ["Jürgen", "Anna", "Lukas", "Sophie", "Maximilian", "Käthe", "Jörg", "Lea"],
            familyNames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Groß"], familyFirst: false,
            streets: ["Hauptstraße", "Schillerstraße", "Goethestraße", "Bahnhofstraße", "Lindenallee", "Gartenweg"],
            postcode: { digits(5, &$0) }, streetNumberFirst: false, emailDomain: "example.de"),
        SampleLocale(
            country: "FR", currency: "EUR", weight: 10,
            regions: [
                Region(code: "IDF", zone: "Europe/Paris", utcOffsetHours: 1, city: "Paris", phonePrefix: "+33 1 99 00 "),
                Region(code: "ARA", zone: "Europe/Paris", utcOffsetHours: 1, city: "Lyon", phonePrefix: "+33 4 99 00 "),
                Region(code: "PAC", zone: "Europe/Paris", utcOffsetHours: 1, city: "Marseille", phonePrefix: "+33 4 91 00 "),
            ],
            businessNames: ["Café Noir", "Boulangerie Lefèvre", "Atelier Dupré", "Transports Gérard", "Hôtel Beauséjour",
                            "Éditions Mercier", "Garage Rousseau"],
            businessKinds: [""], businessSuffixes: ["SARL", "SAS", "SA"],
            givenNames: ["Amélie", "Léa", "Hélène", "Benoît", "François", "Chloé", "Théo", "Jérôme"],
            familyNames: ["Martin", "Bernard", "Dubois", "Lefèvre", "Girard", "Mercier", "Fontaine", "Rousseau"], familyFirst: false,
            streets: ["rue de la Paix", "avenue Victor Hugo", "boulevard Saint-Michel", "rue des Écoles", "place du Marché"],
            postcode: { digits(5, &$0) }, streetNumberFirst: true, emailDomain: "example.fr"),
        SampleLocale(
            country: "JP", currency: "JPY", weight: 8,
            regions: [
                Region(code: nil, zone: "Asia/Tokyo", utcOffsetHours: 9, city: "東京都千代田区", phonePrefix: "+81 3 5550 "),
                Region(code: nil, zone: "Asia/Tokyo", utcOffsetHours: 9, city: "大阪府大阪市", phonePrefix: "+81 6 5550 "),
            ],
            businessNames: ["山田", "佐藤", "田中", "鈴木", "高橋", "伊藤", "渡辺"],
            businessKinds: ["商事", "工務店", "製作所", "運輸", "フーズ", "電機", "印刷"],
            businessSuffixes: ["株式会社", "有限会社"],
            givenNames: ["太郎", "花子", "健", "美咲", "翔", "陽菜"],
            familyNames: ["山田", "佐藤", "田中", "鈴木", "高橋", "小林"], familyFirst: true,
            streets: ["丸の内1丁目", "梅田2丁目", "神田3丁目", "本町4丁目"],
            postcode: { "\(digits(3, &$0))-\(digits(4, &$0))" }, streetNumberFirst: false, emailDomain: "example.jp"),
        SampleLocale(
            country: "CA", currency: "CAD", weight: 10,
            regions: [
                Region(code: "ON", zone: "America/Toronto", utcOffsetHours: -5, city: "Toronto", phonePrefix: "+1 416 555 "),
                Region(code: "QC", zone: "America/Toronto", utcOffsetHours: -5, city: "Montréal", phonePrefix: "+1 514 555 "),
                Region(code: "BC", zone: "America/Vancouver", utcOffsetHours: -8, city: "Vancouver", phonePrefix: "+1 604 555 "),
                Region(code: "AB", zone: "America/Edmonton", utcOffsetHours: -7, city: "Calgary", phonePrefix: "+1 403 555 "),
            ],
            businessNames: englishBusiness, businessKinds: englishKinds, businessSuffixes: ["Inc.", "Ltd.", "Ltée"],
            givenNames: englishGiven, familyNames: englishFamily, familyFirst: false,
            streets: englishStreets, postcode: { rng in "\(rng.pick(["M5V", "H2X", "V6B", "T2P"])) \(digits(1, &rng))\(rng.pick(["A", "K", "R"]))\(digits(1, &rng))" },
            streetNumberFirst: true, emailDomain: "example.ca"),
        SampleLocale(
            country: "AU", currency: "AUD", weight: 10,
            regions: [
                Region(code: "NSW", zone: "Australia/Sydney", utcOffsetHours: 10, city: "Sydney", phonePrefix: "+61 2 5550 "),
                Region(code: "VIC", zone: "Australia/Melbourne", utcOffsetHours: 10, city: "Melbourne", phonePrefix: "+61 3 5550 "),
                Region(code: "QLD", zone: "Australia/Brisbane", utcOffsetHours: 10, city: "Brisbane", phonePrefix: "+61 7 5550 "),
                Region(code: "WA", zone: "Australia/Perth", utcOffsetHours: 8, city: "Perth", phonePrefix: "+61 8 5550 "),
            ],
            businessNames: englishBusiness, businessKinds: englishKinds, businessSuffixes: ["Pty Ltd"],
            givenNames: englishGiven, familyNames: englishFamily, familyFirst: false,
            streets: englishStreets, postcode: { digits(4, &$0) }, streetNumberFirst: true, emailDomain: "example.com.au"),
    ]
}
