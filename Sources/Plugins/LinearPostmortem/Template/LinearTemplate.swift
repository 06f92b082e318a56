import Postmortem

/// The built-in Markdown of the description; `templates/linear/postmortem.md` is an
/// editable copy (a test keeps the two equal).
enum LinearTemplate {
    static let name = "built-in Linear postmortem template"

    static let builtIn = """
        {{! The description of the Linear postmortem issue (plugin `linear`). Markdown with Mustache
            placeholders; every value is escaped for Markdown. Point `plugins.linear.config.template` at an
            edited copy of this file. The names you can use are listed in the README ("Postmortems"). }}
        ## Summary

        **{{title}}** — {{status}}{{#severity}} · **{{name}}**: {{definition}}{{/severity}}

        | | |
        | --- | --- |
        | Opened | {{opened_at}} by {{opened_by}} |
        {{#escalated_at}}
        | Escalated | {{escalated_at}} (time to escalate: {{time_to_escalate}}) |
        {{/escalated_at}}
        {{#resolved_at}}
        | Resolved | {{resolved_at}}{{#resolved_by}} by {{resolved_by}}{{/resolved_by}}{{#time_to_resolve}} (time to resolve: {{time_to_resolve}}){{/time_to_resolve}} |
        {{/resolved_at}}
        | Case channel | [{{case_channel.name}}]({{case_channel.url}}) |
        {{#rca_channel}}
        | RCA channel | [{{name}}]({{url}}) |
        {{/rca_channel}}

        ## Roles

        {{#roles}}
        - **{{role_name}}**: {{name}}
        {{/roles}}
        {{^roles}}
        - Nobody held a role.
        {{/roles}}

        ## Status updates

        {{#updates}}
        - {{at}} — {{author}} — impact: {{impact}}{{#components}} — components: {{components}}{{/components}}
          {{text}}
        {{/updates}}
        {{^updates}}
        - No status updates were posted.
        {{/updates}}

        ## Evidence

        {{#evidence}}
        - [{{url}}]({{url}}) — added {{added_at}} by {{added_by}}
        {{/evidence}}
        {{^evidence}}
        - No evidence was linked.
        {{/evidence}}

        ## Timeline

        {{#timeline}}
        - {{at}} — {{actor}}: {{text}}
        {{/timeline}}

        ## Impact

        {{impact}}

        ## Root cause

        {{root_cause}}

        ## Actions

        {{actions}}

        """
}
