import CasebookKit
import Synchronization

/// Refuses people from other organisations (Slack Connect) and, if configured, guests. Events pass:
/// they are not commands, and plugins check who they act for.
public struct UserPolicy: DispatchMiddleware {
    let installation: Installation
    let refuseExternal: Bool
    let refuseGuests: Bool
    let directory: UserDirectory

    public init(installation: Installation, refuseExternal: Bool, refuseGuests: Bool, directory: UserDirectory) {
        self.installation = installation
        self.refuseExternal = refuseExternal
        self.refuseGuests = refuseGuests
        self.directory = directory
    }

    public func handle(_ invocation: Invocation, next: @Sendable (Invocation) async throws -> Reply) async throws -> Reply {
        if case .event = invocation { return try await next(invocation) }
        guard refuseExternal || refuseGuests, let userID = invocation.userID, !userID.isEmpty else {
            return try await next(invocation)
        }
        // Slack Connect user ids can carry another team in the payload before any lookup.
        if refuseExternal && !invocation.teamID.isEmpty && invocation.teamID != installation.teamID {
            throw UserFacingError("Casebook is only available to members of this workspace.")
        }
        let user = try await directory.user(userID)
        if refuseExternal && user.isExternal(to: installation.teamID) {
            throw UserFacingError("Casebook is only available to members of this workspace.")
        }
        if refuseGuests && user.isGuest {
            throw UserFacingError("Guests can't use Casebook in this workspace. Ask a member to do it for you.")
        }
        // Handed on to the handler's context, so plugins need not fetch the user again.
        return try await InvocationFacts.$user.withValue(user) { try await next(invocation) }
    }
}

/// `users.info` with a short-lived cache, so policy checks cost one Web API call per user per few minutes.
public final class UserDirectory: Sendable {
    let slack: any SlackAPI
    let ttl: TimeInterval
    let cache = Mutex<[String: (user: SlackUser, fetched: Date)]>([:])

    public init(slack: any SlackAPI, ttl: TimeInterval = 300) {
        self.slack = slack
        self.ttl = ttl
    }

    public func user(_ id: String) async throws -> SlackUser {
        let now = Date()
        if let cached = cache.withLock({ $0[id] }), now.timeIntervalSince(cached.fetched) < ttl {
            return cached.user
        }
        let user = try await slack.userInfo(id)
        cache.withLock { $0[id] = (user, now) }
        return user
    }
}
