import CasebookKit

/// Refuses deliveries from workspaces not on `host.allowed_workspaces` (empty list: any workspace).
public struct WorkspaceAllowlist: DispatchMiddleware {
    let allowed: Set<String>

    public init(allowed: [String]) { self.allowed = Set(allowed) }

    public func handle(_ invocation: Invocation, next: @Sendable (Invocation) async throws -> Reply) async throws -> Reply {
        guard allowed.isEmpty || allowed.contains(invocation.teamID) else {
            if case .event = invocation { return .ack }
            throw UserFacingError("Casebook is not enabled for this workspace.")
        }
        return try await next(invocation)
    }
}
