import Postmortem

/// The RCA page body built into the binary; `templates/confluence/rca.html` is the same text, for
/// teams to copy, edit and name in `plugins.confluence.config.template` (a test keeps them equal).
enum RCATemplate {
    static let builtIn = #"""
{{! Casebook RCA page: Confluence storage format (XHTML) with Mustache placeholders.
    Every value is escaped for XHTML; keep placeholders outside CDATA sections.
    Names: see README "Postmortems". People are their Slack names, never Confluence mentions. }}
<ac:structured-macro ac:name="info">
<ac:rich-text-body>
<p>Root cause analysis of <strong>{{title}}</strong>{{#severity}}, classified as a <strong>{{name}}</strong> incident: {{definition}}{{/severity}}</p>
</ac:rich-text-body>
</ac:structured-macro>
<h2>Incident</h2>
<table>
<tbody>
<tr><th>Status</th><td>{{status}}</td></tr>
{{#severity}}
<tr><th>Severity</th><td>{{name}}</td></tr>
{{/severity}}
<tr><th>Opened</th><td>{{opened_at}} by {{opened_by}}</td></tr>
{{#escalated_at}}
<tr><th>Escalated</th><td>{{escalated_at}} (time to escalate: {{time_to_escalate}})</td></tr>
{{/escalated_at}}
{{#resolved_at}}
<tr><th>Resolved</th><td>{{resolved_at}}{{#resolved_by}} by {{resolved_by}}{{/resolved_by}}{{#time_to_resolve}} (time to resolve: {{time_to_resolve}}){{/time_to_resolve}}</td></tr>
{{/resolved_at}}
<tr><th>Case channel</th><td><a href="{{case_channel.url}}">{{case_channel.name}}</a></td></tr>
{{#rca_channel}}
<tr><th>RCA channel</th><td><a href="{{url}}">{{name}}</a></td></tr>
{{/rca_channel}}
</tbody>
</table>
<h2>Roles</h2>
<table>
<tbody>
<tr><th>Role</th><th>Who</th></tr>
{{#roles}}
<tr><td>{{role_name}}</td><td>{{name}}</td></tr>
{{/roles}}
{{^roles}}
<tr><td>Incident Commander</td><td>nobody took command</td></tr>
{{/roles}}
</tbody>
</table>
<h2>Summary</h2>
<ac:structured-macro ac:name="note">
<ac:rich-text-body>
<p>Describe what happened in a few sentences: what broke, who noticed, how it was fixed.</p>
</ac:rich-text-body>
</ac:structured-macro>
<h2>User impact</h2>
<p>{{impact}}</p>
<h2>Status updates</h2>
{{#updates}}
<p><strong>{{at}}</strong>, {{author}}: {{text}}</p>
<ul>
<li>Impact: {{impact}}</li>
{{#components}}
<li>Components: {{components}}</li>
{{/components}}
</ul>
{{/updates}}
{{^updates}}
<p>No status updates were posted.</p>
{{/updates}}
<h2>Timeline</h2>
<table>
<tbody>
<tr><th>Time (UTC)</th><th>Who</th><th>What</th></tr>
{{#timeline}}
<tr><td>{{at}}</td><td>{{actor}}</td><td>{{text}}</td></tr>
{{/timeline}}
</tbody>
</table>
<h2>Evidence</h2>
{{#evidence}}
<p><a href="{{url}}">Message in Slack</a>, added {{added_at}} by {{added_by}}</p>
{{/evidence}}
{{^evidence}}
<p>No evidence was collected.</p>
{{/evidence}}
<h2>Response time</h2>
<table>
<tbody>
<tr><th>Time to escalate</th><td>{{time_to_escalate}}</td></tr>
<tr><th>Time to resolve</th><td>{{time_to_resolve}}</td></tr>
<tr><th>Time to detect</th><td></td></tr>
</tbody>
</table>
<h2>Root cause</h2>
<p>{{root_cause}}</p>
<h2>Actions</h2>
<h3>Immediate</h3>
<p>{{actions}}</p>
<h3>Preventive</h3>
<p></p>
<h3>Strategic</h3>
<p></p>

"""#
}
