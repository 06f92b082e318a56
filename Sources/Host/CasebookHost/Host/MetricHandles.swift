import CasebookKit
import CoreMetrics
import Synchronization

/// Metric handles made once per label set and reused. Creating a `Counter` or `Timer` asks the
/// factory every time (for Prometheus: name checks and a locked lookup), which on the path of every
/// delivery is worth avoiding; a lock and a dictionary lookup here is cheaper.
final class MetricHandles<Handle: Sendable>: Sendable {
    private let handles = Mutex<[[String]: Handle]>([:])
    private let make: @Sendable ([String]) -> Handle

    /// - Parameter make: builds the handle for a list of dimension values.
    init(_ make: @escaping @Sendable ([String]) -> Handle) {
        self.make = make
    }

    func callAsFunction(_ values: String...) -> Handle {
        if let handle = handles.withLock({ $0[values] }) { return handle }
        let handle = make(values)
        handles.withLock { $0[values] = handle }
        return handle
    }
}
