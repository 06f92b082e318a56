import CasebookKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Memory and CPU figures of a process, read from Linux's /proc (and getrusage for ourselves).
enum ProcessStats {
    /// A `kB` field of /proc/<pid>/status (`VmRSS`, `VmHWM`), in bytes.
    static func statusField(_ field: String, pid: String = "self") -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let number = line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
            return number.map { $0 * 1024 }
        }
        return nil
    }

    /// Resident memory now.
    static func resident(pid: Int32? = nil) -> Int? {
        statusField("VmRSS", pid: pid.map(String.init) ?? "self")
    }

    /// The resident high-water mark since start or since ``resetPeak()``.
    static func peakResident() -> Int? { statusField("VmHWM") }

    /// Resets VmHWM to the current RSS (Linux ≥ 4.0: `echo 5 > /proc/self/clear_refs`), so the peak of
    /// one operation can be read afterwards. Returns false where that is not allowed.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// User + system CPU time of this process.
    static func cpuTime() -> Duration {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    /// User + system CPU time of another process, from fields 14 and 15 of /proc/<pid>/stat.
    static func cpuTime(pid: Int32) -> Duration? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name, which may itself contain spaces: state is field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / max(ticks, 1))
    }
}

/// CPU used over a wall-clock interval, as a share of one core.
struct CPUShare: Sendable {
    let cpu: Duration
    let wall: Duration

    var percentOfOneCore: Double { wall > .zero ? cpu.seconds / wall.seconds * 100 : 0 }

    /// Measures `body` (usually an idle wait) for this process or for `pid`.
    static func measure(pid: Int32? = nil, _ body: () async throws -> Void) async throws -> CPUShare {
        func now() -> Duration {
            guard let pid else { return ProcessStats.cpuTime() }
            return ProcessStats.cpuTime(pid: pid) ?? .zero
        }
        let cpuBefore = now()
        let started = ContinuousClock.now
        try await body()
        return CPUShare(cpu: now() - cpuBefore, wall: .now - started)
    }
}
