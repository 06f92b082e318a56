import CasebookKit

/// `allowed_workspaces`, the Cases plugin's own setting (enforced as well as the host's
/// allowlist), as one middleware on the plugin's interactive routes: a command, button, shortcut or
/// form from another workspace is refused in words, an event from there is ignored.
struct AllowedWorkspaces: RouteMiddleware {
    static let reason = "Cases are not enabled for this workspace."

    let configuration: CasesPlugin.Configuration
    /// A form whose refusal shows on this input block instead of as a message (the Start modal).
    var fieldError: String? = nil

    func handle(
        _ request: RouteRequest, context: InvocationContext, next: @Sendable (InvocationContext) async throws -> any Sendable
    ) async throws -> any Sendable {
        guard configuration.allowsWorkspace(context.teamID) else {
            if let fieldError { return Reply.viewErrors([fieldError: Self.reason]) }
            throw RouteRefusal(Self.reason)
        }
        return try await next(context)
    }
}

extension CasesPlugin {
    var allowedWorkspaces: AllowedWorkspaces { AllowedWorkspaces(configuration: configuration) }
}
