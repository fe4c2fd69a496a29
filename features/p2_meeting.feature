# language: en
Feature: P2 — meetings with an agenda
  A standing committee meeting is convened by the secretary with its agenda (source §IV.1): only the matters on
  the agenda are taken up, unless a matter is an emergency — no ad hoc items. The meeting opens only with more
  than half of the members present and takes the roll once; each matter on the agenda is then taken up with its
  own recusals, views, quorum check and ballot. A member who leaves or arrives during the meeting counts from then
  on, for every matter still being voted on: one who has left no longer votes, one who arrives states a view and
  votes, and the quorum is judged on those present at every vote and at the close. A non-voting attendee (列席)
  does not vote.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"

  Scenario: Two matters are decided at one meeting that takes the roll once; a recusal counts for one matter only
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" proposes a major matter "Urban land use plan" to "sc" with lead member "m2"
    And "m2" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026" and "Urban land use plan"
    And the meeting time has come
    When "sec" opens the meeting and takes the roll: all members present
    Then the meeting is "In session"
    When "sec" takes up "County budget 2026"
    And the members present state the view "agree", the secretary last
    And the members present vote: 7 agree, 3 oppose, 1 abstain
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 7 agree, 3 oppose, 1 abstain; 11 present of 11 who should attend
    And rule "R-PASS" passed saying "agree 7 of 11 who should attend; needs at least 6 (> 1/2 of 11)"
    When "sec" takes up "Urban land use plan" with "m1" recused
    Then rule "R-QUORUM-SC" passed saying "present 10 of 10 who should attend; needs at least 5 (≥ 1/2 of 10)"
    When the members present state the view "agree", the secretary last
    And the members present vote: 6 agree, 4 oppose, 0 abstain
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 6 agree, 4 oppose, 0 abstain; 10 present of 10 who should attend
    And rule "R-PASS" passed saying "agree 6 of 10 who should attend; needs at least 6 (> 1/2 of 10)"
    And the meeting records "m1" as present
    When "sec" adjourns the meeting
    Then the meeting is "Adjourned"
    And the meeting's history holds 3 events and the audit chain is intact

  Scenario: A matter not on the agenda is not taken up, unless it is an emergency
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" proposes a major matter "Office building renovation" to "sc" with lead member "m2"
    And "m2" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" proposes a major matter "Flood relief funds" to "sc" with lead member "m3", marked an emergency
    And "m3" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    When "sec" tries to take up "Office building renovation"
    Then the step is refused by rule "R-ON-AGENDA"
    And the refusal says "the matter is not on the agenda of the meeting it is taken up at; put it on the agenda of a later meeting"
    And the refused rule is titled "Only matters on the agenda are taken up (no ad hoc items)" and cites "除紧急情况外不得临时动议"
    And the refused step changed nothing
    And the matter is still "Scheduled for a meeting"
    When "sec" takes up "Flood relief funds"
    Then the matter is "In meeting, voting"
    When the members present state the view "agree", the secretary last
    And the members present vote: 11 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    Then the matter is "adopted"

  Scenario: A meeting opens only with more than half of the members present
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    And the meeting time has come
    When "sec" tries to open the meeting and takes the roll: 5 members present
    Then the step is refused by rule "R-QUORUM-SITTING"
    And the refusal says "present 5 of 11 who should attend; needs at least 6"
    And the refused rule is titled "A standing committee meeting opens only with a quorum" and cites "Art. 27"
    And the refused step changed nothing
    And the meeting is still "Convened, agenda sent"
    When "sec" opens the meeting and takes the roll: 6 members present
    Then rule "R-QUORUM-SITTING" passed saying "present 6 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    And the meeting is "In session"
    And the meeting records "m5", "m6", "m7", "m8" and "m9" as absent

  Scenario: Members leave and arrive during the meeting; a non-voting attendee does not vote
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" proposes a major matter "Urban land use plan" to "sc" with lead member "m2"
    And "m2" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026" and "Urban land use plan"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: 6 members present
    And "sec" takes up "County budget 2026"
    And the members present state the view "agree", the secretary last
    And the members present vote: 6 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    When "m4" leaves the meeting because "called away"
    Then the meeting records "m4" as absent because "called away"
    When "sec" tries to take up "Urban land use plan"
    Then the step is refused by rule "R-QUORUM-SC"
    And the refusal says "present 5 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    And the refused step changed nothing
    And the matter is still "Scheduled for a meeting"
    When "m7" arrives at the meeting
    And "npc" joins the meeting as a non-voting attendee
    And "sec" takes up "Urban land use plan"
    Then rule "R-QUORUM-SC" passed saying "present 6 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    And the meeting records "npc" as attending without a vote
    When the members present state the view "agree", the secretary last
    And "npc" tries to vote "agree"
    Then the step is refused by rule "R-VOTER"
    And the refusal says "npc is not among members entitled to vote now"
    And the refused step changed nothing
    When "m4" tries to vote "agree"
    Then the step is refused by rule "R-VOTER"
    And the refusal says "m4 is not among members entitled to vote now"
    When the members present vote: 6 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the ballot counts 6 agree, 0 oppose, 0 abstain; 6 present of 11 who should attend

  Scenario: A member who leaves after the matter was taken up no longer votes on it; below the quorum nobody votes
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: 7 members present
    And "sec" takes up "County budget 2026"
    And the members present state the view "agree", the secretary last
    When "m5" leaves the meeting because "called away"
    And "m5" tries to vote "agree"
    Then the step is refused by rule "R-VOTER"
    And the refusal says "m5 is not among members entitled to vote now"
    And the refused step changed nothing
    When "m4" leaves the meeting because "taken ill"
    And "m1" tries to vote "agree"
    Then the step is refused by rule "R-QUORUM-SC"
    And the refusal says "present 5 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    And the refused step changed nothing
    When "sec" tries to close the ballot
    Then the step is refused by rule "R-QUORUM-SC"
    And the refusal says "present 5 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    And the refused step changed nothing
    And the matter is still "In meeting, voting"
    When "m4" arrives at the meeting
    And the members present vote: 6 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    Then rule "R-QUORUM-SC" passed saying "present 6 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    And the matter is "adopted"
    And the ballot counts 6 agree, 0 oppose, 0 abstain; 6 present of 11 who should attend
    And the meeting records "m5" as absent because "called away"

  Scenario: A member who arrives after the matter was taken up states a view and votes on it
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: 6 members present
    And "sec" takes up "County budget 2026"
    And the members present state the view "agree", the secretary last
    When "m7" arrives at the meeting
    And "m1" tries to vote "agree"
    Then the step is refused by rule "R-CHAIR-LAST"
    And the refusal says "yet to state a view: m7;"
    And the refused step changed nothing
    When "m7" states the view "agree"
    And the members present vote: 7 agree, 0 oppose, 0 abstain
    And "sec" closes the ballot
    Then rule "R-QUORUM-SC" passed saying "present 7 of 11 who should attend; needs at least 6 (≥ 1/2 of 11)"
    And the matter is "adopted"
    And the ballot counts 7 agree, 0 oppose, 0 abstain; 7 present of 11 who should attend

  Scenario: A meeting is not convened without an agenda
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    When "sec" tries to convene a meeting of "sc" on "2026-03-10T09:00+08:00" without an agenda
    Then the step is refused by rule "R-AGENDA"
    And the refusal says "missing: agenda"
    And the refused rule is titled "A meeting is convened with its agenda" and cites "会议议题由书记确定并提前通知"
    And the refused step changed nothing
    When "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    Then the meeting is "Convened, agenda sent"
    And rule "R-AGENDA" passed

  Scenario: A meeting is not convened for a time already past
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    When "sec" tries to convene a meeting of "sc" on "2026-03-01T09:00+08:00" with the agenda "County budget 2026"
    Then the step is refused by rule "R-MEETING-AHEAD"
    And the refusal says "the meeting time 2026-03-01T01:00:00+00:00 is before now"
    And the refused step changed nothing
    When "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    Then the meeting is "Convened, agenda sent"
    And rule "R-MEETING-AHEAD" passed

  Scenario: A meeting does not open before the time it was convened for
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    When "sec" tries to open the meeting and takes the roll: all members present
    Then the step is refused by rule "R-MEETING-DAY"
    And the refusal says "the meeting is set for 2026-03-10T01:00:00+00:00; it cannot open earlier"
    And the refused step changed nothing
    And the meeting is still "Convened, agenda sent"
    When the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    Then rule "R-MEETING-DAY" passed
    And the meeting is "In session"

  Scenario: Once the meeting has adjourned, a matter still being voted on is deferred to a later meeting
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And "sec" convenes a meeting of "sc" on "2026-03-10T09:00+08:00" with the agenda "County budget 2026"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    And "sec" takes up "County budget 2026"
    And the members present state the view "agree", the secretary last
    When "sec" adjourns the meeting before the vote on "County budget 2026" is closed
    Then the meeting is "Adjourned"
    When "m1" tries to vote "agree"
    Then the step is refused by rule "R-SITTING-IN-SESSION"
    And the refusal says "the meeting this matter was taken up at is no longer in session (adjourned); defer the vote to a later meeting"
    And the refused step changed nothing
    When "sec" tries to close the ballot
    Then the step is refused by rule "R-SITTING-IN-SESSION"
    And the refused step changed nothing
    And the matter is still "In meeting, voting"
    When "sec" defers the vote because views diverge
    Then the matter is "Deferred for more deliberation"
