import CasebookKit

/// The tables, indexes, views and triggers a migration statement creates, alters or drops, read
/// from its SQL so the migrator can hold each plugin to its own names (`<plugin id>_…`).
///
/// A small tokenizer, not a SQL parser: it skips comments and string literals, understands quoted
/// identifiers (`"x"`, `` `x` ``, `[x]`) and schema-qualified names, and recognises the DDL forms
/// SQLite and PostgreSQL share. Statements it does not recognise (inserts, updates) name nothing.
enum SchemaNames {
    private enum Token: Equatable {
        case word(String)  // keyword or unquoted identifier, as written
        case quoted(String)
        case symbol(Character)

        var keyword: String? {
            if case .word(let text) = self { return text.uppercased() }
            return nil
        }

        var identifier: String? {
            switch self {
            case .word(let text): text
            case .quoted(let text): text
            case .symbol: nil
            }
        }
    }

    /// The name of every object `sql` (one or more statements) creates, alters or drops, in order.
    static func touched(by sql: String) -> [String] {
        split(tokens(sql)).flatMap(touches)
    }

    // MARK: Statements

    private static func touches(_ statement: [Token]) -> [String] {
        var cursor = Cursor(tokens: statement)
        switch cursor.next()?.keyword {
        case "CREATE": return create(&cursor)
        case "ALTER": return alter(&cursor)
        case "DROP": return drop(&cursor)
        default: return []
        }
    }

    private static func create(_ cursor: inout Cursor) -> [String] {
        _ = cursor.skip(["OR", "REPLACE"])
        while cursor.skipAny(["TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE"]) {}
        guard let kind = cursor.next()?.keyword else { return [] }
        switch kind {
        case "TABLE", "VIEW":
            _ = cursor.skip(["IF", "NOT", "EXISTS"])
            return cursor.name().map { [$0] } ?? []
        case "INDEX", "TRIGGER":
            _ = cursor.skipAny(["CONCURRENTLY"])
            _ = cursor.skip(["IF", "NOT", "EXISTS"])
            var touches: [String] = []
            // PostgreSQL allows `CREATE INDEX ON t (…)`: the index is named after the table.
            if cursor.peek?.keyword != "ON", let name = cursor.name() {
                touches.append(name)
            }
            if cursor.advance(past: "ON") {
                _ = cursor.skipAny(["ONLY"])
                if let table = cursor.name() { touches.append(table) }
            }
            return touches
        default:
            return []
        }
    }

    private static func alter(_ cursor: inout Cursor) -> [String] {
        guard let kind = cursor.next()?.keyword, kind == "TABLE" || kind == "INDEX" else { return [] }
        _ = cursor.skip(["IF", "EXISTS"])
        _ = cursor.skipAny(["ONLY"])
        guard let name = cursor.name() else { return [] }
        var touches = [name]
        // `… RENAME TO new` names a second object; `RENAME COLUMN a TO b` does not.
        while let token = cursor.next() {
            if token.keyword == "RENAME", cursor.skip(["TO"]), let renamed = cursor.name() {
                touches.append(renamed)
            }
        }
        return touches
    }

    private static func drop(_ cursor: inout Cursor) -> [String] {
        guard let kind = cursor.next()?.keyword, ["TABLE", "INDEX", "VIEW", "TRIGGER"].contains(kind) else { return [] }
        _ = cursor.skipAny(["CONCURRENTLY"])
        _ = cursor.skip(["IF", "EXISTS"])
        var touches: [String] = []
        repeat {
            guard let name = cursor.name() else { break }
            touches.append(name)
        } while cursor.skipSymbol(",")
        return touches
    }

    // MARK: Tokens

    private struct Cursor {
        let tokens: [Token]
        var index = 0

        var peek: Token? { index < tokens.count ? tokens[index] : nil }

        mutating func next() -> Token? {
            defer { index += 1 }
            return peek
        }

        /// Skips `keywords` if they come next, all of them; otherwise moves nothing.
        mutating func skip(_ keywords: [String]) -> Bool {
            guard index + keywords.count <= tokens.count,
                  zip(tokens[index...], keywords).allSatisfy({ $0.keyword == $1 })
            else { return false }
            index += keywords.count
            return true
        }

        /// Skips one token if it is any of `keywords`.
        mutating func skipAny(_ keywords: Set<String>) -> Bool {
            guard let keyword = peek?.keyword, keywords.contains(keyword) else { return false }
            index += 1
            return true
        }

        mutating func skipSymbol(_ symbol: Character) -> Bool {
            guard peek == .symbol(symbol) else { return false }
            index += 1
            return true
        }

        /// Moves past the next `keyword`; false (at the end) if there is none.
        mutating func advance(past keyword: String) -> Bool {
            while let token = next() {
                if token.keyword == keyword { return true }
            }
            return false
        }

        /// A possibly schema-qualified name (`main.x`, `"public"."x"`); the last part is the object's.
        mutating func name() -> String? {
            guard var name = peek?.identifier else { return nil }
            index += 1
            while peek == .symbol("."), index + 1 < tokens.count, let part = tokens[index + 1].identifier {
                name = part
                index += 2
            }
            return name
        }
    }

    private static func split(_ tokens: [Token]) -> [[Token]] {
        tokens.split(separator: .symbol(";")).map(Array.init)
    }

    private static func tokens(_ sql: String) -> [Token] {
        let characters = Array(sql)
        var tokens: [Token] = []
        var index = 0
        func take(until end: Character, from start: Int) -> (String, Int) {
            var text = ""
            var position = start
            while position < characters.count {
                if characters[position] == end {
                    // A doubled closing quote is the quote itself.
                    if end != "]", position + 1 < characters.count, characters[position + 1] == end {
                        text.append(end)
                        position += 2
                        continue
                    }
                    return (text, position + 1)
                }
                text.append(characters[position])
                position += 1
            }
            return (text, position)
        }
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "-", index + 1 < characters.count, characters[index + 1] == "-" {
                while index < characters.count, !characters[index].isNewline { index += 1 }
            } else if character == "/", index + 1 < characters.count, characters[index + 1] == "*" {
                index += 2
                while index + 1 < characters.count, !(characters[index] == "*" && characters[index + 1] == "/") { index += 1 }
                index += 2
            } else if character == "'" {
                index = take(until: "'", from: index + 1).1
                tokens.append(.symbol("'"))
            } else if character == "\"" || character == "`" || character == "[" {
                let (text, next) = take(until: character == "[" ? "]" : character, from: index + 1)
                tokens.append(.quoted(text))
                index = next
            } else if character.isLetter || character.isNumber || character == "_" || character == "$" {
                var word = ""
                while index < characters.count,
                      characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == "$" {
                    word.append(characters[index])
                    index += 1
                }
                tokens.append(.word(word))
            } else {
                tokens.append(.symbol(character))
                index += 1
            }
        }
        return tokens
    }
}
