/// The host under test: CasebookSandbox's ``SandboxHost`` (the real host over the Slack simulator,
/// also what `casebook playground` runs), by the name tests use. A typealias, so the shipping
/// `casebook` binary, which links the sandbox but not this module, has no type named `TestHost`.
public typealias TestHost = SandboxHost

/// A fresh database for one test on SQLite or PostgreSQL: the sandbox's ``SandboxDatabase``.
public typealias TestDatabase = SandboxDatabase
