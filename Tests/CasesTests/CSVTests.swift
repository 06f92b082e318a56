import CasebookKit
import Testing
@testable import CasesPlugin

@Suite struct CSVTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\r\nlf", "\"cr\r\nlf\""),
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
        ("a=b", "a=b"),
        ("", ""),
    ])
    func fields(value: String, expected: String) {
        #expect(CSV.field(value) == expected)
    }

    @Test func rowsEndWithCRLF() {
        #expect(CSV.row(["a", "b,c"]) == "a,\"b,c\"\r\n")
    }

    @Test func exportFieldsFollowTheHeader() {
        let opened = Date(timeIntervalSince1970: 1_700_000_000)
        let item = Case(
            id: "id1", name: "case-db-abc", title: "=cmd, \"quoted\"", status: .closed, channelID: "C1", openedBy: "U1",
            openedAt: opened, escalatedBy: "U2", escalatedAt: opened.addingTimeInterval(600), commander: "U3", resolvedBy: "U3",
            resolvedAt: opened.addingTimeInterval(1800), closedBy: "U1", closedAt: opened.addingTimeInterval(3600), evidenceCount: 2)
        let fields = CaseExport.fields(item, now: opened.addingTimeInterval(99_999))
        #expect(fields.count == CaseExport.header.count)
        let row = Dictionary(uniqueKeysWithValues: zip(CaseExport.header, fields))
        #expect(row["duration_seconds"] == "3600")
        #expect(row["time_to_resolve_seconds"] == "1200")
        #expect(row["escalated"] == "yes")
        #expect(row["opened_at"] == "2023-11-14T22:13:20Z")
        #expect(CSV.row(fields).hasPrefix("case-db-abc,\"'=cmd, \"\"quoted\"\"\",closed,C1,U1,"))
    }
}
