import Foundation
import CasebookTesting
import Testing

@Suite struct BackendAvailabilityTests {
    /// Locally, the PostgreSQL cases are skipped with this message; in CI the variable must be set.
    @Test(.enabled(
        if: TestDatabase.postgresURL != nil || TestDatabase.isCI,
        "PostgreSQL storage tests skipped: set CASEBOOK_TEST_POSTGRES_URL (eval \"$(bash .ci/postgres.sh)\") to run them"
    ))
    func postgresqlTestsAreEnabled() {
        #expect(TestDatabase.postgresURL != nil, "CI must set CASEBOOK_TEST_POSTGRES_URL so the PostgreSQL storage tests run")
    }
}
