#!/usr/bin/env python3
"""Generates Sources/Host/SlackMethods/SlackMethodCatalog.swift from Slack's method catalogue
(slack-ruby/slack-api-ref JSON files in Sources/Host/SlackMethods/Methods/, not compiled).

Per method it keeps what the Web API client and the simulator need: the bot scopes (any one is
enough), the rate tier, whether a JSON body is accepted, the documented HTTP method and the
required arguments other than `token`.

Usage (from the repository root):  python3 scripts/generate-method-catalog.py
"""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_DIR = os.path.join(ROOT, "Sources", "Host", "SlackMethods", "Methods")
OUTPUT = os.path.join(ROOT, "Sources", "Host", "SlackMethods", "SlackMethodCatalog.swift")

# Methods the host calls that the stored catalogue may lack. A JSON file of the same name wins.
FALLBACKS = {
    "conversations.open": {
        "http_method": "POST",
        "scope": {"bot": ["channels:manage", "groups:write", "im:write", "mpim:write"]},
        "rate_limits": "t3",
        "json_input_supported": True,
    },
}

TIERS = {"t1": ".tier1", "t2": ".tier2", "t3": ".tier3", "t4": ".tier4", "t5": ".special"}


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load():
    methods = dict(FALLBACKS)
    for path in sorted(glob.glob(os.path.join(SOURCE_DIR, "*.json"))):
        name = os.path.basename(path)[: -len(".json")]
        with open(path, encoding="utf-8") as handle:
            methods[name] = json.load(handle)
    return methods


def entry(name, spec):
    scopes = (spec.get("scope") or {}).get("bot") or []
    tier = spec.get("rate_limits", "t3")
    if tier not in TIERS:
        sys.exit(f"{name}: unknown rate tier {tier!r}")
    json_input = bool(spec.get("json_input_supported", False))
    http_method = spec.get("http_method", "POST").upper()
    required = [arg for arg in ((spec.get("args") or {}).get("required") or []) if arg != "token"]
    scope_list = "[" + ", ".join(swift_string(s) for s in scopes) + "]"
    required_list = "[" + ", ".join(swift_string(a) for a in required) + "]"
    return (
        f"        {swift_string(name)}: SlackMethodInfo(\n"
        f"            name: {swift_string(name)}, botScopes: {scope_list},\n"
        f"            tier: {TIERS[tier]}, jsonInputSupported: {'true' if json_input else 'false'}, "
        f"httpMethod: {swift_string(http_method)},\n"
        f"            requiredArguments: {required_list}),\n"
    )


def main():
    methods = load()
    out = [
        "// GENERATED FILE — do not edit by hand.\n",
        "// Source: Sources/Host/SlackMethods/Methods/*.json (Slack's method catalogue, slack-ruby/slack-api-ref),\n",
        "// plus the fallbacks hard-coded in the script for methods missing there.\n",
        "// Regenerate from the repository root with:  python3 scripts/generate-method-catalog.py\n",
        "\n",
        "extension SlackMethodCatalog {\n",
        "    /// Every catalogued method by name.\n",
        "    static let generated: [String: SlackMethodInfo] = [\n",
    ]
    for name in sorted(methods):
        out.append(entry(name, methods[name]))
    out += ["    ]\n", "}\n"]
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        handle.writelines(out)
    print(f"wrote {len(methods)} methods to {os.path.relpath(OUTPUT, ROOT)}")


if __name__ == "__main__":
    main()
