import CasebookHost
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
import Yams

/// deploy/kubernetes parsed as Kubernetes would read it, checked against the host: probe paths
/// answered by the host's real router, the container port equal to `PORT`, every environment
/// variable documented in README's environment table, tokens only by Secret reference, the
/// termination grace period covering preStop plus the host's graceful shutdown, and alerts on the
/// metrics the host exports.
@Suite("deploy/kubernetes")
struct KubernetesManifestTests {
    /// Every document of every manifest, with the file it came from.
    static func manifests() throws -> [(file: String, document: [String: Any])] {
        try Repository.kubernetesFiles().flatMap { file in try Repository.documents(file).map { (file, $0) } }
    }

    static func resource(kind: String, in file: String = "deploy/kubernetes/base") throws -> [String: Any] {
        let found = try manifests().filter { $0.file.hasPrefix(file) && $0.document.string("kind") == kind }
        guard let first = found.first else { throw Repository.Failure(description: "no \(kind) in \(file)") }
        return first.document
    }

    static func podSpec(_ deployment: [String: Any]) -> [String: Any] {
        deployment.map("spec")?.map("template")?.map("spec") ?? [:]
    }

    static func containers(_ deployment: [String: Any]) -> [[String: Any]] {
        podSpec(deployment).list("initContainers") + podSpec(deployment).list("containers")
    }

    @Test func everyManifestParsesAndNamesItsKind() throws {
        let all = try Self.manifests()
        #expect(all.count >= 10)
        for (file, document) in all where !file.hasSuffix("kustomization.yaml") && !file.hasSuffix("-patch.yaml") {
            #expect(document.string("apiVersion") != nil && document.string("kind") != nil, "\(file)")
            #expect(document.map("metadata")?.string("name") != nil, "\(file)")
        }
        let kinds = Set(all.compactMap { $0.document.string("kind") })
        for kind in ["Deployment", "Service", "ConfigMap", "NetworkPolicy", "ServiceMonitor", "PrometheusRule", "Ingress", "PersistentVolumeClaim"] {
            #expect(kinds.contains(kind), "missing \(kind)")
        }
        // Every file of the base is listed in its kustomization, so `kubectl apply -k` applies it.
        let kustomization = try Repository.documents("deploy/kubernetes/base/kustomization.yaml")[0]
        let listed = Set((kustomization["resources"] as? [String]) ?? [])
        let files = Set(try Repository.kubernetesFiles().filter { $0.hasPrefix("deploy/kubernetes/base/") && !$0.hasSuffix("kustomization.yaml") }
            .map { String($0.dropFirst("deploy/kubernetes/base/".count)) })
        #expect(listed == files)
    }

    @Test func probesAndScrapesUseTheHostsRoutesOnPort() async throws {
        let deployment = try Self.resource(kind: "Deployment")
        let server = try #require(Self.podSpec(deployment).list("containers").first)
        let port = try #require(server.list("ports").first { $0.string("name") == "http" })
        let env = server.list("env")
        let portValue = try #require(env.first { $0.string("name") == "PORT" }?.string("value"))
        #expect(port.int("containerPort") == Int(portValue))
        #expect(try HostEnvironment(["PORT": portValue]).port == port.int("containerPort"))
        #expect((server["args"] as? [String])?.prefix(3) == ["serve", "--host", "0.0.0.0"], "probes come from outside the pod")

        let readiness = try #require(server.map("readinessProbe")?.map("httpGet"))
        let liveness = try #require(server.map("livenessProbe")?.map("httpGet"))
        #expect(readiness.string("path") == "/readyz" && liveness.string("path") == "/healthz")
        for probe in [readiness, liveness, server.map("startupProbe")?.map("httpGet") ?? [:]] {
            #expect(probe.string("port") == "http")
        }
        let service = try Self.resource(kind: "Service")
        let servicePort = try #require(service.map("spec")?.list("ports").first)
        #expect(servicePort.string("name") == "http" && servicePort.string("targetPort") == "http")
        let monitor = try Self.resource(kind: "ServiceMonitor")
        let endpoint = try #require(monitor.map("spec")?.list("endpoints").first)
        #expect(endpoint.string("port") == "http")
        let metricsPath = try #require(endpoint.string("path"))

        // The paths as the host serves them: /healthz always 200, /readyz 503 until ready, /metrics.
        let livenessPath = try #require(liveness.string("path"))
        let readinessPath = try #require(readiness.string("path"))
        let ready = Ready()
        let router = makeRouter(
            readiness: { await ready.value ? .ready : .notReady("slack: not connected") }, metricsRegistry: PrometheusCollectorRegistry(),
            recordRequestMetrics: false)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: livenessPath, method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: readinessPath, method: .get) { #expect($0.status == .serviceUnavailable) }
            await ready.set()
            try await client.execute(uri: readinessPath, method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: metricsPath, method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/not-a-route", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func terminationGraceCoversPreStopAndTheHostsDrain() throws {
        let deployment = try Self.resource(kind: "Deployment")
        let spec = Self.podSpec(deployment)
        let server = try #require(spec.list("containers").first)
        let command = try #require(server.map("lifecycle")?.map("preStop")?.map("exec")?["command"] as? [String])
        #expect(command.first == "sleep")
        let preStop = try #require(command.last.flatMap(Int.init))
        #expect(preStop >= 3, "endpoints need a few seconds to stop routing to a terminating pod")
        let grace = try #require(spec.int("terminationGracePeriodSeconds"))
        #expect(Int64(grace) >= Int64(preStop) + GracefulShutdown.maximumDuration.components.seconds)
    }

    @Test func replicasAboveOneOnlyWithPostgreSQL() throws {
        let base = try Self.resource(kind: "Deployment")
        let replicas = try #require(base.map("spec")?.int("replicas"))
        if replicas >= 2 {
            // DATABASE_URL comes from a Secret (a postgres:// URL with a password), never a SQLite path.
            for container in Self.containers(base) {
                let url = try #require(container.list("env").first { $0.string("name") == "DATABASE_URL" })
                #expect(url["value"] == nil && url.map("valueFrom")?.map("secretKeyRef") != nil, "\(container.string("name") ?? "")")
            }
            #expect(base.map("spec")?.map("strategy")?.map("rollingUpdate")?.int("maxUnavailable") == 0)
        }
        // The SQLite overlay: one replica, replaced rather than rolled, its file on the volume.
        let patch = try Repository.documents("deploy/kubernetes/sqlite/deployment-patch.yaml")[0]
        #expect(patch.map("spec")?.int("replicas") == 1)
        #expect(patch.map("spec")?.map("strategy")?.string("type") == "Recreate")
        for container in Self.containers(patch) {
            let url = container.list("env").first { $0.string("name") == "DATABASE_URL" }?.string("value")
            let mount = container.list("volumeMounts").first { $0.string("name") == "data" }?.string("mountPath")
            #expect(url == "sqlite:/data/casebook.sqlite" && mount == "/data")
        }
        let claim = try Self.resource(kind: "PersistentVolumeClaim", in: "deploy/kubernetes/sqlite")
        #expect(Self.podSpec(patch).list("volumes").first?.map("persistentVolumeClaim")?.string("claimName") == claim.map("metadata")?.string("name"))
    }

    @Test func everyVariableIsDocumentedAndSecretsAreReferencesOnly() throws {
        let documented = try Repository.readmeEnvironmentVariables()
        #expect(documented.contains("SLACK_BOT_TOKEN") && documented.contains("PORT"))
        let all = try Self.manifests()
        #expect(!all.contains { $0.document.string("kind") == "Secret" }, "Secret values never live in the repository")
        let deployments = all.filter { $0.document.string("kind") == "Deployment" }
        #expect(deployments.count == 2)
        for (file, deployment) in deployments {
            for container in Self.containers(deployment) {
                for variable in container.list("env") {
                    let name = variable.string("name") ?? ""
                    #expect(documented.contains(name), "\(file): \(name) is not in README's environment table")
                    let secretLike = ["TOKEN", "SECRET", "KEY", "PASSWORD"].contains { name.contains($0) }
                    if secretLike {
                        #expect(variable["value"] == nil && variable.map("valueFrom")?.map("secretKeyRef") != nil, "\(file): \(name)")
                    }
                }
            }
        }
    }

    /// The ConfigMap's plugins.yaml is valid for the host: `casebook check-config` with the
    /// variables the Deployment gives it outside Secrets (values and the ConfigMap's keys). Secrets
    /// are left unset, as in a cluster without the integrations' keys: every variable the file
    /// requires must come from the ConfigMap.
    @Test func theConfigMapsPluginsYAMLChecksWithTheDeploymentsVariables() throws {
        let configMap = try Self.resource(kind: "ConfigMap")
        let data = try #require(configMap.map("data") as? [String: String])
        let pluginsYAML = try #require(data["plugins.yaml"])
        let deployment = try Self.resource(kind: "Deployment")
        let server = try #require(Self.podSpec(deployment).list("containers").first)
        var environment = ["PATH": "/usr/bin:/bin"]
        for variable in server.list("env") {
            let name = variable.string("name") ?? ""
            if let value = variable.string("value") {
                environment[name] = value
            } else if let key = variable.map("valueFrom")?.map("configMapKeyRef")?.string("key") {
                environment[name] = try #require(data[key], "\(name) refers to a key the ConfigMap lacks")
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("plugins.yaml").path
        try pluginsYAML.write(toFile: path, atomically: true, encoding: .utf8)
        environment["CASEBOOK_CONFIG"] = path
        let checked = try Repository.run(try Repository.casebookExecutable(), ["check-config"], environment: environment)
        #expect(checked.status == 0, "\(checked.output)")
    }

    @Test func ingressAndNetworkPolicyOpenOnlyWhatIsNeeded() throws {
        let ingress = try Self.resource(kind: "Ingress")
        let paths = ingress.map("spec")?.list("rules").flatMap { $0.map("http")?.list("paths") ?? [] } ?? []
        #expect(Set(paths.compactMap { $0.string("path") }) == ["/slack/events", "/hooks/"])
        let policy = try Self.resource(kind: "NetworkPolicy")
        let spec = try #require(policy.map("spec"))
        #expect(Set((spec["policyTypes"] as? [String]) ?? []) == ["Ingress", "Egress"])
        let ingressPorts = spec.list("ingress").flatMap { $0.list("ports") }.compactMap { $0.string("port") }
        #expect(ingressPorts == ["http"])
        let egressPorts = Set(spec.list("egress").flatMap { $0.list("ports") }.compactMap { $0.int("port") })
        #expect(egressPorts == [53, 443, 5432])
        let publicRule = try #require(spec.list("egress").first { $0.list("to").contains { $0.map("ipBlock") != nil } })
        let except = publicRule.list("to").first?.map("ipBlock")?["except"] as? [String] ?? []
        #expect(except.contains("10.0.0.0/8") && except.contains("169.254.0.0/16"), "no way into the cluster or the metadata service")
        #expect(publicRule.list("ports").compactMap { $0.int("port") } == [443])
    }

    /// Where kubectl is installed, both kustomizations render (kustomize refuses, for instance, an
    /// overlay inside its base), and the SQLite overlay comes out with one replica on its volume.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl")))
    func theKustomizationsRender() throws {
        let base = try Repository.run("/usr/bin/kubectl", ["kustomize", Repository.root.appendingPathComponent("deploy/kubernetes/base").path])
        #expect(base.status == 0, "\(base.output)")
        let sqlite = try Repository.run("/usr/bin/kubectl", ["kustomize", Repository.root.appendingPathComponent("deploy/kubernetes/sqlite").path])
        #expect(sqlite.status == 0, "\(sqlite.output)")
        let documents = try Yams.load_all(yaml: sqlite.output).compactMap { $0 as? [String: Any] }
        let deployment = try #require(documents.first { $0.string("kind") == "Deployment" })
        #expect(deployment.map("spec")?.int("replicas") == 1 && deployment.map("spec")?.map("strategy")?.string("type") == "Recreate")
        for container in Self.containers(deployment) {
            let url = container.list("env").first { $0.string("name") == "DATABASE_URL" }
            #expect(url?.string("value") == "sqlite:/data/casebook.sqlite" && url?["valueFrom"] == nil)
        }
        let policy = try #require(documents.first { $0.string("kind") == "NetworkPolicy" })
        #expect(!(policy.map("spec")?.list("egress") ?? []).flatMap { $0.list("ports") }.contains { $0.int("port") == 5432 })
    }

    /// Metric names as METRICS_CONTRACT (#19) fixes them: what the host exported before plus what
    /// the incident metrics add.
    static let exportedMetrics: Set<String> = [
        "slack_envelopes_total", "slack_duplicate_deliveries_total", "slack_ack_latency_seconds", "slack_socket_reconnects_total",
        "slack_api_calls_total", "slack_api_call_duration_seconds", "slack_rate_limit_waits_total", "casebook_invocations_total",
        "casebook_handler_duration_seconds", "casebook_jobs_total", "casebook_integration_requests_total",
        "casebook_integration_retries_total", "casebook_integration_request_duration_seconds", "slack_sockets_connected",
        "casebook_cases_opened_total", "casebook_cases_escalated_total", "casebook_cases_resolved_total", "casebook_cases_closed_total",
        "casebook_case_time_to_escalate_seconds", "casebook_case_time_to_resolve_seconds", "casebook_case_time_to_close_seconds",
        "casebook_war_room_assembly_seconds", "casebook_open_cases", "casebook_open_incidents", "casebook_reminders_sent_total",
        "casebook_integration_calls_total", "casebook_jobs_pending", "casebook_jobs_dead",
    ]

    @Test func alertsCoverTheFourFailuresOnExportedMetrics() throws {
        let rule = try Self.resource(kind: "PrometheusRule")
        let rules = rule.map("spec")?.list("groups").flatMap { $0.list("rules") } ?? []
        var byName: [String: [String: Any]] = [:]
        for rule in rules { byName[rule.string("alert") ?? ""] = rule }
        let pattern = try Regex("(slack|casebook)_[a-z_]+")
        for rule in rules {
            let expression = rule.string("expr") ?? ""
            for match in expression.matches(of: pattern) {
                var name = String(expression[match.range])
                for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && !Self.exportedMetrics.contains(name) {
                    name = String(name.dropLast(suffix.count))
                }
                #expect(Self.exportedMetrics.contains(name), "\(rule.string("alert") ?? ""): \(name) is not exported")
            }
            #expect(rule.map("labels")?.string("severity") != nil && rule.map("annotations")?.string("summary") != nil)
        }
        let disconnected = try #require(byName["CasebookSocketModeDisconnected"])
        #expect(disconnected.string("expr")?.contains("slack_sockets_connected") == true && disconnected.string("for") == "5m")
        let acks = try #require(byName["CasebookSlowAcks"]?.string("expr"))
        #expect(acks.contains("histogram_quantile(0.99") && acks.contains("slack_ack_latency_seconds_bucket") && acks.hasSuffix("> 1\n"))
        #expect(byName["CasebookDeadJobs"]?.string("expr")?.contains("casebook_jobs_dead") == true)
        #expect(byName["CasebookIntegrationCallsDead"]?.string("expr")?.contains("casebook_integration_calls_total") == true)
        #expect(byName["CasebookIntegrationFailureRate"]?.string("expr")?.contains("casebook_integration_requests_total") == true)
        // The ServiceMonitor's Service is the job the rules select.
        let service = try Self.resource(kind: "Service")
        #expect(rules.allSatisfy { ($0.string("expr") ?? "").contains("job=\"\(service.map("metadata")?.string("name") ?? "")\"") })
    }
}

/// Whether the probe under test says ready.
actor Ready {
    var value = false
    func set() { value = true }
}
