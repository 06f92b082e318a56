import CasebookKit
import SlackSimulator
import Testing

@Suite struct SocketModeTests {
    @Test func helloEnvelopeAndAckRoundTrip() async throws {
        try await SlackSimulator.withRunning { sim in
            let url = try await openSocketURL(sim)
            #expect(url.hasPrefix("ws://127.0.0.1:"))
            #expect(url.contains("/link/?ticket="))
            let client = SocketClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run(url: url, ackPayload: ["text": "Case opened"]) }
                var frames = client.frames.makeAsyncIterator()
                let hello = try #require(await frames.nextJSON())
                #expect(hello["type"]?.string == "hello")
                #expect(hello["num_connections"]?.int == 1)
                #expect(hello["connection_info"]?["app_id"]?.string == "A0CASEBOOK")
                #expect(hello["debug_info"]?["approximate_connection_time"]?.int != nil)
                #expect(sim.openSocketCount == 1)

                let command = try sim.slashCommand(user: "alice", channel: "incidents", command: "/case", text: "open DB down")
                let ack = try await sim.deliver(.slashCommands, payload: command)
                #expect(ack.acked)
                #expect(ack.payload?["text"]?.string == "Case opened")
                let envelope = try #require(await frames.nextJSON())
                #expect(envelope["type"]?.string == "slash_commands")
                #expect(envelope["envelope_id"]?.string == ack.envelopeID)
                #expect(envelope["accepts_response_payload"]?.bool == true)
                #expect(envelope["payload"]?["text"]?.string == "open DB down")
                #expect(envelope["payload"]?["is_enterprise_install"]?.bool == false)
                // The immediate reply is shown to the invoking user only (ephemeral by default).
                #expect(sim.ephemeralMessages(for: "alice").map(\.text) == ["Case opened"])

                let event = try sim.appMention(user: "bob", channel: "incidents", text: "help")
                let first = try await sim.deliver(.eventsAPI, payload: event)
                let again = try await sim.redeliver(event, attempt: 1, reason: "http_timeout")
                #expect(first.acked && again.acked)
                _ = await frames.next()
                let retry = try #require(await frames.nextJSON())
                #expect(retry["retry_attempt"]?.int == 1)
                #expect(retry["retry_reason"]?.string == "http_timeout")
                #expect(retry["payload"]?["event_id"] == event["event_id"])
                #expect(sim.acks.count == 3)
                group.cancelAll()
            }
        }
    }

    @Test func ticketsAreSingleUse() async throws {
        try await SlackSimulator.withRunning { sim in
            let url = try await openSocketURL(sim)
            let client = SocketClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run(url: url) }
                var frames = client.frames.makeAsyncIterator()
                #expect(await frames.nextJSON()?["type"]?.string == "hello")
                await #expect(throws: (any Error).self) { try await SocketClient().run(url: url) }
                #expect(sim.openSocketCount == 1)
                #expect(sim.acceptedSocketCount == 1)
                group.cancelAll()
            }
        }
    }

    @Test func disconnectFramesAndUnackedDeliveries() async throws {
        try await SlackSimulator.withRunning { sim in
            let url = try await openSocketURL(sim)
            let client = SocketClient()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run(url: url, ack: false) }
                var frames = client.frames.makeAsyncIterator()
                _ = await frames.next()
                let shortcut = try sim.globalShortcut(user: "alice", callbackID: "declare")
                let ack = try await sim.deliver(.interactive, payload: shortcut, timeout: .milliseconds(100))
                #expect(!ack.acked)
                _ = await frames.next()
                try await sim.sendDisconnect(.refreshRequested)
                let frame = try #require(await frames.nextJSON())
                #expect(frame["type"]?.string == "disconnect")
                #expect(frame["reason"]?.string == "refresh_requested")
                try await sim.sendDisconnect(.warning, closeAfter: .milliseconds(50))
                #expect(await frames.nextJSON()?["reason"]?.string == "warning")
                // The socket is closed by the server shortly after the warning.
                #expect(await frames.next() == nil)
                try await sim.waitForSockets(0)
                group.cancelAll()
            }
        }
    }

    @Test func aSocketToldToRefreshGetsNoNewDeliveriesWhileAnotherIsOpen() async throws {
        try await SlackSimulator.withRunning { sim in
            let first = SocketClient(), second = SocketClient()
            let firstURL = try await openSocketURL(sim), secondURL = try await openSocketURL(sim)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await first.run(url: firstURL) }
                try await sim.waitForSockets(1)
                group.addTask { try await second.run(url: secondURL) }
                try await sim.waitForSockets(2)
                let retiring = try #require(sim.openSockets.first)
                try await sim.sendDisconnect(.refreshRequested, to: retiring)
                let command = try sim.slashCommand(user: "alice", channel: "incidents", command: "/case", text: "list")
                var connections: [Int] = []
                for _ in 0..<4 { connections.append(try await sim.deliver(.slashCommands, payload: command).connection) }
                #expect(!connections.contains(retiring), "\(connections)")
                group.cancelAll()
            }
        }
    }

    @Test func droppedSocketIsGone() async throws {
        try await SlackSimulator.withRunning { sim in
            let client = SocketClient()
            let url = try await openSocketURL(sim)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try? await client.run(url: url) }
                var frames = client.frames.makeAsyncIterator()
                _ = await frames.next()
                try sim.dropSocket()
                #expect(await frames.next() == nil)
                try await sim.waitForSockets(0)
                await #expect(throws: SimulatorError.self) { try await sim.deliver(.eventsAPI, payload: sim.event(["type": "x"])) }
                group.cancelAll()
            }
        }
    }
}
