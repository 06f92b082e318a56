import CasebookKit
import Foundation

/// Misbehaviour a test scripts into a fake, to exercise a client's retries, timeouts and parsing.
public enum FakeFault: Sendable {
    /// Any status, e.g. 500 or 503, with an optional JSON body.
    case status(Int, body: JSONValue? = nil, headers: [(String, String)] = [])
    /// 429, with `Retry-After` sent verbatim when given ("1", "inf", an HTTP date: clients must cope).
    case tooManyRequests(retryAfter: String?, body: JSONValue? = nil)
    /// Waits, then lets the route answer as usual.
    case latency(Duration)
    /// Closes the TCP connection (with a reset) without answering.
    case connectionReset
    /// A truncated JSON document labelled `application/json`.
    case malformedBody(status: Int = 200)
    /// An HTML error page, as a proxy or load balancer in front of an API sends.
    case html(status: Int = 200)
}

/// What the server does with one request once faults and routes had their say.
enum FakeOutcome: Sendable {
    case respond(FakeResponse)
    case reset
}

extension FakeFault {
    /// The answer this fault gives instead of the route; nil when the route still answers (latency).
    var replacement: FakeOutcome? {
        switch self {
        case .status(let status, let body, let headers):
            return .respond(Self.response(status: status, body: body).adding(headers: headers))
        case .tooManyRequests(let retryAfter, let body):
            let response = Self.response(status: 429, body: body)
            return .respond(retryAfter.map { response.adding(headers: [("Retry-After", $0)]) } ?? response)
        case .latency:
            return nil
        case .connectionReset:
            return .reset
        case .malformedBody(let status):
            return .respond(.text(#"{"status":"success","message":"Event proc"#, status: status, contentType: "application/json"))
        case .html(let status):
            let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
            return .respond(.text(page, status: status, contentType: "text/html"))
        }
    }

    private static func response(status: Int, body: JSONValue?) -> FakeResponse {
        body.map { .json($0, status: status) } ?? .status(status)
    }
}

/// Faults waiting for requests: each applies to the next `remaining` requests its predicate
/// accepts, in the order the faults were injected.
struct FaultScript: Sendable {
    private struct Entry: Sendable {
        var fault: FakeFault
        var remaining: Int
        var when: @Sendable (FakeRequest) -> Bool
    }

    private var entries: [Entry] = []

    mutating func add(_ fault: FakeFault, count: Int, when: @escaping @Sendable (FakeRequest) -> Bool) {
        guard count > 0 else { return }
        entries.append(Entry(fault: fault, remaining: count, when: when))
    }

    /// The fault for this request, if one is scripted; using it counts it down.
    mutating func take(for request: FakeRequest) -> FakeFault? {
        guard let index = entries.firstIndex(where: { $0.when(request) }) else { return nil }
        let fault = entries[index].fault
        entries[index].remaining -= 1
        if entries[index].remaining == 0 { entries.remove(at: index) }
        return fault
    }

    mutating func clear() {
        entries.removeAll()
    }
}
