import CasebookKit
import Crypto
import Foundation
import Testing

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 1_796_184_765)

    @Test func secondsAndFractions() {
        #expect(RetryAfter.parse("1", now: now) == .seconds(1))
        #expect(RetryAfter.parse(" 1.5 ", now: now) == .milliseconds(1500))
        #expect(RetryAfter.parse("0", now: now) == .zero)
    }

    @Test func absurdValuesAreCappedNeverACrashOrADayLongStall() {
        #expect(RetryAfter.parse("86400", now: now) == .seconds(60))
        #expect(RetryAfter.parse("1e20", now: now) == nil)  // not a plain number of seconds: use own backoff
        #expect(RetryAfter.parse("99999999999999999999999", now: now) == .seconds(60))
        #expect(RetryAfter.parse("inf", now: now) == nil)
        #expect(RetryAfter.parse("-5", now: now) == nil)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("", now: now) == nil)
        #expect(RetryAfter.parse(nil, now: now) == nil)
    }

    @Test func httpDates() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        #expect(RetryAfter.parse(formatter.string(from: now.addingTimeInterval(7)), now: now) == .seconds(7))
        #expect(RetryAfter.parse(formatter.string(from: now.addingTimeInterval(86_400)), now: now) == .seconds(60))
        #expect(RetryAfter.parse(formatter.string(from: now.addingTimeInterval(-30)), now: now) == .zero)
    }
}

@Suite struct RedactionTests {
    @Test func authorizationCredentialsAndDeclaredSecretsAreRedacted() {
        let basic = Data("me@example.com:s3cr3t-token".utf8).base64EncodedString()
        let request = OutboundRequest(
            .post, "https://api.example.com/x", integration: "Example",
            headers: ["Authorization": "Token token=abcd1234efgh", "X-Other": "Basic \(basic)"], secrets: ["R0UT1NGKEY"])
        let values = request.redactedValues
        #expect(values.contains("abcd1234efgh"))
        #expect(values.contains("R0UT1NGKEY"))
        let text = Redaction.redact("key R0UT1NGKEY and Token token=abcd1234efgh in a body", secrets: values)
        #expect(!text.contains("R0UT1NGKEY"))
        #expect(!text.contains("abcd1234efgh"))
        #expect(text.contains(Redaction.marker))

        let basicRequest = OutboundRequest(.get, "https://x", integration: "X", headers: ["authorization": "Basic \(basic)"])
        #expect(basicRequest.redactedValues.contains("s3cr3t-token"))
    }

    @Test func retryPolicyFollowsIdempotency() {
        #expect(OutboundRequest(.get, "https://x", integration: "X").repeatsSafely)
        #expect(!OutboundRequest(.post, "https://x", integration: "X").repeatsSafely)
        #expect(OutboundRequest(.post, "https://x", integration: "X", retry: .safe).repeatsSafely)
        #expect(!OutboundRequest(.get, "https://x", integration: "X", retry: .never).repeatsSafely)
    }
}

@Suite struct WebhookAuthenticationTests {
    let now = Date(timeIntervalSince1970: 1_796_184_765)
    let body = Data(#"{"alert_group":{"id":"I1"}}"#.utf8)

    func request(_ headers: [String: String]) -> WebhookRequest {
        WebhookRequest(method: .post, path: "grafana-oncall", headers: headers, body: body)
    }

    func hex(_ secret: String, _ content: Data) -> String {
        HMAC<SHA256>.authenticationCode(for: content, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    @Test func hmacGoodBadAndMissingSignature() {
        let auth = WebhookAuthentication.hmacSHA256(secret: "shh", header: "X-Grafana-OnCall-Signature")
        #expect(auth.accepts(request(["x-grafana-oncall-signature": hex("shh", body)]), now: now))
        #expect(auth.accepts(request(["x-grafana-oncall-signature": hex("shh", body).uppercased()]), now: now))
        #expect(!auth.accepts(request(["x-grafana-oncall-signature": hex("other", body)]), now: now))
        #expect(!auth.accepts(request(["x-grafana-oncall-signature": "zz"]), now: now))
        #expect(!auth.accepts(request([:]), now: now))
    }

    @Test func hmacWithPrefixBase64AndTimestampWindow() {
        let ts = String(Int(now.timeIntervalSince1970))
        let signed = Data("\(ts).".utf8) + body
        let mac = Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Data("k".utf8)))).base64EncodedString()
        let auth = WebhookAuthentication.hmacSHA256(
            secret: "k", header: "X-Signature", encoding: .base64, prefix: "v1=", timestampHeader: "X-Timestamp")
        #expect(auth.accepts(request(["x-signature": "v1=\(mac)", "x-timestamp": ts]), now: now))
        #expect(!auth.accepts(request(["x-signature": mac, "x-timestamp": ts]), now: now))  // prefix missing
        #expect(!auth.accepts(request(["x-signature": "v1=\(mac)", "x-timestamp": ts]), now: now.addingTimeInterval(301)))  // replayed later
        #expect(!auth.accepts(request(["x-signature": "v1=\(mac)"]), now: now))
    }

    @Test func bearerBasicAndEmptySecrets() {
        let token = WebhookAuthentication.anyOf([.bearer("t0ken"), .basic(password: "t0ken")])
        #expect(token.accepts(request(["authorization": "Bearer t0ken"]), now: now))
        let basic = Data("grafana:t0ken".utf8).base64EncodedString()
        #expect(token.accepts(request(["authorization": "Basic \(basic)"]), now: now))
        #expect(!token.accepts(request(["authorization": "Bearer wrong"]), now: now))
        #expect(!token.accepts(request(["authorization": "Basic \(Data("grafana:wrong".utf8).base64EncodedString())"]), now: now))
        #expect(!token.accepts(request([:]), now: now))
        // An empty configured token authenticates nothing, not even an empty header.
        #expect(!WebhookAuthentication.bearer("").accepts(request(["authorization": "Bearer "]), now: now))
        #expect(!WebhookAuthentication.hmacSHA256(secret: "", header: "x-sig").accepts(request(["x-sig": hex("", body)]), now: now))
        #expect(!WebhookAuthentication.allOf([]).accepts(request([:]), now: now))
    }

    @Test func malformedJSONIsARejectionWithAReason() {
        let bad = WebhookRequest(method: .post, path: "x", body: Data("{nope".utf8))
        #expect(throws: WebhookRejection.badRequest("the body is not valid JSON")) { try bad.jsonObject() }
        let array = WebhookRequest(method: .post, path: "x", body: Data("[1]".utf8))
        #expect(throws: WebhookRejection.badRequest("the body is not a JSON object")) { try array.jsonObject() }
        #expect(WebhookRejection.badRequest("x").response.status == 400)
    }
}

@Suite struct ContentHashTests {
    @Test func keyOrderDoesNotMatterButContentDoes() throws {
        let a = try JSONValue.decode(#"{"name":"API down","status":"investigating"}"#)
        let b = try JSONValue.decode(#"{"status":"investigating","name":"API down"}"#)
        let c = try JSONValue.decode(#"{"status":"identified","name":"API down"}"#)
        #expect(ContentHash.of(a) == ContentHash.of(b))
        #expect(ContentHash.of(a) != ContentHash.of(c))
        #expect(ContentHash.of(a).count == 64)
    }
}

@Suite struct ApprovalButtonTests {
    let approval = Approval(
        id: "a1b2", plugin: "statuspage", kind: "statuspage.publish", subject: "case-1", payload: ["status": "investigating"],
        contentHash: ContentHash.of(["status": "investigating"]), approvers: ["commander"], state: .pending, proposedBy: "U1",
        decidedBy: nil, decidedAt: nil, executedAt: nil, result: nil, updatedAt: Date(timeIntervalSince1970: 0))

    @Test func buttonsCarryTheIdAndTheShownHashAndApproveAsksForConfirmation() throws {
        let buttons = approval.decisionButtons(
            approve: "statuspage.approve", reject: "statuspage.reject", approveLabel: "Approve & publish",
            confirm: Confirm(title: "Publish?", text: "Customers will see this."))
        let approve = try #require(buttons.first?.json)
        #expect(approve["action_id"] == "statuspage.approve")
        #expect(approve["confirm"]?["title"]?["text"] == "Publish?")
        #expect(buttons.last?.json["confirm"] == nil)
        let decision = try #require(Approval.decision(from: approve["value"]?.string))
        #expect(decision.id == "a1b2")
        #expect(decision.shownHash == approval.contentHash)
        #expect(Approval.decision(from: "a1b2:short") == nil)
        #expect(Approval.decision(from: nil) == nil)
    }
}
