import Foundation
import Glibc

/// Lines typed (or piped) on standard input, read on a thread of their own so that a blocking
/// `readLine()` never occupies one of the few cooperative threads the host runs on.
enum InputLines {
    static func stream() -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let reader = Thread {
            while let line = readLine(strippingNewline: true) {
                continuation.yield(line)
            }
            continuation.finish()
        }
        reader.name = "casebook-playground-stdin"
        reader.start()
        return lines
    }

    /// Whether a person is typing (prompts are shown) or commands are piped in.
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }
}
