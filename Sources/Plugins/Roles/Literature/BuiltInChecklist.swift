// Generated from templates/checklist.yaml; a test checks they are identical, so edit the template
// and copy it here. Built in so Casebook runs from any directory with no files.

extension Checklist {
    /// `templates/checklist.yaml`, as shipped.
    public static let builtInYAML = #"""
# The war-room checklist. When a case is escalated to an incident, Casebook posts this list in the
# case channel as checkboxes and pins it; anyone in the channel ticks an item when it is done, and
# every tick (who, when) goes on the incident's timeline. `/case checklist` posts it again at the
# bottom of the channel; `/case status` shows how far it is (checklist 3/7). Point
# `checklist_file` of the `roles` plugin in plugins.yaml at an edited copy of this file to change
# it, or set `checklist: false` there to turn the checklist off.
#
#   items       what every incident does, in order: 1 to 40 items of one line and at most 75
#               characters each (Slack's limit for a checkbox); mrkdwn such as `code` works
#   severities  optional: extra items by severity level id, listed after `items` while the
#               incident is at that level (they appear when the severity changes to it; items
#               already ticked stay on the list). Your copy may name only levels of your severities
#               file; the built-in copy skips levels the severities do not have.
items:
  - Take command (claim the commander role on the control panel)
  - Set the severity and the status on the control panel
  - Assign a communications liaison and a technical lead
  - Post the first status update (`/case update`)
  - Add the alerts and messages that show the problem as evidence
  - Say every change made to production in this channel
  - Confirm the fix with the people who reported the problem
severities:
  sev1:
    - Page the on-call engineering manager
    - Tell support and leadership that a SEV1 is under way
    - Decide with the commander whether the status page needs a post
  sev2:
    - Tell support that a SEV2 is under way
    - Decide with the commander whether the status page needs a post
"""#
}
