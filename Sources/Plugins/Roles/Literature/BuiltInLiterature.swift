// Generated from templates/severities.yaml and templates/roles.yaml; a test checks they are identical,
// so edit the template and copy it here. Built in so Casebook runs from any directory with no files.

extension SeverityScale {
    /// `templates/severities.yaml`, as shipped.
    public static let builtInYAML = #"""
# Severity levels of an incident, most severe first. Casebook offers exactly these levels in
# `/case severity` and on the incident's control panel. Point `severities_file` of the `roles`
# plugin in plugins.yaml at an edited copy of this file to change them.
#
#   id           what people type (`/case severity sev2`): lowercase letters, digits, - and _
#   name         how the level is shown
#   description  when to use it, shown next to the level
levels:
  - id: sev1
    name: SEV1
    description: Critical. The product is down or data is being lost for many customers; all hands, updates every half hour.
  - id: sev2
    name: SEV2
    description: Major. A core feature is broken or badly degraded for many customers; updates every half hour.
  - id: sev3
    name: SEV3
    description: Minor. A non-core feature is broken or a few customers are affected; a workaround exists.
  - id: sev4
    name: SEV4
    description: Low. Cosmetic or internal impact only; fix it in working hours.
"""#
}

extension RoleBook {
    /// `templates/roles.yaml`, as shipped.
    public static let builtInYAML = #"""
# Incident roles: who does what while an incident runs. Casebook offers exactly these roles in
# `/case role` and on the incident's control panel, and sends the description and duties to
# whoever takes a role. Point `roles_file` of the `roles` plugin in plugins.yaml at an edited
# copy of this file to change them.
#
#   id             what people type (`/case role comms @dana`): lowercase letters, digits, - and _
#                  The role with id `commander` is the Cases plugin's incident commander and must be listed.
#   name           how the role is shown
#   description    one sentence, sent to the person who takes the role
#   duties         what the role does, sent with the description
#   invite_to_rca  invite this role's holder to the RCA channel when the incident is resolved (default false)
roles:
  - id: commander
    name: Incident commander
    description: Leads the response and makes the decisions; the single point of coordination until the incident is resolved.
    duties:
      - Set and revise the severity and the status as the picture changes.
      - Assign the other roles and make sure every open task has an owner.
      - Decide on escalation, customer communication and when the incident is resolved.
    invite_to_rca: true
  - id: comms
    name: Communications liaison
    description: Keeps everyone outside the incident channel informed, so responders can focus on the fix.
    duties:
      - Post a status update (`/case update`) at least every half hour for severe incidents.
      - Answer questions from support, leadership and other teams.
      - Draft customer-facing messages for the commander to approve.
    invite_to_rca: false
  - id: tech_lead
    name: Technical lead
    description: Leads the technical investigation and the fix.
    duties:
      - Form and test hypotheses; coordinate the engineers working on the problem.
      - Keep the channel informed of findings and of every change made to production.
      - Record the evidence the root cause analysis will need.
    invite_to_rca: true
"""#
}
