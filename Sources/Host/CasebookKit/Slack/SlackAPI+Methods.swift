/// Typed calls for the methods an incident bot uses (reference/slack.md §5.2).
/// Nothing here reads message content: there is no history, replies or search call.
extension SlackAPI {
    @discardableResult
    public func postMessage(channel: String, _ message: Message, threadTS: String? = nil) async throws -> MessageRef {
        try message.validate()
        var arguments = message.json
        arguments["channel"] = .string(channel)
        if let threadTS { arguments["thread_ts"] = .string(threadTS) }
        let response = try await call("chat.postMessage", arguments)
        return MessageRef(channel: response["channel"]?.string ?? channel, ts: response["ts"]?.string ?? "")
    }

    public func postEphemeral(channel: String, user: String, _ message: Message) async throws {
        try message.validate()
        var arguments = message.json
        arguments["channel"] = .string(channel)
        arguments["user"] = .string(user)
        _ = try await call("chat.postEphemeral", arguments)
    }

    public func updateMessage(_ ref: MessageRef, _ message: Message) async throws {
        try message.validate()
        var arguments = message.json
        arguments["channel"] = .string(ref.channel)
        arguments["ts"] = .string(ref.ts)
        if message.blocks.isEmpty { arguments["blocks"] = .array([]) }
        _ = try await call("chat.update", arguments)
    }

    public func deleteMessage(_ ref: MessageRef) async throws {
        _ = try await call("chat.delete", ["channel": .string(ref.channel), "ts": .string(ref.ts)])
    }

    /// A link to a message; the only thing Casebook keeps of a message it is pointed at.
    public func permalink(channel: String, messageTS: String) async throws -> String {
        let response = try await call("chat.getPermalink", ["channel": .string(channel), "message_ts": .string(messageTS)])
        return response["permalink"]?.string ?? ""
    }

    public func createChannel(name: String, isPrivate: Bool = false) async throws -> Channel {
        let response = try await call("conversations.create", ["name": .string(name), "is_private": .bool(isPrivate)])
        return Channel(json: response["channel"] ?? .null)
    }

    /// Invites users (at most 100 per call; longer lists are sent in batches). Users already in the
    /// channel are not an error.
    public func invite(channel: String, users: [String]) async throws {
        let unique = Array(NSOrderedSet(array: users).compactMap { $0 as? String })
        var start = 0
        while start < unique.count {
            let batch = unique[start..<min(start + 100, unique.count)]
            start += 100
            do {
                _ = try await call("conversations.invite", [
                    "channel": .string(channel), "users": .string(batch.joined(separator: ",")), "force": true,
                ])
            } catch let error as SlackAPIError where error.code == "already_in_channel" {
                continue
            }
        }
    }

    public func setTopic(channel: String, _ topic: String) async throws {
        _ = try await call("conversations.setTopic", ["channel": .string(channel), "topic": .string(topic)])
    }

    public func setPurpose(channel: String, _ purpose: String) async throws {
        _ = try await call("conversations.setPurpose", ["channel": .string(channel), "purpose": .string(purpose)])
    }

    public func archive(channel: String) async throws {
        do {
            _ = try await call("conversations.archive", ["channel": .string(channel)])
        } catch let error as SlackAPIError where error.code == "already_archived" {
            return
        }
    }

    public func join(channel: String) async throws {
        _ = try await call("conversations.join", ["channel": .string(channel)])
    }

    public func channelInfo(_ channel: String) async throws -> Channel {
        let response = try await call("conversations.info", ["channel": .string(channel)])
        return Channel(json: response["channel"] ?? .null)
    }

    /// Every member of a channel, following `next_cursor`.
    public func members(of channel: String) async throws -> [String] {
        var members: [String] = []
        var cursor = ""
        repeat {
            var arguments: [String: JSONValue] = ["channel": .string(channel), "limit": 200]
            if !cursor.isEmpty { arguments["cursor"] = .string(cursor) }
            let response = try await call("conversations.members", arguments)
            members += response["members"]?.array?.compactMap(\.string) ?? []
            cursor = response["response_metadata"]?["next_cursor"]?.string ?? ""
        } while !cursor.isEmpty
        return members
    }

    public func userInfo(_ user: String) async throws -> SlackUser {
        let response = try await call("users.info", ["user": .string(user)])
        return SlackUser(json: response["user"] ?? .null)
    }

    /// The member with this e-mail address (`users.lookupByEmail`, scope `users:read.email`);
    /// nil when nobody in the workspace has it.
    public func lookupUser(email: String) async throws -> SlackUser? {
        do {
            let response = try await call("users.lookupByEmail", ["email": .string(email)])
            return SlackUser(json: response["user"] ?? .null)
        } catch let error as SlackAPIError where error.code == "users_not_found" {
            return nil
        }
    }

    public func userGroupMembers(_ usergroup: String) async throws -> [String] {
        let response = try await call("usergroups.users.list", ["usergroup": .string(usergroup)])
        return response["users"]?.array?.compactMap(\.string) ?? []
    }

    @discardableResult
    public func openView(triggerID: String, _ view: View) async throws -> String {
        try view.validate()
        let response = try await call("views.open", ["trigger_id": .string(triggerID), "view": view.json])
        return response["view"]?["id"]?.string ?? ""
    }

    @discardableResult
    public func pushView(triggerID: String, _ view: View) async throws -> String {
        try view.validate()
        let response = try await call("views.push", ["trigger_id": .string(triggerID), "view": view.json])
        return response["view"]?["id"]?.string ?? ""
    }

    public func updateView(id: String, _ view: View) async throws {
        try view.validate()
        _ = try await call("views.update", ["view_id": .string(id), "view": view.json])
    }

    /// Publishes `user`'s Home tab (`views.publish`), replacing what they saw before.
    public func publishHome(user: String, _ view: HomeView) async throws {
        try view.validate()
        _ = try await call("views.publish", ["user_id": .string(user), "view": view.json])
    }

    public func pin(_ ref: MessageRef) async throws {
        do {
            _ = try await call("pins.add", ["channel": .string(ref.channel), "timestamp": .string(ref.ts)])
        } catch let error as SlackAPIError where error.code == "already_pinned" {
            return
        }
    }

    public func addBookmark(channel: String, title: String, link: String) async throws {
        _ = try await call("bookmarks.add", [
            "channel_id": .string(channel), "title": .string(title), "type": "link", "link": .string(link),
        ])
    }

    public func addReaction(_ ref: MessageRef, name: String) async throws {
        do {
            _ = try await call("reactions.add", ["channel": .string(ref.channel), "timestamp": .string(ref.ts), "name": .string(name)])
        } catch let error as SlackAPIError where error.code == "already_reacted" {
            return
        }
    }

    /// Uploads a file and shares it in a channel (files.getUploadURLExternal, an upload, then
    /// files.completeUploadExternal). The upload step goes through ``SlackFileUploading``.
    public func uploadFile(channel: String, filename: String, title: String, data: Data, comment: String? = nil) async throws {
        try await shareUpload(channel: channel, filename: filename, title: title, length: data.count, comment: comment) { url in
            try await upload(url: url, data: data)
        }
    }

    /// Uploads a file from disk without reading it into memory, for exports of any size.
    public func uploadFile(channel: String, filename: String, title: String, contentsOf file: URL, comment: String? = nil) async throws {
        let length = try await BlockingIO.run {
            (try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        }
        try await shareUpload(channel: channel, filename: filename, title: title, length: length, comment: comment) { url in
            guard let uploader = self as? any SlackFileUploading else {
                throw SlackAPIError(method: "files.upload", code: "upload_not_supported")
            }
            try await uploader.upload(url: url, file: file, length: length)
        }
    }

    private func shareUpload(
        channel: String, filename: String, title: String, length: Int, comment: String?, send: (String) async throws -> Void
    ) async throws {
        let ticket = try await call("files.getUploadURLExternal", ["filename": .string(filename), "length": .number(Double(length))])
        guard let url = ticket["upload_url"]?.string, let fileID = ticket["file_id"]?.string else {
            throw SlackAPIError(method: "files.getUploadURLExternal", code: "invalid_response")
        }
        try await send(url)
        var arguments: [String: JSONValue] = [
            "files": .array([["id": .string(fileID), "title": .string(title)]]), "channel_id": .string(channel),
        ]
        if let comment { arguments["initial_comment"] = .string(comment) }
        _ = try await call("files.completeUploadExternal", arguments)
    }

    /// Opens (or finds) the direct message channel between the bot and a user.
    public func openDirectMessage(with user: String) async throws -> String {
        let response = try await call("conversations.open", ["users": .string(user)])
        return response["channel"]?["id"]?.string ?? ""
    }
}

/// The byte upload step of the external upload flow, which is a plain POST to a URL Slack hands out.
public protocol SlackFileUploading: Sendable {
    func upload(url: String, data: Data) async throws
    /// Streams `length` bytes of `file` to the upload URL.
    func upload(url: String, file: URL, length: Int) async throws
}

extension SlackAPI {
    public func upload(url: String, data: Data) async throws {
        guard let uploader = self as? any SlackFileUploading else {
            throw SlackAPIError(method: "files.upload", code: "upload_not_supported")
        }
        try await uploader.upload(url: url, data: data)
    }
}
