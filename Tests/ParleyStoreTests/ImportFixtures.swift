import ParleyCore
@testable import ParleyStore

enum ImportFixtures {
    static let accounts = """
    account_id,debtor_name,debtor_kind,contact_name,phone,email,address,country,region,time_zone,currency,assignee
    A-1,Acme Supply Inc.,business,Robert Miller,+1 212 555 0142,ap@acme.example.com,"12 Main Street, New York, NY 10001",US,NY,America/New_York,USD,alice
    A-2,株式会社山田商事,business,山田 太郎,+81 3 5550 1234,,,JP,,Asia/Tokyo,JPY,bob
    A-3,Zoë Walker,consumer,,,,,GB,,,GBP,

    """

    static let invoices = """
    invoice_id,account_id,issued_on,due_on,amount,currency,disputed
    I-1,A-1,2026-09-01,2026-10-01,1234.56,USD,false
    I-2,A-2,2026-08-01,2026-08-31,150000,JPY,yes
    I-3,A-3,2026-10-01,2026-10-15,99.5,,

    """

    static let payments = """
    payment_id,account_id,invoice_id,paid_on,amount
    P-1,A-1,I-1,2026-10-10,234.56
    P-2,A-3,,2026-10-20,10

    """

    static func files(accounts: String = accounts, invoices: String = invoices, payments: String = payments, history: String? = nil) -> ImportFiles {
        ImportFiles(accounts: .text(accounts, name: "accounts.csv"), invoices: .text(invoices, name: "invoices.csv"),
                    payments: .text(payments, name: "payments.csv"), history: history.map { .text($0, name: "history.csv") })
    }
}
