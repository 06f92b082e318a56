import CasebookKit
import Testing
@testable import CasesPlugin

@Suite struct MessageTests {
    static let opened = Date(timeIntervalSince1970: 1_700_000_000)

    static func sample(_ status: Case.Status, title: String = "API response times increasing") -> Case {
        var item = Case(id: "11111111-2222-3333-4444-555555555555", name: "case-api-respons-a3f", title: title, channelID: "C1",
                        openedBy: "U1", openedAt: opened)
        item.status = status
        if status != .investigating {
            item.escalatedBy = "U2"
            item.escalatedAt = opened.addingTimeInterval(900)
            item.commander = "U2"
        }
        if status == .resolved || status == .closed {
            item.resolvedBy = "U2"
            item.resolvedAt = opened.addingTimeInterval(2700)
        }
        if status == .closed {
            item.closedBy = "U1"
            item.closedAt = opened.addingTimeInterval(7200)
        }
        return item
    }

    @Test(arguments: Case.Status.allCases)
    func everyMessageFitsSlackLimitsEvenWithTheLongestTitle(status: Case.Status) throws {
        let item = Self.sample(status, title: String(repeating: "<x&y> ", count: 25))
        let now = Self.opened.addingTimeInterval(10_000)
        try SummaryMessage.make(item, now: now).validate()
        try NotificationMessage.make(item, now: now).validate()
        try StatusMessage.make(item, timeline: [], contributed: ["PagerDuty: triggered"], now: now).validate()
        try CasesPlugin.finalSummary(item, now: now).validate()
        try CasesPlugin.confirmation(item).validate()
        try ListMessage.make(Array(repeating: item, count: CasesPlugin.listLimit), total: 120, now: now).validate()
    }

    @Test func summaryButtonsFollowTheLifecycle() {
        func actions(_ status: Case.Status) -> [String] { SummaryMessage.nextSteps(Self.sample(status)).map(\.actionID) }
        #expect(actions(.investigating) == [ActionID.escalate.wire, ActionID.close.wire])
        #expect(actions(.escalated) == [ActionID.resolve.wire, ActionID.close.wire])
        #expect(actions(.resolved) == [ActionID.close.wire])
        #expect(actions(.closed).isEmpty)
    }

    @Test func notificationShowsTheFinalState() {
        let message = NotificationMessage.make(Self.sample(.closed), now: Self.opened)
        #expect(message.text.contains("Closed"))
        guard case .section(let text, _, _, _) = message.blocks[0] else { Issue.record("expected a section"); return }
        #expect(text.string.contains("open for 2h"))
        #expect(text.string.contains("was an incident"))
    }

    @Test func evidenceModalValidatesAndPreselects() throws {
        let cases = (0..<150).map { index in
            var item = Self.sample(.investigating)
            item.id = "case-\(index)"
            return item
        }
        let view = EvidenceModal.make(cases: cases, preselected: cases[3], source: .init(channel: "C9", ts: "1.2"))
        try view.validate()
        guard case .input(_, .staticSelect(_, _, let options, let initial), _, _, _) = view.blocks[1] else {
            Issue.record("expected a select"); return
        }
        #expect(options.count == 100)
        #expect(initial?.value == "case-3")
        #expect(view.privateMetadata.contains("\"ts\":\"1.2\""))
    }

    @Test(arguments: [(0.0, "0s"), (59, "59s"), (60, "1m"), (3_600, "1h"), (8_100, "2h 15m"), (86_400, "1d"), (273_600, "3d 4h")])
    func durations(seconds: Double, expected: String) {
        #expect(SlackText.duration(seconds) == expected)
    }

    @Test func titlesAreTrimmedAndLimited() throws {
        #expect(try CasesPlugin.title(from: "  API \n down  ", usage: "/case open <description>") == "API down")
        #expect(throws: UserFacingError.self) { try CasesPlugin.title(from: "   ", usage: "/case open <description>") }
        #expect(throws: UserFacingError.self) { try CasesPlugin.title(from: String(repeating: "x", count: 151), usage: "u") }
    }

    @Test func escalationRateAndAbsentAverages() {
        let stats = CaseStats(
            totalCases: 8, openInvestigations: 3, openIncidents: 1, everEscalated: 2, openedLastWeek: 4, escalatedLastWeek: 1,
            timeSpentLastWeek: 9_000, averageTimeToClose: nil, meanTimeToResolve: 1_800)
        #expect(stats.escalationRate == 0.25)
        let text = StatsMessage.make(stats).text
        #expect(text.contains("25% of 8 cases"))
        #expect(text.contains("MTTR (escalation → resolve):* 30m"))
        #expect(text.contains("Average time to close:* —"))
        #expect(CaseStats(totalCases: 0, openInvestigations: 0, openIncidents: 0, everEscalated: 0, openedLastWeek: 0,
                          escalatedLastWeek: 0, timeSpentLastWeek: 0, averageTimeToClose: nil, meanTimeToResolve: nil).escalationRate == nil)
    }

    @Test func eventsRoundTripWithTheirSnapshot() throws {
        let event = CaseEscalated(case: Self.sample(.escalated), actor: "U2")
        let decoded = try JSONValue.from(event).decode(as: CaseEscalated.self)
        #expect(decoded == event)
        #expect(CaseEscalated.name == "cases.escalated")
    }
}
