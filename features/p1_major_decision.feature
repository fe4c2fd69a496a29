# language: en
Feature: P1 — individual deliberation, then meeting decision
  Collective leadership, democratic centralism, individual deliberation, meeting decision
  (source §III.2, §IV.1, §IV.3). A major matter is proposed, prepared, discussed with every voting
  member one by one, decided by ballot at a meeting of the right body, published, carried out,
  evaluated and closed. Quorum and passing count the members who should attend, not only those present.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"

  Scenario: A major matter goes through the whole procedure and is adopted
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    When "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    Then the matter is "scheduled"
    When the meeting time has come
    And "npc" is invited to attend without a vote
    And "sec" opens the meeting with all members present
    Then rule "R-QUORUM-SC" passed saying "present 11 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    When the members present state the view "agree", the secretary last
    And the members present vote: 7 agree, 2 oppose, 2 abstain
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 7 agree, 2 oppose, 2 abstain; 11 present of 11 who should attend
    And rule "R-PASS" passed saying "agree 7 of 11 who should attend; needs at least 6 (> 1/2 of 11)"
    When "sec" publishes the decision to the public
    And "sec" hands the decision over for responsibility assignment
    And "sec" assigns the task "Resurface the county road" to lead member "m1" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And "sec" evaluates the decision as succeeded: "targets met on time"
    And "sec" closes the matter
    Then the matter is "closed"
    And the history holds 45 events and the audit chain is intact

  Scenario: A major matter cannot be scheduled before every voting member was consulted
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member except "m9"
    When "sec" tries to schedule the matter for a meeting on "2026-03-10T09:00+08:00"
    Then the step is refused by rule "R-DELIBERATION"
    And the refusal says "consulted 10 of 11 voting members; still missing: m9"
    And the refused rule is titled "Every voting member is consulted before a major matter is scheduled" and cites "§IV.1"
    And the refused step changed nothing
    And the matter is still "deliberation"

  Scenario: An especially major matter cannot be put to the standing committee
    When "sec" tries to propose an especially major matter "Five-year plan" to "sc" with lead member "m1"
    Then the step is refused by rule "R-PLENARY-MATTER"
    And the refusal says "goes to the plenary committee; sc is a standing body"
    And the refused rule is titled "Especially major matters go to the plenary committee" and cites "§III.2"
    And the refused step changed nothing

  Scenario: An especially major matter goes to the plenary committee
    Given a plenary committee "pc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"
    And members "w1" to "w4" also sit on "pc"
    When "sec" proposes an especially major matter "Five-year plan" to "pc" with lead member "m1"
    Then the matter is "proposed"
    And rule "R-PLENARY-MATTER" passed
    When "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    Then the matter is "scheduled"
    And rule "R-PLENARY-MATTER" passed

  Scenario: A secretary's office meeting does not decide
    Given a secretary's office meeting "office" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m2"
    And "sec" proposes a major matter "County budget 2026" to "office" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    When "sec" tries to schedule the matter for a meeting on "2026-03-10T09:00+08:00"
    Then the step is refused by rule "R-NO-OFFICE-DECISION"
    And the refusal says "is a secretary_office body; only a standing committee or plenary meeting decides"
    And the refused rule is titled "A secretary's office meeting does not decide" and cites "§IV.1"
    And the refused step changed nothing
    And the matter is still "deliberation"

  Scenario: The meeting cannot open without a quorum of those who should attend
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    When "sec" tries to open the meeting with 5 members present
    Then the step is refused by rule "R-QUORUM-SC"
    And the refusal says "present 5 of 11 who should attend; needs at least 6"
    And the refused step changed nothing
    And the matter is still "scheduled"

  Scenario: More than half of those present is not enough: agree votes must exceed half of those who should attend
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with 8 members present
    When the members present state the view "agree", the secretary last
    And the members present vote: 5 agree, 3 oppose, 0 abstain
    And "sec" closes the ballot
    Then the matter is "rejected"
    And the ballot counts 5 agree, 3 oppose, 0 abstain; 8 present of 11 who should attend
    And rule "R-PASS" failed saying "agree 5 of 11 who should attend; needs at least 6 (> 1/2 of 11)"

  Scenario Outline: Quorum and passing are counted on the 11 members who should attend
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with <present> members present
    When the members present state the view "agree", the secretary last
    And the members present vote: <agree> agree, <oppose> oppose, <abstain> abstain
    And "sec" closes the ballot
    Then the matter is "<state>"
    And rule "R-PASS" <result>

    Examples:
      | present | agree | oppose | abstain | state    | result |
      | 6       | 6     | 0      | 0       | adopted  | passed |
      | 8       | 5     | 3      | 0       | rejected | failed |
      | 11      | 5     | 0      | 6       | rejected | failed |
      | 11      | 6     | 5      | 0       | adopted  | passed |

  Scenario: A full-time deputy secretary and a cross-appointed standing member act in the roles they hold
    PROCEDURE.md: both are voting standing members; the full-time deputy holds the consultations a
    deputy secretary may hold.
    Given a body "sc" of kind "standing" with these members:
      | person | role                            | voting |
      | sec    | secretary                       | true   |
      | ftd    | full_time_deputy_secretary      | true   |
      | gov    | cross_appointed_standing_member | true   |
      | m1     | standing_member                 | true   |
      | m2     | standing_member                 | true   |
    And "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    When "m1" prepares the matter and starts individual deliberation
    And "ftd" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    Then rule "R-QUORUM-SC" passed saying "present 5 of 5 who should attend; needs at least 3 (≥ 1/2 of 5)"
    When the members present state the view "agree", the secretary last
    And the members present vote: 5 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    Then the matter is "adopted"

  Scenario: A body seating a role the pack does not know is refused
    When an attempt is made to define a body "sc2" of kind "standing" with these members:
      | person | role     | voting |
      | x      | chairman | true   |
    Then the step is refused as invalid input naming "'chairman', which no rule pack knows"
    And the refused step changed nothing

  Scenario: The lead member sponsoring a matter holds the individual consultations; another member may not
    P1.3: the secretary, or the member sponsoring the matter, consults each voting member; the pack's
    consulting roles (secretary, deputy secretary) and the matter's proposer and lead member may.
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    When "m2" tries to fire "consult" with:
      | fact   | value |
      | member | m3    |
      | view   | agree |
    Then the step is refused by rule "R-CONSULTER"
    And the refusal says "m2 is standing member; allowed: secretary, deputy secretary; or the matter's proposer, lead member"
    And the refused rule is titled "Individual consultations are held by the secretary, a deputy secretary or the matter's sponsor" and cites "§IV.3"
    And the refused step changed nothing
    When "m1" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    Then the matter is "scheduled"
    And rule "R-DELIBERATION" passed

  Scenario: A step is taken only by the roles it names
    Source §IV.2 (常委分工负责制): only the secretary puts a matter on a meeting agenda.
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    When "m2" tries to fire "schedule" with:
      | fact       | value                  |
      | meeting_at | 2026-03-10T09:00+08:00 |
    Then the step is refused by rule "R-ROLE"
    And the refusal says "m2 is standing member; allowed: secretary"
    And the refused rule is titled "Only the roles a step names may take it" and cites "§IV.2"
    And the refused step changed nothing
    And the matter is still "deliberation"

  Scenario: A matter is not proposed without its category
    Source §IV.4 (谁主管、谁负责): a matter names its title, category, proposer and lead member.
    When "sec" tries to start a "major_decision" with:
      | fact            | value              |
      | title           | County budget 2026 |
      | proposer        | sec                |
      | lead_member     | m1                 |
      | body            | sc                 |
      | confidentiality | public             |
    Then the step is refused by rule "R-PROPOSAL"
    And the refusal says "missing: category"
    And the refused step changed nothing

  Scenario: A matter's lead member is a voting member of the body
    When "sec" tries to propose a major matter "County budget 2026" to "sc" with lead member "npc"
    Then the step is refused by rule "R-LEAD-MEMBER"
    And the refusal says "npc is not among voting members"
    And the refused step changed nothing

  Scenario: Individual deliberation does not start before the preparation is recorded
    Source §III.2, §IV.3: research, expert consultation and the opinions sought come first.
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" fires "prepare"
    When "m1" tries to fire "start_deliberation"
    Then the step is refused by rule "R-PREPARED"
    And the refusal says "missing: preparation"
    And the refused step changed nothing
    And the matter is still "preparation"

  Scenario: Only voting members of the body are consulted individually
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    When "sec" tries to fire "consult" with:
      | fact   | value |
      | member | npc   |
      | view   | agree |
    Then the step is refused by rule "R-CONSULTEE"
    And the refusal says "npc is not among voting members"
    And the refused step changed nothing

  Scenario: A matter is not put on an agenda without a meeting time
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    When "sec" tries to fire "schedule"
    Then the step is refused by rule "R-MEETING-TIME"
    And the refusal says "missing: meeting_at"
    And the refused step changed nothing
    And the matter is still "deliberation"

  Scenario: A matter is not put on an agenda for a meeting time already past
    A meeting time before the moment of scheduling is a data error: the step is refused, not warned of.
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    When "sec" tries to schedule the matter for a meeting on "2024-03-02T09:00+08:00"
    Then the step is refused by rule "R-MEETING-AHEAD"
    And the refusal says "the meeting time 2024-03-02T01:00:00+00:00 is before now (2026-03-02T01:00:00+00:00)"
    And the refused rule is titled "A meeting is set for a time still to come" and cites "common practice"
    And the refused step changed nothing
    And the matter is still "deliberation"
    When "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    Then the matter is "scheduled"
    And rule "R-MEETING-AHEAD" passed

  Scenario: A meeting called at less than a day's notice is scheduled, with a warning
    Topics and materials are sent a day ahead (parameter advance_notice); the rule warns, it does not refuse.
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    When "sec" schedules the matter for a meeting on "2026-03-02T15:00+08:00"
    Then the matter is "scheduled"
    And rule "R-ADVANCE-NOTICE" failed saying "6 h from 2026-03-02T01:00:00+00:00 to 2026-03-02T07:00:00+00:00; needs ≥ 1 d"

  Scenario: A meeting does not open before its scheduled time
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    When "sec" tries to open the meeting with all members present
    Then the step is refused by rule "R-MEETING-DAY"
    And the refusal says "the meeting is set for 2026-03-10T01:00:00+00:00; it cannot open earlier"
    And the refused step changed nothing
    And the matter is still "scheduled"

  Scenario: Each member states a view once, so nobody speaks after the secretary
    Party-group regulation (2019) Art. 27 (末位表态).
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    And the members present state the view "agree", the secretary last
    When "m1" tries to state the view "oppose"
    Then the step is refused by rule "R-ONE-VIEW"
    And the refusal says "m1 is already among members who have stated a view"
    And the refused step changed nothing

  Scenario: A secret decision is published only within the committee
    Source §IV.1 (决策信息公开制度、党务公开): the audience follows the matter's confidentiality.
    Given "sec" starts a "major_decision" with:
      | fact            | value               |
      | title           | Land reserve reform |
      | category        | major               |
      | proposer        | sec                 |
      | lead_member     | m1                  |
      | body            | sc                  |
      | confidentiality | secret              |
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    And the members present state the view "agree", the secretary last
    And the members present vote: 11 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    When "sec" tries to fire "publish" with:
      | fact     | value |
      | audience | party |
    Then the step is refused by rule "R-DISCLOSURE"
    And the refusal says "a secret decision cannot be published to the audience 'party'"
    And the refused step changed nothing
    And the matter is still "adopted"
    When "sec" publishes the decision to the committee
    Then the matter is "published"

  Scenario: An evaluation states its finding; a decision evaluated as succeeded is kept and closed
    Source §IV.1 (决策评估系统和纠错改正机制).
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    And the members present state the view "agree", the secretary last
    And the members present vote: 11 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    And "sec" publishes the decision to the public
    And "sec" hands the decision over for responsibility assignment
    And "sec" assigns the task "Resurface the county road" to lead member "m1" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "sec" tries to fire "evaluate" with:
      | fact       | value     |
      | evaluation | succeeded |
    Then the step is refused by rule "R-EVALUATION"
    And the refusal says "missing: finding"
    And the refused step changed nothing
    And the matter is still "executing"
    When "sec" evaluates the decision as succeeded: "targets met on time"
    Then the matter is "evaluated"
    And rule "R-CORRECT-FAILED" failed saying "the evaluation found the decision succeeded; only a failed decision is corrected"
    When "sec" closes the matter
    Then the matter is "closed"
    And rule "R-CLOSE-SUCCEEDED" passed

  Scenario: A decision evaluated as failed is corrected through a new matter, not closed
    Source §IV.1 (纠错改正机制), §IV.5 (决策失误责任追究).
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    And the members present state the view "agree", the secretary last
    And the members present vote: 11 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    And "sec" publishes the decision to the public
    And "sec" hands the decision over for responsibility assignment
    And "sec" assigns the task "Resurface the county road" to lead member "m1" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "sec" evaluates the decision as failed: "two of five targets missed"
    Then the matter is "corrected"
    And rule "R-CORRECT-FAILED" passed saying "evaluation result is failed"
    When "sec" tries to fire "close"
    Then the step is refused because "close" is not allowed in state "corrected"
    And the refused step changed nothing
