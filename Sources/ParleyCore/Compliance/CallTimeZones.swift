/// The IANA zones a debtor may be in when only the country (and perhaps the state or province)
/// is known. With the zone unknown, a call is allowed only at an instant that is inside the
/// calling hours in every one of these zones.
///
/// The United States set covers the 50 states and DC: Eastern, Central, Mountain, Arizona,
/// Pacific, Alaska, the Aleutians (America/Adak) and Hawaii. Hawaii (UTC−10, no daylight
/// saving) makes the country-wide window narrow: 08:00 in Honolulu is 13:00 EST in winter and
/// 14:00 EDT in summer, so a US consumer whose zone is unknown can be called only from 13:00
/// (winter) or 14:00 (summer) to 21:00 Eastern. The territories (PR, VI, GU, MP, AS) are listed
/// as regions but left out of the country-wide set: with Guam (UTC+10) and American Samoa
/// (UTC−11) the window would all but vanish; a debtor there needs the region recorded.
/// Countries missing from the table cannot be checked without a zone.
public enum CallTimeZones {
    /// Zones of a country's regions (ISO 3166-2 subdivision codes without the country prefix).
    public static let regions: [String: [String: [String]]] = [
        "US": [
            "AL": ["America/Chicago"],
            "AK": ["America/Anchorage", "America/Adak"],
            "AZ": ["America/Phoenix", "America/Denver"],  // the Navajo Nation keeps daylight saving
            "AR": ["America/Chicago"],
            "CA": ["America/Los_Angeles"],
            "CO": ["America/Denver"],
            "CT": ["America/New_York"],
            "DE": ["America/New_York"],
            "DC": ["America/New_York"],
            "FL": ["America/New_York", "America/Chicago"],
            "GA": ["America/New_York"],
            "HI": ["Pacific/Honolulu"],
            "ID": ["America/Boise", "America/Los_Angeles"],
            "IL": ["America/Chicago"],
            "IN": ["America/Indiana/Indianapolis", "America/Chicago"],
            "IA": ["America/Chicago"],
            "KS": ["America/Chicago", "America/Denver"],
            "KY": ["America/Kentucky/Louisville", "America/Chicago"],
            "LA": ["America/Chicago"],
            "ME": ["America/New_York"],
            "MD": ["America/New_York"],
            "MA": ["America/New_York"],
            "MI": ["America/Detroit", "America/Menominee"],
            "MN": ["America/Chicago"],
            "MS": ["America/Chicago"],
            "MO": ["America/Chicago"],
            "MT": ["America/Denver"],
            "NE": ["America/Chicago", "America/Denver"],
            "NV": ["America/Los_Angeles", "America/Denver"],  // West Wendover keeps Mountain time
            "NH": ["America/New_York"],
            "NJ": ["America/New_York"],
            "NM": ["America/Denver"],
            "NY": ["America/New_York"],
            "NC": ["America/New_York"],
            "ND": ["America/Chicago", "America/Denver"],
            "OH": ["America/New_York"],
            "OK": ["America/Chicago"],
            "OR": ["America/Los_Angeles", "America/Boise"],
            "PA": ["America/New_York"],
            "RI": ["America/New_York"],
            "SC": ["America/New_York"],
            "SD": ["America/Chicago", "America/Denver"],
            "TN": ["America/Chicago", "America/New_York"],
            "TX": ["America/Chicago", "America/Denver"],
            "UT": ["America/Denver"],
            "VT": ["America/New_York"],
            "VA": ["America/New_York"],
            "WA": ["America/Los_Angeles"],
            "WV": ["America/New_York"],
            "WI": ["America/Chicago"],
            "WY": ["America/Denver"],
            "PR": ["America/Puerto_Rico"],
            "VI": ["America/St_Thomas"],
            "GU": ["Pacific/Guam"],
            "MP": ["Pacific/Saipan"],
            "AS": ["Pacific/Pago_Pago"],
        ],
        "CA": [
            "NL": ["America/St_Johns", "America/Goose_Bay"],
            "NS": ["America/Halifax"],
            "NB": ["America/Moncton"],
            "PE": ["America/Halifax"],
            "QC": ["America/Toronto", "America/Blanc-Sablon"],
            "ON": ["America/Toronto", "America/Winnipeg"],
            "MB": ["America/Winnipeg"],
            "SK": ["America/Regina"],
            "AB": ["America/Edmonton"],
            "BC": ["America/Vancouver", "America/Creston", "America/Fort_Nelson"],
            "YT": ["America/Whitehorse"],
            "NT": ["America/Edmonton", "America/Inuvik"],
            "NU": ["America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay"],
        ],
        "AU": [
            "NSW": ["Australia/Sydney", "Australia/Broken_Hill", "Australia/Lord_Howe"],
            "ACT": ["Australia/Sydney"],
            "VIC": ["Australia/Melbourne"],
            "QLD": ["Australia/Brisbane"],
            "SA": ["Australia/Adelaide"],
            "WA": ["Australia/Perth"],
            "TAS": ["Australia/Hobart"],
            "NT": ["Australia/Darwin"],
        ],
    ]

    /// Zones of whole countries. For US, CA and AU: the union of the regions above, less the US
    /// territories.
    public static let countries: [String: [String]] = {
        var table: [String: [String]] = [
            "GB": ["Europe/London"],
            "IE": ["Europe/Dublin"],
            "DE": ["Europe/Berlin"],
            "FR": ["Europe/Paris"],  // metropolitan France
            "ES": ["Europe/Madrid", "Atlantic/Canary"],
            "IT": ["Europe/Rome"],
            "NL": ["Europe/Amsterdam"],
            "JP": ["Asia/Tokyo"],
            "IN": ["Asia/Kolkata"],
            "NZ": ["Pacific/Auckland"],
            "MX": ["America/Mexico_City", "America/Cancun", "America/Chihuahua", "America/Hermosillo",
                   "America/Mazatlan", "America/Tijuana"],
            "BR": ["America/Noronha", "America/Sao_Paulo", "America/Manaus", "America/Cuiaba",
                   "America/Rio_Branco"],
        ]
        let territories: Set<String> = ["PR", "VI", "GU", "MP", "AS"]
        for (country, regions) in regions {
            var zones: [String] = []
            for (code, list) in regions.sorted(by: { $0.key < $1.key }) where !(country == "US" && territories.contains(code)) {
                for zone in list where !zones.contains(zone) { zones.append(zone) }
            }
            table[country] = zones
        }
        return table
    }()

    /// The zones to check for a debtor of this country and region: the region's when the table
    /// knows it, else the country's, else nil.
    public static func candidates(country: String, region: String?) -> [String]? {
        let c = country.uppercased()
        if let region, let zones = regions[c]?[region.uppercased()] { return zones }
        return countries[c]
    }
}
