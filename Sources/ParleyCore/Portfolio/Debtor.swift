/// Whether the debtor is a company (commercial debt) or a person (consumer debt, where the
/// contact rules of Regulation F apply).
public enum DebtorKind: String, Codable, Sendable, CaseIterable {
    case business
    case consumer
}

/// A way to reach someone at the debtor.
public struct Contact: Hashable, Codable, Sendable {
    public var name: String
    public var phone: String?
    public var email: String?
    public var address: String?

    public init(name: String, phone: String? = nil, email: String? = nil, address: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.address = address
    }
}

/// The party that owes. Its time zone decides when it may be called.
public struct Debtor: Hashable, Codable, Sendable {
    public var name: String
    public var kind: DebtorKind
    public var contacts: [Contact]
    /// IANA zone such as "America/Chicago"; nil when unknown (the contact rules then allow only
    /// hours convenient in every zone of the country or region).
    public var timeZone: String?
    /// ISO 3166-1 alpha-2, e.g. "US", "GB", "DE".
    public var country: String
    /// State or region within the country ("CA", "NY"), when known.
    public var region: String?

    public init(name: String, kind: DebtorKind, contacts: [Contact] = [], timeZone: String?, country: String, region: String? = nil) {
        self.name = name
        self.kind = kind
        self.contacts = contacts
        self.timeZone = timeZone
        self.country = country
        self.region = region
    }
}
