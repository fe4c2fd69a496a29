# language: en
Feature: P7 — deputies' suggestions and CPPCC members' proposals
  The committee handles the suggestions of people's congress deputies and the proposals of CPPCC members
  (source §IV.3: 认真办理人大、政协的议案、提案和视察建议): each is registered, assigned to a lead unit under a
  member of the committee, and answered within three months of its assignment (Law on Deputies Art. 43; the CPPCC
  proposal-work rules). The proposer's satisfaction is recorded; an unsatisfied proposer has it handled again by a
  new deadline. Unanswered at its deadline, it is a supervision finding that opens one accountability case.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"

  Scenario: A deputy's suggestion is answered within three months by its lead member and closed once the deputy is satisfied
    Given "sec" starts a "proposal_handling" with:
      | fact     | value                           |
      | kind     | deputy_suggestion               |
      | title    | A bus stop at the county school |
      | proposer | deputy Zhang                    |
      | body     | sc                              |
    Then the matter is "registered"
    And rule "R-PROPOSAL-FIELDS" passed
    When "sec" tries to fire "assign" with:
      | fact        | value                  |
      | lead_unit   | transport bureau       |
      | lead_member | m1                     |
      | reply_due   | 2026-06-03T18:00+08:00 |
    Then the step is refused by rule "R-PROPOSAL-REPLY-PERIOD"
    And the refusal says "needs ≤ 3 months"
    And the refused rule is titled "The answer is due within three months of the assignment" and cites "Art. 43"
    And the refused step changed nothing
    When "sec" fires "assign" with:
      | fact        | value                  |
      | lead_unit   | transport bureau       |
      | lead_member | m1                     |
      | reply_due   | 2026-06-01T18:00+08:00 |
    Then the matter is "handling"
    And rule "R-PROPOSAL-ASSIGNED" passed
    When "m2" tries to fire "answer" with:
      | fact  | value                          |
      | reply | A stop will be built by May    |
    Then the step is refused by rule "R-PROPOSAL-ANSWER"
    And the refusal says "only the lead member m1 answers, stating the answer in the step itself"
    And the refused step changed nothing
    When "m1" fires "answer" with:
      | fact  | value                          |
      | reply | A stop will be built by May    |
    And "sec" fires "record_satisfaction" with:
      | fact         | value               |
      | satisfaction | basically_satisfied |
    Then the matter is "closed"
    And rule "R-PROPOSAL-SATISFIED" passed
    And no accountability case concerns the suggestion, for an unanswered suggestion or proposal

  Scenario: An unsatisfied proposer has the proposal handled again; unanswered by the new deadline, it opens a case
    Given "sec" starts a "proposal_handling" with:
      | fact     | value                   |
      | kind     | cppcc_proposal          |
      | title    | Clean up the Qing river |
      | proposer | member Li               |
      | body     | sc                      |
    And "sec" fires "assign" with:
      | fact        | value                  |
      | lead_unit   | environment bureau     |
      | lead_member | m2                     |
      | reply_due   | 2026-04-01T18:00+08:00 |
    And "m2" fires "answer" with:
      | fact  | value                                 |
      | reply | Dredging is planned for next year     |
    When the engine reviews what falls due once until "2026-04-05T09:00+08:00"
    And "sec" tries to fire "record_satisfaction" with:
      | fact         | value       |
      | satisfaction | unsatisfied |
    Then the step is refused by rule "R-PROPOSAL-DUE-AHEAD"
    And the refusal says "handling it again needs a new one"
    And the refused step changed nothing
    When "sec" tries to fire "record_satisfaction" with:
      | fact      | value                  |
      | reply_due | 2026-05-01T18:00+08:00 |
    Then the step is refused by rule "R-PROPOSAL-SATISFACTION"
    And the refusal says "missing: satisfaction"
    When "sec" fires "record_satisfaction" with:
      | fact         | value                  |
      | satisfaction | unsatisfied            |
      | reply_due    | 2026-05-01T18:00+08:00 |
    Then the matter is "rehandling"
    And rule "R-PROPOSAL-SATISFIED" failed
    When the engine reviews what falls due every day until "2026-05-02T09:00+08:00"
    Then the matter is "overdue"
    And 1 accountability case concerns the suggestion, for an unanswered suggestion or proposal
    When "m2" tries to fire "answer"
    Then the step is refused by rule "R-PROPOSAL-ANSWER"
    And the refusal says "an answer after re-handling states a new one"
    And the refused step changed nothing
    When "m2" fires "answer" with:
      | fact  | value                                       |
      | reply | Dredging starts in June; the budget is set |
    Then the matter is "answered"

  Scenario: A suggestion is registered with its proposer and assigned to a lead unit under a voting member
    When "sec" tries to start a "proposal_handling" with:
      | fact  | value                           |
      | kind  | deputy_suggestion               |
      | title | A bus stop at the county school |
      | body  | sc                              |
    Then the step is refused by rule "R-PROPOSAL-FIELDS"
    And the refusal says "missing: proposer"
    When "sec" starts a "proposal_handling" with:
      | fact     | value                           |
      | kind     | deputy_suggestion               |
      | title    | A bus stop at the county school |
      | proposer | deputy Zhang                    |
      | body     | sc                              |
    And "sec" tries to fire "assign" with:
      | fact        | value                  |
      | lead_member | m1                     |
      | reply_due   | 2026-05-01T18:00+08:00 |
    Then the step is refused by rule "R-PROPOSAL-ASSIGNED"
    And the refusal says "missing: lead_unit"
    When "sec" tries to fire "assign" with:
      | fact        | value                  |
      | lead_unit   | transport bureau       |
      | lead_member | npc                    |
      | reply_due   | 2026-05-01T18:00+08:00 |
    Then the step is refused by rule "R-LEAD-MEMBER"
    And the refused step changed nothing
    And the matter is still "registered"
