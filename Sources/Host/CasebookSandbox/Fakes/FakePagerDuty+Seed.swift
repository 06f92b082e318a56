import Foundation

extension FakePagerDuty {
    /// The seeded account's integration key (32 alphanumerics, not a ruleset `R…` key) and API token.
    public static let seededRoutingKey = "e93facc04764012d7bfb002500d5d1a6"
    public static let seededAPIToken = "u+CasebookSimPD00001"

    /// A realistic account for tests and the playground, matching the Slack simulator's people
    /// by e-mail (alice, bob, carol @casebook.test):
    /// - service `PSVCAPI` "Casebook API" on policy `PPLATFM` "Platform"
    /// - Platform: level 1 alice this week on schedule `PSCHPLT`, then bob next week; level 2 carol, permanently
    /// - `PPAYMNT` "Payments": level 1 bob on schedule `PSCHPAY`; level 2 alice, permanently
    public static func seeded(now: @escaping @Sendable () -> Date = { Date() }) -> FakePagerDuty {
        let users = [
            User(id: "PALICE1", name: "Alice Archer", email: "alice@casebook.test", timeZone: "Europe/Berlin", role: "admin", jobTitle: "SRE"),
            User(id: "PBOBBY2", name: "Bob Baker", email: "bob@casebook.test", timeZone: "Europe/Berlin", jobTitle: "Backend engineer"),
            User(id: "PCAROL3", name: "Carol Chen", email: "carol@casebook.test", timeZone: "America/New_York", jobTitle: "Engineering manager"),
        ]
        let platform = Reference(id: "PPLATFM", name: "Platform")
        let payments = Reference(id: "PPAYMNT", name: "Payments")
        let platformRotation = Reference(id: "PSCHPLT", name: "Platform primary rotation")
        let paymentsRotation = Reference(id: "PSCHPAY", name: "Payments primary rotation")
        // Shifts turn over at midnight UTC, two days ago and five days ahead of the seeding.
        let today = Calendar(identifier: .gregorian).startOfDay(for: now())
        let shiftStart = today.addingTimeInterval(-2 * 86_400)
        let shiftEnd = today.addingTimeInterval(5 * 86_400)
        let nextEnd = shiftEnd.addingTimeInterval(7 * 86_400)
        let oncalls = [
            OnCall(userID: "PALICE1", escalationPolicy: platform, level: 1, schedule: platformRotation, start: shiftStart, end: shiftEnd),
            OnCall(userID: "PBOBBY2", escalationPolicy: platform, level: 1, schedule: platformRotation, start: shiftEnd, end: nextEnd),
            OnCall(userID: "PCAROL3", escalationPolicy: platform, level: 2),
            OnCall(userID: "PBOBBY2", escalationPolicy: payments, level: 1, schedule: paymentsRotation, start: shiftStart, end: shiftEnd),
            OnCall(userID: "PALICE1", escalationPolicy: payments, level: 2),
        ]
        return FakePagerDuty(
            routingKeys: [seededRoutingKey], apiTokens: [seededAPIToken], users: users,
            services: [Service(id: "PSVCAPI", name: "Casebook API", escalationPolicy: platform)],
            oncalls: oncalls, now: now)
    }
}
