import CasebookKit
import Foundation

/// A small Markdown table, printed as soon as a benchmark finishes so the figures can be pasted
/// into bench/README.md as they are.
struct Table: Sendable {
    let title: String
    let columns: [String]
    private(set) var rows: [[String]] = []
    private(set) var notes: [String] = []

    init(_ title: String, columns: [String]) {
        self.title = title
        self.columns = columns
    }

    mutating func add(_ row: String...) { rows.append(row) }
    mutating func add(row: [String]) { rows.append(row) }
    mutating func note(_ text: String) { notes.append(text) }

    var rendered: String {
        let widths = columns.indices.map { index in
            ([columns[index]] + rows.map { index < $0.count ? $0[index] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            "| " + columns.indices.map { index in
                let cell = index < cells.count ? cells[index] : ""
                return cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: " | ") + " |"
        }
        var lines = ["", "### \(title)", "", line(columns), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
        lines += rows.map(line)
        if !notes.isEmpty { lines.append("") }
        lines += notes.map { "- " + $0 }
        return lines.joined(separator: "\n")
    }

    func print() {
        FileHandle.standardOutput.write(Data((rendered + "\n").utf8))
    }
}

/// Number formatting for the tables.
enum Format {
    static func ms(_ duration: Duration) -> String { String(format: "%.2f ms", duration.milliseconds) }
    static func ms(_ value: Double) -> String { String(format: "%.2f ms", value) }
    static func us(_ duration: Duration) -> String { String(format: "%.1f µs", duration.milliseconds * 1000) }
    static func seconds(_ duration: Duration) -> String { String(format: "%.2f s", duration.seconds) }
    static func rate(_ count: Int, in duration: Duration) -> String {
        guard duration > .zero else { return "–" }
        return String(format: "%.0f /s", Double(count) / duration.seconds)
    }
    static func bytes(_ count: Int) -> String {
        let mib = Double(count) / 1_048_576
        return mib >= 1 ? String(format: "%.1f MiB", mib) : String(format: "%.0f KiB", Double(count) / 1024)
    }
    static func percent(_ value: Double) -> String { String(format: "%.2f %%", value) }
    static func verdict(_ met: Bool) -> String { met ? "met" : "MISSED" }
}

/// Progress lines on standard error, so standard output holds only the tables.
func progress(_ text: String) {
    FileHandle.standardError.write(Data(("… " + text + "\n").utf8))
}
