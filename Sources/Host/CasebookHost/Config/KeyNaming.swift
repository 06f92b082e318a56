/// How Swift property names map to `plugins.yaml` keys: the file is written in snake_case
/// (`notifications_channel`), so a plugin's `notificationsChannel` property needs no `CodingKeys`.
enum KeyNaming {
    /// `notificationsChannel` → `notifications_channel`, `slackURL` → `slack_url`, `scheduleIDs` →
    /// `schedule_ids`; snake_case and lowercase names are returned unchanged.
    static func snakeCase(_ name: String) -> String {
        guard name.contains(where: \.isUppercase) else { return name }
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                // A plural acronym keeps its `s`: `scheduleIDs` → `schedule_ids`, not `schedule_i_ds`.
                let pluralEnds = index + 1 < characters.count && characters[index + 1] == "s"
                    && (index + 2 == characters.count || !characters[index + 2].isLowercase)
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase && !pluralEnds
                // A new word starts after a lowercase letter or digit, or at the last capital of an
                // acronym that is followed by a lowercase letter (`URLPath` → `url_path`).
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    if previous != "_" { result.append("_") }
                }
            }
            result += character.lowercased()
        }
        return result
    }
}

/// "Did you mean …?" for misspelled keys and plugin ids.
enum KeySuggestion {
    /// The candidate closest to `name`, if it is close enough to be a plausible typo.
    static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(name.lowercased(), candidate.lowercased())
            let shorter = min(name.count, candidate.count)
            let limit = shorter <= 2 ? 1 : max(2, shorter / 3)
            guard distance <= limit else { continue }
            if best == nil || distance < best?.distance ?? .max {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent
    /// transpositions each cost one (`enabeld` is one edit from `enabled`).
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, table[i - 2][j - 2] + 1)
                }
                table[i][j] = value
            }
        }
        return table[a.count][b.count]
    }
}
