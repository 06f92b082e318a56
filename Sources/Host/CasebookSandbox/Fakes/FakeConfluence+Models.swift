import CasebookKit
import Foundation

extension FakeConfluence {
    public struct Space: Sendable, Equatable {
        public var key: String
        /// Numeric, as v2 wants it in `spaceId`.
        public var id: String
        public var name: String
        /// Whether the API user may add pages (403 on create otherwise).
        public var canAdd: Bool

        public init(key: String, id: String, name: String, canAdd: Bool = true) {
            self.key = key
            self.id = id
            self.name = name
            self.canAdd = canAdd
        }
    }

    public struct Page: Sendable, Equatable {
        public var id: String
        public var spaceKey: String
        public var title: String
        public var parentID: String?
        /// The storage-format body.
        public var body: String
        public var version: Int
        public var createdAt: Date
        /// Made by the test or the seed, not through the API.
        public var seeded: Bool

        public init(
            id: String, spaceKey: String, title: String, parentID: String? = nil, body: String = "<p></p>", version: Int = 1,
            createdAt: Date = Date(), seeded: Bool = true
        ) {
            self.id = id
            self.spaceKey = spaceKey
            self.title = title
            self.parentID = parentID
            self.body = body
            self.version = version
            self.createdAt = createdAt
            self.seeded = seeded
        }
    }
}
