import CasebookKit

/// A vendor whose public status Casebook reads: its name in configuration and messages, the base
/// URL of its status host (no trailing slash), and which API that host speaks.
public struct Provider: Sendable, Equatable, Codable, Hashable {
    /// The status API the host speaks.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Atlassian Statuspage's public API (`/api/v2/summary.json`), also any host that copies it.
        case statuspage
        /// Heroku's own `/api/v4/current-status`.
        case heroku
        /// The Slack Status API 2.0.0 (`/api/v2.0.0/current`).
        case slack
    }

    /// Lowercase id (`github`), as written in `providers`.
    public var name: String
    /// What people read (`GitHub`).
    public var title: String
    public var url: String
    public var kind: Kind

    public init(name: String, title: String? = nil, url: String, kind: Kind = .statuspage) {
        self.name = name
        self.title = title ?? name
        self.url = url
        self.kind = kind
    }

    /// The one request a reading takes: everything a snapshot shows is in this document.
    public var statusURL: String {
        switch kind {
        case .statuspage: url + "/api/v2/summary.json"
        case .heroku: url + "/api/v4/current-status"
        case .slack: url + "/api/v2.0.0/current"
        }
    }

    /// The page people open (the host itself for all three APIs).
    public var pageURL: String { url }
}
