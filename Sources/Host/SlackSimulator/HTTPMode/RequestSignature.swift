import CasebookKit
import Crypto
public import Foundation

/// Slack's v0 request signature (reference/slack.md §2.1): HMAC-SHA256 of `v0:<ts>:<raw body>`
/// with the signing secret, lowercase hex, prefixed `v0=`.
public enum RequestSignature {
    public static func sign(secret: String, timestamp: String, body: Data) -> String {
        var base = Data("v0:\(timestamp):".utf8)
        base.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: base, using: SymmetricKey(data: Data(secret.utf8)))
        return "v0=" + mac.hexString
    }
}
