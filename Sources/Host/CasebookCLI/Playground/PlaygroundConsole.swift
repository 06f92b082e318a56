import CasebookSandbox
import Foundation

/// The playground's console: slash commands as the current user, and `:` commands to switch user,
/// read channels, click elements, submit modals and use shortcuts.
struct PlaygroundConsole {
    let host: SandboxHost
    /// The integrations' fake services, for `:calls`.
    let fakes: [any IntegrationFake]
    var user = "alice"
    var channel = "general"
    let write: (String) -> Void

    static let help = """
        Type a slash command as the current user in the current channel, e.g. `/case open API latency up`.
          :as <user>                      act as another user (alice, bob, carol, dave = guest, erin = external)
          :channels                       list channels
          :open #<channel>                go to a channel and show it (buttons and selects are numbered)
          :show                           show the current channel again
          :say <text>                     post a message as the current user in the current channel
          :click <N> [choice]             click element N (for a select, give the option's value or text; for checkboxes, the box number to tick or untick)
          :modal                          show the modal open for the current user
          :submit [block=value …]         submit that modal (inputs as listed by :modal)
          :shortcut <callback_id> <M>     use a message shortcut on message M of the current channel (as numbered by :show)
          :global <callback_id>           use a global shortcut from the ⚡ menu (e.g. :global cases.start)
          :react <emoji> <M>              add a reaction to message M of the current channel (e.g. :react rotating_light 1)
          :home                           open the app's Home tab (Cases `home_tab: true`); :click N clicks its buttons
          :jobs                           list scheduled jobs
          :calls [service]                what the fake third-party services received (e.g. :calls pagerduty)
          :alert [firing|resolved] [title] post a signed Grafana OnCall webhook to the alerts plugin
          :help                           this list
          :quit                           leave
        """

    /// Runs one input line; returns false when the user asked to quit.
    mutating func run(_ line: String) async -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return true }
        do {
            if trimmed.hasPrefix("/") {
                try await slash(trimmed)
            } else if trimmed.hasPrefix(":") {
                return try await command(trimmed)
            } else {
                write("Slash commands start with /, console commands with : — try :help")
            }
        } catch {
            write("! \(error)")
        }
        return true
    }

    private func slash(_ line: String) async throws {
        let parts = line.split(separator: " ", maxSplits: 1)
        let command = String(parts[0])
        let expected = try host.app.configuration.host.slashCommand
        guard command == expected else {
            write("! This workspace's slash command is \(expected)")
            return
        }
        let text = parts.count > 1 ? String(parts[1]) : ""
        if let reply = try await host.slash(text, as: user, in: channel) {
            write("(\(reply.responseType == "in_channel" ? "in channel" : "only you see this")) \(host.simulator.plainText(reply.text))")
        } else {
            write("(acknowledged)")
        }
        try await Task.sleep(for: .milliseconds(150))
        try await showModalIfOpen()
    }

    private mutating func command(_ line: String) async throws -> Bool {
        let words = line.dropFirst().split(separator: " ").map(String.init)
        let arguments = Array(words.dropFirst())
        switch words.first ?? "" {
        case "quit", "q", "exit":
            return false
        case "help":
            write(Self.help)
        case "as":
            guard let name = arguments.first, let person = host.simulator.user(name) else {
                write("! no such user; try alice, bob, carol, dave or erin")
                return true
            }
            user = person.name
            write("You are now \(person.realName) (@\(person.name)\(person.isRestricted ? ", guest" : "")\(person.isStranger ? ", external" : "")).")
        case "channels":
            for conversation in host.simulator.conversations where !conversation.isIM {
                let flags = [conversation.isArchived ? "archived" : nil, conversation.isPrivate ? "private" : nil].compactMap { $0 }
                write("#\(conversation.name)  \(conversation.members.count) members\(flags.isEmpty ? "" : "  (" + flags.joined(separator: ", ") + ")")\(conversation.topic.value.isEmpty ? "" : "  — " + conversation.topic.value)")
            }
        case "open":
            guard let name = arguments.first, let conversation = findChannel(name.hasPrefix("#") ? String(name.dropFirst()) : name) else {
                write("! no such channel (or more than one starts so); try :channels")
                return true
            }
            channel = conversation.name
            show()
        case "show":
            show()
        case "say":
            let ts = try host.simulator.postAsUser(user, channel: channel, text: arguments.joined(separator: " "))
            write("posted (ts \(ts))")
        case "click":
            guard let number = arguments.first.flatMap(Int.init) else {
                write("! usage: :click <N> [choice]")
                return true
            }
            let payload = try host.simulator.click(number, user: user, choice: arguments.dropFirst().first)
            try await host.deliver(payload)
            try await Task.sleep(for: .milliseconds(150))
            try await showModalIfOpen()
            write("(clicked)")
        case "modal":
            write(host.simulator.renderModal(for: user) ?? "(no modal open)")
        case "submit":
            try await submit(arguments)
        case "shortcut":
            guard arguments.count == 2 else {
                write("! usage: :shortcut <callback_id> <message number>")
                return true
            }
            let messages = host.simulator.messages(in: channel)
            guard let index = Int(arguments[1]), messages.indices.contains(index - 1) else {
                write("! no message \(arguments[1]) in #\(channel); :show numbers them")
                return true
            }
            try await host.messageShortcut(arguments[0], as: user, channel: channel, messageTS: messages[index - 1].ts)
            try await Task.sleep(for: .milliseconds(150))
            try await showModalIfOpen()
        case "global":
            guard arguments.count == 1 else {
                write("! usage: :global <callback_id>, e.g. :global cases.start")
                return true
            }
            try await host.globalShortcut(arguments[0], as: user)
            try await Task.sleep(for: .milliseconds(150))
            try await showModalIfOpen()
        case "react":
            for line in try await PlaygroundReaction.react(arguments, as: user, in: channel, on: host) { write(line) }
        case "home":
            let simulator = host.simulator
            let published = simulator.calls(to: "views.publish").count
            try await host.openHome(as: user)
            // The app answers the event after its ack: wait a moment for the view it publishes.
            try? await host.waitUntil("the Home tab", timeout: .seconds(5)) { simulator.calls(to: "views.publish").count > published }
            write(host.simulator.renderingOfHome(for: user)?.text ?? "(the app published no Home tab; set home_tab: true in the cases config)")
        case "jobs":
            let jobs = try await host.app.database.listJobs()
            if jobs.isEmpty { write("no jobs") }
            for job in jobs { write("\(job.id) \(job.state) \(job.plugin).\(job.name) at \(job.runAt.formatted(date: .omitted, time: .standard))") }
        case "calls":
            // What the last command set off runs as jobs: let them finish first.
            try? await host.settleJobs(timeout: .seconds(5))
            let services = fakes.flatMap(\.fakeServices).filter { arguments.isEmpty || $0.name.hasPrefix(arguments[0]) }
            if services.isEmpty { write("! no such fake service; try: \(fakes.flatMap(\.fakeServices).map(\.name).joined(separator: ", "))") }
            for service in services {
                let calls = service.callLog()
                write("\(service.name): \(calls.isEmpty ? "no calls yet" : "\(calls.count) call(s)")")
                for call in calls { write("  \(call)") }
            }
        case "alert":
            guard host.isEnabled("alerts") else {
                write("! the alerts plugin is off; set ALERTS_WEBHOOK_TOKEN or switch it on in plugins.yaml")
                return true
            }
            write(try await PlaygroundAlert.post(arguments, to: host))
        default:
            write("! unknown console command; try :help")
        }
        return true
    }

    /// A channel by id, exact name, or a name prefix that only one channel has (case channels end in
    /// a random suffix nobody wants to type).
    private func findChannel(_ name: String) -> Conversation? {
        if let exact = host.simulator.channel(name) { return exact }
        let matches = host.simulator.conversations.filter { !$0.isIM && $0.name.hasPrefix(name) }
        return matches.count == 1 ? matches.first : nil
    }

    private func show() {
        write("── #\(channel) as @\(user) ──")
        let messages = host.simulator.messages(in: channel)
        let rendering = host.simulator.render(channel: channel, viewer: user)
        write(rendering.isEmpty ? "(no messages)" : rendering)
        if !messages.isEmpty { write("(\(messages.count) message(s); :shortcut uses these numbers in order)") }
    }

    private func showModalIfOpen() async throws {
        if let modal = host.simulator.renderModal(for: user) {
            write("── modal ──\n\(modal)\n(:submit block=value … to send it)")
        }
    }

    /// `:submit case=C123 note=hello` fills inputs by block id; each input block has one element.
    private func submit(_ arguments: [String]) async throws {
        guard let view = host.simulator.topView(for: user) else {
            write("! no modal open")
            return
        }
        var values: [String: [String: String]] = [:]
        for argument in arguments {
            let pair = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            let block = view.blocks.first { $0["block_id"]?.string == pair[0] }
            let actionID = block?["element"]?["action_id"]?.string ?? pair[0]
            values[pair[0], default: [:]][actionID] = pair[1]
        }
        let answer = try await host.submitTopView(as: user, values: values)
        if let errors = answer?["errors"]?.object {
            for (block, message) in errors { write("! \(block): \(message.string ?? "")") }
        } else {
            write("(submitted)")
            // A submission may answer with the modal's next screen (`response_action: update`), and
            // the jobs it sets off may update that screen again (`views.update`): show where it ends.
            try? await host.settleJobs(timeout: .seconds(5))
            try await showModalIfOpen()
        }
    }
}
