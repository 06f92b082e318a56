import CasebookKit
import CasesPlugin

extension StatusProvidersPlugin {
    /// A `/case vendors` waiting for the providers' answers.
    struct SnapshotDelivery: Codable, Sendable, Equatable {
        var channelID: String
        var responseURL: String
        var placement: SnapshotMessage.Placement
    }

    /// A Refresh click waiting for the providers' answers.
    struct SnapshotRefresh: Codable, Sendable, Equatable {
        var selection: SnapshotMessage.Selection
        var placement: SnapshotMessage.Placement
        var message: MessageRef?
        var responseURL: String?
    }

    static let deliverSnapshot = JobKey<SnapshotDelivery>("deliver_snapshot")
    static let refreshSnapshot = JobKey<SnapshotRefresh>("refresh_snapshot")

    /// `/case vendors`: acks at once ("Checking N providers…"); a job reads them and posts the
    /// snapshot in the channel inside a case channel (so Refresh can update it for everyone),
    /// privately through the command's `response_url` elsewhere.
    func vendorsCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        guard let responseURL = command.responseURL else { throw UserFacingError("Slack sent this command without a response URL; try again.") }
        let inCase = await CaseDirectory(context: context).case(inChannel: command.channelID) != nil
        let delivery = SnapshotDelivery(channelID: command.channelID, responseURL: responseURL, placement: inCase ? .channel : .ephemeral)
        try await context.jobs.schedule(Self.deliverSnapshot, delivery, at: context.clock.now())
        let count = configuration.providers.count
        return .ephemeral("Checking \(count) provider\(count == 1 ? "" : "s")…")
    }

    func deliverSnapshotJob(_ delivery: SnapshotDelivery, _ context: PluginContext) async throws {
        let message = await snapshot(.all, placement: delivery.placement, context)
        switch delivery.placement {
        case .channel: _ = try await context.slack.postMessage(channel: delivery.channelID, message)
        case .ephemeral: try await context.respond(to: delivery.responseURL, message)
        }
    }

    /// Refresh: acks at once; a job re-reads (within the cache) and updates the same message.
    func refreshButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let parts = (action.value ?? "").split(separator: ":").map(String.init)
        let selection = parts.first.flatMap(SnapshotMessage.Selection.init(rawValue:)) ?? .all
        let placement = parts.dropFirst().first.flatMap(SnapshotMessage.Placement.init(rawValue:)) ?? .channel
        var message: MessageRef?
        if let channel = action.channelID, let ts = action.messageTS { message = MessageRef(channel: channel, ts: ts) }
        let refresh = SnapshotRefresh(selection: selection, placement: placement, message: message, responseURL: action.responseURL)
        try await context.jobs.schedule(Self.refreshSnapshot, refresh, at: context.clock.now())
        return .ack
    }

    func refreshSnapshotJob(_ refresh: SnapshotRefresh, _ context: PluginContext) async throws {
        let message = await snapshot(refresh.selection, placement: refresh.placement, context)
        if refresh.placement == .channel, let ref = refresh.message {
            try await context.slack.updateMessage(ref, message)
        } else if let responseURL = refresh.responseURL {
            try await context.respond(to: responseURL, message, replacing: true)
        }
    }

    /// Reads every provider (through the cache) and renders the snapshot.
    func snapshot(_ selection: SnapshotMessage.Selection, placement: SnapshotMessage.Placement, _ context: PluginContext) async -> Message {
        let readings = await reader.read(configuration.providers, context)
        return SnapshotMessage.make(configuration.providers, readings, selection: selection, placement: placement, at: context.clock.now())
    }

}
