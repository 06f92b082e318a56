import Foundation
import Testing

@Suite struct BackendAvailabilityTests {
    /// Locally, the PostgreSQL cases are skipped with this message; in CI the variable must be set.
    @Test(.enabled(
        if: StoreBackend.postgresURL != nil || StoreBackend.isCI,
        "PostgreSQL storage tests skipped: set CASEBOOK_TEST_POSTGRES_URL (eval \"$(bash .ci/postgres.sh)\") to run them"
    ))
    func postgresqlTestsAreEnabled() {
        #expect(StoreBackend.postgresURL != nil, "CI must set CASEBOOK_TEST_POSTGRES_URL so the PostgreSQL storage tests run")
    }
}
