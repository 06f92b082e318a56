public import CasebookKit
import Foundation
import Synchronization

/// A person opening the app's Home (reference/slack.md §4): Slack sends `app_home_opened` each
/// time, with the tab they opened and, once the app has published one, their current Home view.
extension SlackSimulator {
    /// `user` opens the app's `home` (or `messages`) tab; returns the `app_home_opened` event.
    public func appHomeOpened(user: String, tab: String = "home") throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let person = try Self.person(state, user)
            guard ["home", "messages"].contains(tab) else { throw SimulatorError("the app's Home has no tab \(tab); it has home and messages") }
            if tab == "home" && state.homeTabEnabled == false { throw SimulatorError("the app's manifest does not enable the Home tab") }
            let channel = state.directMessage(with: person.id, now: now)
            var inner: [String: JSONValue] = [
                "type": "app_home_opened", "user": .string(person.id), "channel": .string(channel), "tab": .string(tab),
                "event_ts": .string(Self.actionTS(now)),
            ]
            if tab == "home", let id = state.homeViews[person.id] { inner["view"] = ViewsAPI.viewJSON(state, id) }
            return state.wrapEvent(inner, now: now)
        }
    }

    /// `user`'s Home tab as text, its buttons numbered for ``click(_:user:choice:)``; nil when the
    /// app has published none for them.
    public func renderingOfHome(for user: String) -> Rendering? {
        let result: Rendering? = store.withState { state in
            guard let id = state.user(user).flatMap({ state.homeViews[$0.id] }), let view = state.views[id] else { return nil }
            var renderer = Renderer(state: state)
            renderer.home(view)
            return renderer.rendering
        }
        if let result { lastRendering.withLock { $0 = result } }
        return result
    }
}
