public import CasebookKit
import Foundation

extension FakePagerDuty {
    /// An object PagerDuty refers to by id and shows by name (policies, schedules).
    public struct Reference: Sendable, Hashable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// A PagerDuty user; `email` is how Casebook matches them to Slack users.
    public struct User: Sendable, Hashable {
        public var id: String
        public var name: String
        public var email: String
        public var timeZone: String
        public var role: String
        public var jobTitle: String

        public init(id: String, name: String, email: String, timeZone: String = "Etc/UTC", role: String = "user", jobTitle: String = "") {
            self.id = id
            self.name = name
            self.email = email
            self.timeZone = timeZone
            self.role = role
            self.jobTitle = jobTitle
        }
    }

    /// A service incidents are opened on (`POST /incidents` names it).
    public struct Service: Sendable, Hashable {
        public var id: String
        public var name: String
        public var escalationPolicy: Reference

        public init(id: String, name: String, escalationPolicy: Reference) {
            self.id = id
            self.name = name
            self.escalationPolicy = escalationPolicy
        }
    }

    /// Who is on call for a policy level and when; a nil `schedule` is a direct user target, a nil
    /// `start` or `end` an open-ended on-call (as `GET /oncalls` reports them).
    public struct OnCall: Sendable, Hashable {
        public var userID: String
        public var escalationPolicy: Reference
        public var level: Int
        public var schedule: Reference?
        public var start: Date?
        public var end: Date?

        public init(userID: String, escalationPolicy: Reference, level: Int, schedule: Reference? = nil, start: Date? = nil, end: Date? = nil) {
            self.userID = userID
            self.escalationPolicy = escalationPolicy
            self.level = level
            self.schedule = schedule
            self.start = start
            self.end = end
        }

        /// Whether the on-call overlaps `since...until`.
        func overlaps(since: Date, until: Date) -> Bool {
            (start.map { $0 <= until } ?? true) && (end.map { $0 > since } ?? true)
        }
    }

    public struct Link: Sendable, Hashable {
        public var href: String
        public var text: String?

        public init(href: String, text: String? = nil) {
            self.href = href
            self.text = text
        }
    }

    public struct Image: Sendable, Hashable {
        public var src: String
        public var href: String?
        public var alt: String?

        public init(src: String, href: String? = nil, alt: String? = nil) {
            self.src = src
            self.href = href
            self.alt = alt
        }
    }

    /// An alert event `/v2/enqueue` accepted (202), decoded for assertions.
    public struct AcceptedEvent: Sendable {
        public enum Action: String, Sendable, CaseIterable {
            case trigger, acknowledge, resolve
        }

        public var action: Action
        public var routingKey: String
        /// As sent, or the one the fake generated for a trigger without one.
        public var dedupKey: String
        public var summary: String?
        public var severity: String?
        public var source: String?
        public var customDetails: JSONValue?
        public var links: [Link]
        public var images: [Image]
        /// The whole event as sent.
        public var body: JSONValue
        public var receivedAt: Date
    }

    /// A change event `/v2/change/enqueue` accepted.
    public struct ChangeEvent: Sendable {
        public var routingKey: String
        public var summary: String
        public var source: String?
        public var customDetails: JSONValue?
        public var links: [Link]
        public var body: JSONValue
        public var receivedAt: Date
    }

    /// An alert as the events made it: repeat triggers fold into it while it is open.
    public struct Alert: Sendable, Hashable {
        public enum Status: String, Sendable {
            case triggered, acknowledged, resolved
        }

        public var routingKey: String
        public var dedupKey: String
        public var summary: String
        public var severity: String
        public var source: String
        public var status: Status
        /// Triggers folded into this alert, the first included.
        public var triggerCount: Int
        public var createdAt: Date

        public var isOpen: Bool { status != .resolved }
    }

    /// An incident created through the REST API (`POST /incidents`).
    public struct Incident: Sendable, Hashable {
        public var id: String
        public var number: Int
        public var title: String
        public var serviceID: String
        public var incidentKey: String
        /// `triggered`, `acknowledged` or `resolved`.
        public var status: String
        public var urgency: String
        /// The `From` header of the request that created it.
        public var createdBy: String
        public var details: JSONValue?
        public var createdAt: Date

        public var isOpen: Bool { status != "resolved" }
        public var htmlURL: String { "\(FakePagerDuty.webURL)/incidents/\(id)" }
    }
}

extension FakePagerDuty.Link {
    init?(_ json: JSONValue) {
        guard let href = json["href"]?.string, !href.isEmpty else { return nil }
        self.init(href: href, text: json["text"]?.string)
    }
}

extension FakePagerDuty.Image {
    init?(_ json: JSONValue) {
        guard let src = json["src"]?.string, !src.isEmpty else { return nil }
        self.init(src: src, href: json["href"]?.string, alt: json["alt"]?.string)
    }
}
