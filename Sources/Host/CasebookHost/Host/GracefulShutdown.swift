/// How long `casebook serve` takes at most to stop after SIGTERM: in-flight handlers finish and
/// Socket Mode connections drain their acks. A deployment's termination grace period must cover
/// this plus its preStop delay (deploy/kubernetes checks it in DeployTests).
public enum GracefulShutdown {
    public static let maximumDuration: Duration = .seconds(20)
}
