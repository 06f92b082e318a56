import CasebookHost
import CasebookKit
import Testing
@testable import CasesPlugin

@Suite struct ConfigurationTests {
    @Test func defaultsFillEveryOptionalKey() throws {
        let configuration = try decodeConfiguration(#"{"notifications_channel": "C0NOTIFY"}"#)
        #expect(configuration == CasesPlugin.Configuration(notificationsChannel: "C0NOTIFY"))
        #expect(configuration.channelPrefix == "case")
        #expect(configuration.slugLength == 11)
        #expect(configuration.evidenceShortcut == "collect_evidence")
        #expect(configuration.responseGroup == nil)
        // With nobody listed, only admins and owners may export; never guests or other organisations.
        let member = SlackUser(id: "U_ANYONE", teamID: "T1", name: "anyone")
        #expect(!configuration.mayExport(member, installationTeam: "T1"))
        #expect(configuration.mayExport(SlackUser(id: "U_ADMIN", teamID: "T1", name: "admin", isAdmin: true), installationTeam: "T1"))
        #expect(!configuration.mayExport(SlackUser(id: "U_G", teamID: "T1", name: "guest", isGuest: true, isAdmin: true), installationTeam: "T1"))
        #expect(!configuration.mayExport(SlackUser(id: "U_X", teamID: "T9", name: "partner", isAdmin: true), installationTeam: "T1"))
        #expect(configuration.allowsWorkspace("T_ANY"))
    }

    @Test func commaSeparatedListsAsTheCaseAppWritesThem() throws {
        let configuration = try decodeConfiguration("""
            {"notifications_channel": "C1", "export_authorized_users": "U1, U2,,U3 ", "allowed_workspaces": "T1",
             "response_group": "", "channel_prefix": "inv", "slug_length": 8}
            """)
        #expect(configuration.exportAuthorizedUsers == ["U1", "U2", "U3"])
        #expect(configuration.mayExport(SlackUser(id: "U2", teamID: "T1", name: "two"), installationTeam: "T1"))
        #expect(!configuration.mayExport(SlackUser(id: "U9", teamID: "T1", name: "nine", isAdmin: true), installationTeam: "T1"))
        #expect(!configuration.mayExport(SlackUser(id: "U2", teamID: "T1", name: "two", isGuest: true), installationTeam: "T1"))
        #expect(configuration.allowsWorkspace("T1"))
        #expect(!configuration.allowsWorkspace("T2"))
        #expect(configuration.responseGroup == nil)
        #expect(configuration.channelName.name(for: "API response times", suffix: "abc") == "inv-api-resp-abc")
    }

    @Test func listsMayAlsoBeYAMLLists() throws {
        let configuration = try decodeConfiguration(#"{"notifications_channel": "C1", "export_authorized_users": ["U1", "U2"]}"#)
        #expect(configuration.exportAuthorizedUsers == ["U1", "U2"])
    }

    @Test func theNotificationsChannelIsRequired() {
        #expect(throws: ConfigurationErrors.self) { try decodeConfiguration("{}") }
        #expect(throws: ConfigurationErrors.self) { try decodeConfiguration(#"{"notifications_channel": " "}"#) }
        // Placed at the key, in words.
        do {
            _ = try decodeConfiguration(#"{"notifications_channel": " "}"#)
        } catch {
            #expect("\(error)" == "config:1:27: notifications_channel: is empty; set it to the channel id where cases are announced (ISSUES_CHANNEL_ID)")
        }
    }

    @Test func invalidPrefixesAndLengthsAreRefused() {
        #expect(throws: ConfigurationErrors.self) { try decodeConfiguration(#"{"notifications_channel": "C1", "channel_prefix": "Case!"}"#) }
        #expect(throws: ConfigurationErrors.self) { try decodeConfiguration(#"{"notifications_channel": "C1", "slug_length": 0}"#) }
    }

    @Test func theHomeTabIsOffUnlessAskedForAndOnlyThenInTheRequirements() throws {
        let off = try decodeConfiguration(#"{"notifications_channel": "C1"}"#)
        #expect(!off.homeTab)
        #expect(CasesPlugin.requirements(for: off) == CasesPlugin.requirements)
        let on = try decodeConfiguration(#"{"notifications_channel": "C1", "home_tab": true}"#)
        #expect(on.homeTab)
        let requirements = CasesPlugin.requirements(for: on)
        #expect(requirements.homeTab && requirements.events.contains("app_home_opened"))
        #expect(requirements.scopes == CasesPlugin.requirements.scopes, "the Home tab needs no scope")
        #expect(throws: ConfigurationErrors.self) { try decodeConfiguration(#"{"notifications_channel": "C1", "home_tab": "sometimes"}"#) }
    }

    @Test func requirementsNeverIncludeAHistoryScope() {
        let scopes = CasesPlugin.requirements.scopes
        #expect(!scopes.contains { $0.hasSuffix(":history") || $0.hasPrefix("search:") })
        #expect(scopes.isSuperset(of: ["channels:manage", "chat:write", "users:read", "files:write", "im:write"]))
    }

    @Test func migrationsPrefixEveryTableWithThePluginID() {
        let statements = CasesPlugin.migrations.flatMap(\.statements)
        let tables = statements.compactMap { statement -> String? in
            guard let range = statement.range(of: "CREATE TABLE ") else { return nil }
            return String(statement[range.upperBound...].prefix { !$0.isWhitespace })
        }
        #expect(tables == ["cases_cases", "cases_evidence", "cases_participants", "cases_external_keys", "cases_side_effects", "cases_reactions", "cases_home_viewers"])
    }
}
