import CasebookKit

/// Linear's GraphQL API as the plugin uses it: `issueCreate` with a client-chosen id, and reading
/// an issue back by that id. One endpoint, `POST <api_url>`, the key sent as `Authorization: <key>`
/// (Linear wants no `Bearer` for a personal key). GraphQL errors come back as ``LinearError``
/// whether Linear sent them with HTTP 200 or 400.
struct LinearAPI: Sendable {
    static let service = "Linear"

    let url: String
    let apiKey: String
    let http: any OutboundHTTP

    init(_ configuration: LinearPostmortemPlugin.Configuration, http: any OutboundHTTP) {
        url = configuration.apiURL
        apiKey = configuration.apiKey
        self.http = http
    }

    /// What the plugin keeps of an issue.
    struct IssueLink: Sendable, Equatable, Codable {
        var id: String
        var identifier: String
        var url: String
    }

    /// `IssueCreateInput`, the fields a postmortem issue sets.
    struct NewIssue: Sendable, Equatable {
        /// The client-chosen UUID v4, stored before the call: a retry sends the same one.
        var id: String
        var teamID: String
        var projectID: String?
        var title: String
        var description: String
        var priority: Int
        var labelIDs: [String]
        /// `YYYY-MM-DD`.
        var dueDate: String?

        var input: JSONValue {
            var input: [String: JSONValue] = [
                "id": .string(id), "teamId": .string(teamID), "title": .string(title), "description": .string(description),
                "priority": .number(Double(priority)),
            ]
            if let projectID { input["projectId"] = .string(projectID) }
            if !labelIDs.isEmpty { input["labelIds"] = .array(labelIDs.map(JSONValue.string)) }
            if let dueDate { input["dueDate"] = .string(dueDate) }
            return .object(input)
        }
    }

    static let createMutation = """
        mutation PostmortemIssueCreate($input: IssueCreateInput!) {
          issueCreate(input: $input) { success issue { id identifier url } }
        }
        """

    static let issueQuery = """
        query PostmortemIssue($id: String!) {
          issue(id: $id) { id identifier url }
        }
        """

    /// Creates the issue. Safe to repeat: Linear refuses a second issue with the same id.
    func create(_ issue: NewIssue) async throws -> IssueLink {
        let data = try await send(Self.createMutation, operation: "PostmortemIssueCreate", variables: ["input": issue.input])
        guard data["issueCreate"]?["success"]?.bool == true, let link = Self.link(data["issueCreate"]?["issue"]) else {
            throw IntegrationError(integration: Self.service, kind: .invalidResponse("issueCreate did not return the issue"), retryable: true)
        }
        return link
    }

    /// The issue with this id, or nil when Linear has none ("Entity not found").
    func issue(id: String) async throws -> IssueLink? {
        do {
            let data = try await send(Self.issueQuery, operation: "PostmortemIssue", variables: ["id": .string(id)])
            return Self.link(data["issue"])
        } catch let error as LinearError where error.isNotFound {
            return nil
        }
    }

    /// One GraphQL request; the `data` object, or the first GraphQL error as a ``LinearError``.
    private func send(_ query: String, operation: String, variables: JSONValue) async throws -> JSONValue {
        let request = OutboundRequest.json(
            .post, url, integration: Self.service, body: ["query": .string(query), "operationName": .string(operation), "variables": variables],
            headers: ["Authorization": apiKey], retry: .safe, secrets: [apiKey])
        let response: OutboundResponse
        do {
            response = try await http.send(request)
        } catch let error as IntegrationError {
            // A 4xx with GraphQL errors (authentication, RATELIMITED, validation) says more than its status.
            if let status = error.status, let body = error.body, let json = try? JSONValue.decode(body),
               let linear = LinearError(json, httpStatus: status, headers: error.headers) {
                throw linear
            }
            throw error
        }
        let json = try response.json(integration: Self.service)
        if let linear = LinearError(json, httpStatus: response.status, headers: response.headers) { throw linear }
        guard let data = json["data"], data.object != nil else {
            throw IntegrationError(integration: Self.service, kind: .invalidResponse("the answer has no data"), retryable: true)
        }
        return data
    }

    private static func link(_ json: JSONValue?) -> IssueLink? {
        guard let id = json?["id"]?.string, let identifier = json?["identifier"]?.string, let url = json?["url"]?.string else { return nil }
        return IssueLink(id: id, identifier: identifier, url: url)
    }
}
