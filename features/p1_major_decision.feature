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
