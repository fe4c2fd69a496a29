# language: en
Feature: P5 — the plenary committee: the standing committee's report, and two sittings a year
  The standing committee reports its work to the plenary committee every half year (source §IV.5, 报告工作制度):
  the plenary committee hears the report at one of its sittings, in session, with the report on the agenda. The
  plenary committee meets at least twice a year (Party Constitution Art. 27, 全委会每年至少召开两次): each plenary
  sitting is recorded in the year's count while it is in session, and counts once; at the year's end the engine
  checks the count, and fewer sittings than required are a supervision finding that opens one accountability case.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"
    And a plenary committee "pc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"
    And members "c1" to "c3" also sit on "pc"

  Scenario: The standing committee's half-year report is heard only at a plenary sitting with it on the agenda
    Source §IV.5 (报告工作制度, 常委会向全委会报告工作); Party Constitution Art. 27.
    Given "sec" schedules the reports of "sc" for 2026 with the plenary "pc"
    And "sec" submits the half-year work report of "sc" to "pc" for "2026-H1"
    When "sec" tries to hear the report of "sc" to "pc" for "2026-H1" outside a meeting
    Then the step is refused by rule "R-REPORT-AT-SITTING"
    And the refusal says "is heard at a sitting of pc in session that has it on its agenda"
    And the refused step changed nothing
    Given "sec" convenes a meeting of "sc" on "2026-06-10T09:00+08:00" with the agenda item "First-half economic work"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    When "sec" tries to hear the report of "sc" to "pc" for "2026-H1" at the meeting
    Then the step is refused as invalid input naming "is a meeting of 'sc'"
    And the refused step changed nothing
    When "sec" adjourns the meeting
    And "sec" convenes a meeting of "pc" on "2026-06-18T09:00+08:00" with the agenda item "Rural revitalisation plan"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    And "sec" tries to hear the report of "sc" to "pc" for "2026-H1" at the meeting
    Then the step is refused by rule "R-REPORT-AT-SITTING"
    And the refused step changed nothing
    And the report of "sc" for "2026-H1" is "Submitted on time"
    When "sec" adjourns the meeting
    And "sec" convenes a meeting of "pc" on "2026-06-26T09:00+08:00" to hear the report of "sc" for "2026-H1"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    Then the meeting is "In session"
    When "sec" hears the report of "sc" to "pc" for "2026-H1" at the meeting
    Then rule "R-REPORT-AT-SITTING" passed
    And the report of "sc" for "2026-H1" is "Heard"
    And the report of "sc" for "2026-H1" was heard at the meeting convened for it

  Scenario: A year's count of plenary sittings names a plenary committee, its year, the year's end and a voting member
    Party Constitution Art. 27 (全委会每年至少召开两次); source §IV.1 (充分发挥全委会和常委会的作用).
    When "sec" tries to open the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | sc                     |
      | year        | 2026                   |
      | due         | 2026-12-31T18:00+08:00 |
      | title       | Plenary sittings 2026  |
      | lead_member | sec                    |
    Then the step is refused by rule "R-PLENARY-BODY"
    And the refusal says "needs one of plenary"
    And the refused rule is titled "Plenary sittings are counted for a plenary committee" and cites "Art. 27"
    And the refused step changed nothing
    When "sec" tries to open the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | pc                     |
      | due         | 2026-12-31T18:00+08:00 |
      | title       | Plenary sittings 2026  |
      | lead_member | sec                    |
    Then the step is refused by rule "R-PLENARY-YEAR"
    And the refusal says "missing: year"
    And the refused step changed nothing
    When "sec" tries to open the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | pc                     |
      | year        | 2026                   |
      | due         | 2026-06-30T18:00+08:00 |
      | title       | Plenary sittings 2026  |
      | lead_member | sec                    |
    Then the step is refused by rule "R-PLENARY-YEAR-END"
    And the refusal says "the count of 2026 is checked at the end of 2026"
    And the refused step changed nothing
    When "sec" tries to open the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | pc                     |
      | year        | 2026                   |
      | due         | 2026-12-31T18:00+08:00 |
      | title       | Plenary sittings 2026  |
      | lead_member | county head Zhao       |
    Then the step is refused by rule "R-PLENARY-LEAD"
    And the refusal says "county head Zhao is not among voting members"
    And the refused step changed nothing
    When "sec" opens the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | pc                     |
      | year        | 2026                   |
      | due         | 2026-12-31T18:00+08:00 |
      | title       | Plenary sittings 2026  |
      | lead_member | sec                    |
    Then the year's count of plenary sittings is "Year under way"
    And rule "R-PLENARY-YEAR-END" passed
    And rule "R-PLENARY-LEAD" passed

  Scenario: Two plenary sittings in a year meet the minimum; each counts once, and only for its own committee
    Party Constitution Art. 27 (全委会每年至少召开两次).
    Given "sec" opens the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | pc                     |
      | year        | 2026                   |
      | due         | 2026-12-31T18:00+08:00 |
      | title       | Plenary sittings 2026  |
      | lead_member | sec                    |
    And "sec" convenes a meeting of "pc" on "2026-03-20T09:00+08:00" with the agenda item "Work plan of the year"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    When "sec" records the meeting in the year's count of plenary sittings
    And "sec" tries to record the meeting in the year's count of plenary sittings again
    Then the step is refused as invalid input naming "was already taken up at meeting"
    And the refused step changed nothing
    When "sec" adjourns the meeting
    And "sec" convenes a meeting of "sc" on "2026-06-10T09:00+08:00" with the agenda item "First-half economic work"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    And "sec" tries to record the meeting in the year's count of plenary sittings
    Then the step is refused as invalid input naming "is a meeting of 'sc'"
    And the refused step changed nothing
    When "sec" adjourns the meeting
    And "sec" convenes a meeting of "pc" on "2026-09-25T09:00+08:00" with the agenda item "Party building"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    And "sec" records the meeting in the year's count of plenary sittings
    And "sec" adjourns the meeting
    Then the year's count of plenary sittings is "Year under way"
    When the supervision sweep runs on "2027-01-04T09:00+08:00"
    Then the year's count of plenary sittings is "Sittings held as required"
    And at the year's end rule "R-PLENARY-FREQ" passed
    And no accountability case is open for too few plenary sittings

  Scenario: A plenary sitting counts only in the year it is held
    Party Constitution Art. 27 (每年): next year's count opens ahead, and a sitting held this year is not in it.
    Given "sec" opens the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | pc                     |
      | year        | 2027                   |
      | due         | 2027-12-31T18:00+08:00 |
      | title       | Plenary sittings 2027  |
      | lead_member | sec                    |
    And "sec" convenes a meeting of "pc" on "2026-03-20T09:00+08:00" with the agenda item "Work plan of the year"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    When "sec" tries to record the meeting in the year's count of plenary sittings
    Then the step is refused by rule "R-PLENARY-IN-YEAR"
    And the refusal says "falls before the year"
    And the refused step changed nothing

  Scenario: A year with one plenary sitting opens exactly one accountability case at the year's end
    Party Constitution Art. 27 (全委会每年至少召开两次): too few sittings are found by the engine, not reported.
    Given "sec" opens the year's count of plenary sittings with:
      | fact        | value                  |
      | body        | pc                     |
      | year        | 2026                   |
      | due         | 2026-12-31T18:00+08:00 |
      | title       | Plenary sittings 2026  |
      | lead_member | sec                    |
    And "sec" convenes a meeting of "pc" on "2026-03-20T09:00+08:00" with the agenda item "Work plan of the year"
    And the meeting time has come
    And "sec" opens the meeting and takes the roll: all members present
    And "sec" records the meeting in the year's count of plenary sittings
    And "sec" adjourns the meeting
    When the supervision sweep runs on "2027-01-04T09:00+08:00"
    Then the year's count of plenary sittings is "Fewer sittings than required"
    And at the year's end rule "R-PLENARY-FREQ" failed saying "sittings it was taken up at: 1; needs at least 2"
    And exactly one accountability case is open for too few plenary sittings, with "sec" answerable
    When the supervision sweep runs on "2027-02-01T09:00+08:00"
    Then exactly one accountability case is open for too few plenary sittings, with "sec" answerable
