# language: en
Feature: P2 — ballot voting at the standing committee
  Ballot voting (常委会票决制, source §IV.1). Every member present states a view, the secretary last (末位表态),
  before anyone votes or the ballot is closed; where votes are cast one by one (oral or roll call), the secretary
  also votes last. Only voting members who are present and not recused state views and vote, one vote each, and
  nobody votes after the ballot closes. Quorum and passing are counted on the members who should attend, and
  recused members leave that number. A personnel matter needs two thirds present and is voted agree / disagree /
  defer. A secret ballot records who returned a ballot and the totals its tellers counted, but not who chose what.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"

  Scenario: Two recused members leave the count: quorum and passing are computed on nine
    Given "sec" proposes a major matter "Land transfer to Dongfeng Co." to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "m8" and "m9" are recused from the matter
    When "sec" opens the meeting with all other members present
    Then rule "R-QUORUM-SC" passed saying "present 9 of 9 who should attend; needs at least 5 (≥ 1/2 of 9)"
    When the members present state the view "agree", the secretary last
    And the members present vote: 5 agree, 4 oppose, 0 abstain
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 5 agree, 4 oppose, 0 abstain; 9 present of 9 who should attend
    And rule "R-PASS" passed saying "agree 5 of 9 who should attend; needs at least 5 (> 1/2 of 9)"
    And the ballot result is recorded as passed, 5 agree votes needed, by named ballot
    And the dissent recorded is "m5", "m6", "m7" and "sec"

  Scenario Outline: Agree votes must exceed half of the 11 who should attend; abstaining is not agreeing
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    When the members present state the view "agree", the secretary last
    And the members present vote: <agree> agree, <oppose> oppose, <abstain> abstain
    And "sec" closes the ballot
    Then the matter is "<state>"
    And the ballot counts <agree> agree, <oppose> oppose, <abstain> abstain; 11 present of 11 who should attend
    And rule "R-PASS" <result> saying "agree <agree> of 11 who should attend; needs at least 6 (> 1/2 of 11)"
    And the ballot result is recorded as <result>, 6 agree votes needed, by named ballot

    Examples:
      | agree | oppose | abstain | state    | result |
      | 6     | 5      | 0       | adopted  | passed |
      | 6     | 0      | 5       | adopted  | passed |
      | 5     | 0      | 6       | rejected | failed |

  Scenario: A personnel matter needs two thirds present and is voted agree, disagree or defer
    Given "sec" proposes a personnel matter "Appointment of the county finance director" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    When "sec" tries to open the meeting with 7 members present
    Then the step is refused by rule "R-QUORUM-CADRE"
    And the refusal says "present 7 of 11 who should attend; needs at least 8"
    And the refused rule is titled "Personnel matters need two thirds present" and cites "Art. 37"
    And the refused step changed nothing
    And the matter is still "scheduled"
    When "sec" opens the meeting with 8 members present
    Then rule "R-QUORUM-CADRE" passed saying "present 8 of 11 who should attend; needs at least 8 (≥ 2/3 of 11)"
    When the members present state the view "agree", the secretary last
    And "m1" tries to vote "oppose"
    Then the step is refused as invalid input naming "agree, disagree, defer"
    And the refused step changed nothing
    When the members present vote on the appointment: 6 agree, 1 disagree, 1 defer
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the personnel ballot counts 6 agree, 1 disagree, 1 defer; 8 present of 11 who should attend
    And rule "R-PASS" passed saying "agree 6 of 11 who should attend; needs at least 6 (> 1/2 of 11)"
    And the dissent recorded is "m6"

  Scenario: The secretary states a view only after every other member present
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    When "sec" tries to state the view "agree"
    Then the step is refused by rule "R-CHAIR-LAST"
    And the refusal says "yet to state a view: dep, m1, m2, m3, m4, m5, m6, m7, m8, m9; every member present states a view, the secretary last"
    And the refused rule is titled "Views first, the secretary's last; then the vote" and cites "Art. 27"
    And the refused step changed nothing
    When every member present but the secretary and "m9" states the view "agree"
    And "sec" tries to state the view "agree"
    Then the step is refused by rule "R-CHAIR-LAST"
    And the refusal says "yet to state a view: m9;"
    When "m9" states the view "reserve"
    And "sec" states the view "agree"
    Then rule "R-CHAIR-LAST" passed
    And the views of 11 members are recorded, the secretary's last

  Scenario: Nobody votes, and the ballot is not closed, before every member present has stated a view
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with 10 members present
    When "m1" tries to vote "agree"
    Then the step is refused by rule "R-CHAIR-LAST"
    And the refusal says "yet to state a view: sec, dep, m1, m2, m3, m4, m5, m6, m7, m8; every member present states a view, the secretary last, before the vote"
    And the refused rule is titled "Views first, the secretary's last; then the vote" and cites "Art. 27"
    And the refused step changed nothing
    When "sec" tries to close the ballot
    Then the step is refused by rule "R-CHAIR-LAST"
    And the refusal says "yet to state a view: sec, dep, m1, m2, m3, m4, m5, m6, m7, m8;"
    And the refused step changed nothing
    And the matter is still "In meeting, voting"
    When every member present but the secretary states the view "agree"
    And "m1" tries to vote "agree"
    Then the step is refused by rule "R-CHAIR-LAST"
    And the refusal says "yet to state a view: sec;"
    And the refused step changed nothing
    When "sec" tries to close the ballot
    Then the step is refused by rule "R-CHAIR-LAST"
    And the refusal says "yet to state a view: sec;"
    And the refused step changed nothing
    When "sec" states the view "agree"
    Then the views of 10 members are recorded, the secretary's last
    When the members present vote: 7 agree, 2 oppose, 1 abstain
    Then rule "R-CHAIR-LAST" passed
    When "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 7 agree, 2 oppose, 1 abstain; 10 present of 11 who should attend

  Scenario: In a roll-call ballot the secretary votes after every other member present
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting for a roll-call ballot with all members present
    And the members present state the view "agree", the secretary last
    When "sec" tries to vote "agree"
    Then the step is refused by rule "R-CHAIR-VOTES-LAST"
    And the refusal says "voted 0 of 10 other members entitled to vote; still missing: dep, m1, m2"
    And the refused rule is titled "Where votes are cast one by one, the secretary votes last" and cites "Art. 27"
    And the refused step changed nothing
    When the members present vote: 9 agree, 0 oppose, 0 abstain
    And "sec" tries to vote "agree"
    Then the step is refused by rule "R-CHAIR-VOTES-LAST"
    And the refusal says "voted 9 of 10 other members entitled to vote; still missing: m9"
    And the refused step changed nothing
    When "m9" votes "oppose"
    And "sec" votes "agree"
    Then rule "R-CHAIR-VOTES-LAST" passed saying "all 10 covered"
    When "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 10 agree, 1 oppose, 0 abstain; 11 present of 11 who should attend
    And the ballot result is recorded as passed, 6 agree votes needed, by roll-call ballot
    And the dissent recorded is "m9"

  Scenario: A vote is deferred only when views diverge sharply or key facts are unclear
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    When "sec" tries to defer the vote without giving a reason
    Then the step is refused by rule "R-DEFER"
    And the refusal says "a vote is deferred only when views diverge sharply or key facts are unclear"
    And the refused step changed nothing
    And the matter is still "In meeting, voting"
    When "sec" defers the vote because views diverge
    Then the matter is "deferred"
    And rule "R-DEFER" passed

  Scenario: An emergency matter is decided at the meeting, not deferred
    Given "sec" proposes a major matter "Flood relief funds" to "sc" with lead member "m1", marked an emergency
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    When "sec" tries to defer the vote because views diverge
    Then the step is refused by rule "R-EMERGENCY"
    And the refusal says "the matter is marked an emergency: it is decided at this meeting"
    And the refused step changed nothing
    And the matter is still "In meeting, voting"

  Scenario: Nobody votes after the ballot is closed
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    And the members present state the view "agree", the secretary last
    And the members present vote: 7 agree, 2 oppose, 2 abstain
    And "sec" closes the ballot
    When "m1" tries to vote "oppose"
    Then the step is refused by rule "R-BALLOT-CLOSED"
    And the refusal says "no vote is cast after the close"
    And the refused step changed nothing
    And the ballot counts 7 agree, 2 oppose, 2 abstain; 11 present of 11 who should attend

  Scenario Outline: Only present, non-recused voting members vote, once each: <who>
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "npc" is invited to attend without a vote
    And "m9" is recused from the matter
    And "sec" opens the meeting with all other members present
    And the members present state the view "agree", the secretary last
    And "m1" votes "agree"
    When "<voter>" tries to vote "agree"
    Then the step is refused by rule "<rule>"
    And the refusal says "<says>"
    And the refused step changed nothing

    Examples:
      | who                          | voter    | rule       | says                                               |
      | a non-member                 | outsider | R-VOTER    | outsider is not among members entitled to vote now |
      | a recused member             | m9       | R-RECUSAL  | m9 is recused from this matter                     |
      | a non-voting attendee (列席) | npc      | R-VOTER    | npc is not among members entitled to vote now      |
      | a member who has voted       | m1       | R-ONE-VOTE | m1 is already among voted                          |

  Scenario: A secret ballot is counted by its tellers and keeps nobody's choice
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "m8" and "m9" are the tellers
    And "sec" opens the meeting for a secret ballot with all members present
    When the members present state the view "agree", the secretary last
    And the members present each return a ballot paper
    And "m1" tries to return a second ballot paper
    Then the step is refused by rule "R-ONE-VOTE"
    And the refused step changed nothing
    When "sec" tries to close the ballot
    Then the step is refused as invalid input naming "count_ballots comes before close_ballot"
    And the refused step changed nothing
    When "m9" tries to count the ballots: 7 agree, 2 oppose, 1 abstain
    Then the step is refused as invalid input naming "add up to 10 ballots; 11 were returned"
    And the refused step changed nothing
    When "m9" counts the ballots: 7 agree, 2 oppose, 1 abstain, 1 invalid
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 7 agree, 2 oppose, 1 abstain; 11 present of 11 who should attend
    And the ballot result is recorded as passed, 6 agree votes needed, by secret ballot
    And 11 ballot papers were returned, 1 of them invalid
    And the ballot shows the 11 members who voted and no member's choice
    And none of the 11 vote events records a choice

  Scenario Outline: A rejected matter is reopened only if more than half of those who should attend agree
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    And the members present state the view "agree", the secretary last
    And the members present vote: 5 agree, 0 oppose, 6 abstain
    And "sec" closes the ballot
    When "sec" puts a motion to reconsider to a meeting with all members present
    And the members present vote: <agree> agree, 0 oppose, <abstain> abstain
    And "sec" closes the vote on reconsideration
    Then the matter is "<state>"
    And rule "R-RECONSIDER" <result> saying "agree <agree> of 11 who should attend; needs at least 6 (> 1/2 of 11)"

    Examples:
      | agree | abstain | state        | result |
      | 6     | 5       | deliberation | passed |
      | 5     | 6       | rejected     | failed |

  Scenario: A list of candidates is voted one by one, each with its own result
    Given "sec" proposes to "sc" the appointment of "Zhang", "Li" and "Wang" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    When the members present state the view "agree", the secretary last
    And "m1" tries to vote "agree"
    Then the step is refused by rule "R-ITEMWISE"
    And the refusal says "this list is voted item by item: name one of Zhang, Li, Wang"
    And the refused step changed nothing
    When the members present vote on "Zhang": 9 agree, 1 disagree, 1 defer
    And the members present vote on "Li": 5 agree, 6 disagree, 0 defer
    And the members present vote on "Wang": 6 agree, 4 disagree, 1 defer
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the result for "Zhang" is passed with 9 agree of 6 needed
    And the result for "Li" is failed with 5 agree of 6 needed
    And the result for "Wang" is passed with 6 agree of 6 needed

  Scenario: The plenary committee needs two thirds of its members present
    Given a plenary committee "pc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"
    And members "w1" to "w4" also sit on "pc"
    And "sec" proposes an especially major matter "Five-year plan" to "pc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    When "sec" tries to open the meeting with 9 members present
    Then the step is refused by rule "R-QUORUM-PLENARY"
    And the refusal says "present 9 of 15 who should attend; needs at least 10 (≥ 2/3 of 15)"
    And the refused step changed nothing
    When "sec" opens the meeting with 10 members present
    Then rule "R-QUORUM-PLENARY" passed saying "present 10 of 15 who should attend; needs at least 10 (≥ 2/3 of 15)"
