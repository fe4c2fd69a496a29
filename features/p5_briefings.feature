# language: en
Feature: P5 — periodic briefings and the publication of accountability measures
  The committee briefs, within a set circle, on how its decisions are carried out (source §IV.5: 定期或不定期在一定
  范围内通报有关工作和决策执行情况), and briefs people's congress deputies and CPPCC members on a regular cadence
  (实行定期汇报、通报制度). A decision that starts being carried out opens its cadence; the first briefing is due 90
  days later, each briefing names the next, at most three months ahead, and the engine reminds the member answerable
  seven days before each deadline. A deadline passed without a briefing is a supervision finding that opens exactly
  one accountability case. Accountability measures are made public unless a listed reason withholds them (问责情况
  一般应当公开; CPC Accountability Regulation (2016) Art. 10), and a case closes only once that is recorded.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"
    And "sec" proposes a major matter "Rural roads programme" to "sc" with lead member "m2"
    And "m2" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting with all members present
    And the members present state the view "agree", the secretary last
    And the members present vote: 9 agree, 2 oppose, 0 abstain
    And "sec" closes the ballot
    And "sec" publishes the decision to the public
    And "sec" hands the decision over for responsibility assignment

  Scenario: A decision carried out is briefed on; a first briefing missed at its deadline opens one case
    定期通报决策执行情况 (source §IV.5): the cadence opens with the decision's execution, the first briefing due
    90 days later; missed, it is found by supervision and opens one accountability case; a late briefing resumes it.
    Given "sec" assigns the task "Build the roads" to lead member "m2" with "highway bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And the following steps act on the decision's briefing cadence
    Then the matter is "First briefing due"
    And the matter holds "audience" = "committee"
    And the matter holds "title" = "Rural roads programme"
    And the matter holds "lead_member" = "m2"
    When supervision runs on "2026-06-08T08:00+08:00"
    Then the matter is still "First briefing due"
    And the engine reminded of the deadline on "2026-06-01T09:00+08:00"
    And no accountability case concerns the briefing cadence, for a missed briefing
    When supervision runs on "2026-06-08T09:00+08:00"
    Then the matter is "Briefing missed at its deadline"
    And on the matter's last step, rule "R-BRIEFING-CONCLUDED" failed
    And 1 accountability case concerns the briefing cadence, for a missed briefing
    When supervision runs on "2026-06-09T09:00+08:00"
    Then 1 accountability case concerns the briefing cadence, for a missed briefing
    When "m2" fires "Brief and name the next briefing" with:
      | fact     | value                                 |
      | summary  | 12 km built; land acquisition delayed |
      | next_due | 2026-09-01T18:00+08:00                |
    Then the matter is "Briefed, next briefing due"
    And 1 accountability case concerns the briefing cadence, for a missed briefing

  Scenario: Each briefing states what was briefed and names the next deadline, ahead and within three months
    定期通报 (source §IV.5): a briefing records its content and when the next is due, at most a quarter ahead.
    Given "sec" assigns the task "Build the roads" to lead member "m2" with "highway bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And the following steps act on the decision's briefing cadence
    And the date is "2026-04-09T09:00+08:00"
    When "m2" tries to fire "Brief and name the next briefing" with:
      | fact    | value                |
      | summary | surveys are finished |
    Then the step is refused by rule "R-BRIEFING-CONTENT"
    And the refusal says "missing: next_due"
    And the refused step changed nothing
    When "m2" tries to fire "Brief and name the next briefing" with:
      | fact     | value                  |
      | summary  | surveys are finished   |
      | next_due | 2026-04-01T18:00+08:00 |
    Then the step is refused by rule "R-BRIEFING-AHEAD"
    And the refusal says "has already passed"
    And the refused step changed nothing
    When "m2" tries to fire "Brief and name the next briefing" with:
      | fact     | value                  |
      | summary  | surveys are finished   |
      | next_due | 2026-07-10T18:00+08:00 |
    Then the step is refused by rule "R-BRIEFING-INTERVAL"
    And the refusal says "needs ≤ 3 months"
    And the refused rule is titled "The next briefing is due within the interval" and cites "source §IV.5"
    And the refused step changed nothing
    When "m5" tries to fire "Brief and name the next briefing" with:
      | fact     | value                  |
      | summary  | surveys are finished   |
      | next_due | 2026-07-09T09:00+08:00 |
    Then the step is refused by rule "R-BRIEFING-BY"
    And the refused step changed nothing
    When "m2" fires "Brief and name the next briefing" with:
      | fact     | value                  |
      | summary  | surveys are finished   |
      | next_due | 2026-07-09T09:00+08:00 |
    Then the matter is "Briefed, next briefing due"
    And rule "R-BRIEFING-INTERVAL" passed
    And rule "R-BRIEFING-BY" passed

  Scenario: Briefing again before the next briefing is due moves the deadline
    定期或不定期 (source §IV.5): a briefing may come early; the deadline it names replaces the one before.
    Given "sec" assigns the task "Build the roads" to lead member "m2" with "highway bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And the following steps act on the decision's briefing cadence
    And the date is "2026-04-09T09:00+08:00"
    And "m2" fires "Brief and name the next briefing" with:
      | fact     | value                  |
      | summary  | surveys are finished   |
      | next_due | 2026-06-30T18:00+08:00 |
    And the date is "2026-06-20T09:00+08:00"
    When "sec" fires "Brief and name the next briefing" with:
      | fact     | value                  |
      | summary  | 20 km built            |
      | next_due | 2026-09-18T18:00+08:00 |
    Then the matter is "Briefed, next briefing due"
    When supervision runs on "2026-07-01T09:00+08:00"
    Then the matter is still "Briefed, next briefing due"
    And the engine did not remind of the deadline on "2026-06-23T18:00+08:00"
    And no accountability case concerns the briefing cadence, for a missed briefing
    When supervision runs on "2026-09-18T18:00+08:00"
    Then the matter is "Briefing missed at its deadline"
    And the engine reminded of the deadline on "2026-09-11T18:00+08:00"
    And 1 accountability case concerns the briefing cadence, for a missed briefing

  Scenario: Once the decision is evaluated, its next briefing deadline ends the cadence by itself
    决策执行情况 (source §IV.5): a decision evaluated, closed or corrected is no longer carried out; nothing is missed.
    Given "sec" assigns the task "Build the roads" to lead member "m2" with "highway bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And the date is "2026-05-20T09:00+08:00"
    When "sec" evaluates the decision as succeeded: "40 km open, within budget"
    Then the matter is "Evaluated"
    When the following steps act on the decision's briefing cadence
    And supervision runs on "2026-06-08T09:00+08:00"
    Then the matter is "Cadence ended"
    And on the matter's last step, rule "R-BRIEFING-CONCLUDED" passed
    And no accountability case concerns the briefing cadence, for a missed briefing

  Scenario: The secretary ends a decision's briefings by hand only once it is evaluated
    决策执行情况 (source §IV.5): the briefings on a decision last as long as it is being carried out.
    Given "sec" assigns the task "Build the roads" to lead member "m2" with "highway bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And the following steps act on the decision's briefing cadence
    When "sec" tries to fire "End the cadence"
    Then the step is refused by rule "R-BRIEFING-END"
    And the refusal says "is executing; needs one of evaluated, closed, corrected"
    And the refused step changed nothing
    When the following steps act on the decision
    And "sec" evaluates the decision as succeeded: "40 km open, within budget"
    And the following steps act on the decision's briefing cadence
    And "sec" fires "End the cadence"
    Then the matter is "Cadence ended"
    And rule "R-BRIEFING-END" passed

  Scenario: A briefing cadence names who is briefed, on what, and a voting member who answers for it
    实行定期汇报、通报制度 (source §IV.5); 谁主管、谁负责 (source §IV.4): one member of the leadership answers for it.
    When "sec" tries to start a "briefing" with:
      | fact     | value                                     |
      | audience | deputies                                  |
      | title    | Work of the county committee for deputies |
      | body     | sc                                        |
    Then the step is refused by rule "R-BRIEFING-FIELDS"
    And the refusal says "missing: lead_member"
    When "sec" tries to start a "briefing" with:
      | fact        | value                                     |
      | audience    | deputies                                  |
      | title       | Work of the county committee for deputies |
      | body        | sc                                        |
      | lead_member | mayor                                     |
    Then the step is refused by rule "R-BRIEFING-LEAD"
    And the refusal says "mayor is not among voting members"
    And the refused step changed nothing
    When "sec" tries to start a "briefing" with:
      | fact        | value                                |
      | audience    | committee                            |
      | title       | How the county budget is carried out |
      | body        | sc                                   |
      | lead_member | dep                                  |
    Then the step is refused by rule "R-BRIEFING-DECISION"
    And the refusal says "no linked instance in subject"
    And the refused step changed nothing

  Scenario Outline: <who> are briefed on a cadence of their own, which the secretary may end at any time
    实行定期汇报、通报制度 (source §IV.5): briefings not tied to a decision being carried out.
    When "sec" starts a "briefing" with:
      | fact        | value      |
      | audience    | <audience> |
      | title       | <title>    |
      | body        | sc         |
      | lead_member | dep        |
    Then the matter is "First briefing due"
    And rule "R-BRIEFING-LEAD" passed
    When "dep" fires "Brief and name the next briefing" with:
      | fact     | value                    |
      | summary  | the first quarter's work |
      | next_due | 2026-06-01T18:00+08:00   |
    Then the matter is "Briefed, next briefing due"
    When "sec" fires "End the cadence"
    Then the matter is "Cadence ended"

    Examples:
      | who                        | audience      | title                                          |
      | People's congress deputies | deputies      | Work of the county committee for deputies      |
      | CPPCC members              | cppcc_members | Work of the county committee for CPPCC members |

  Scenario: Accountability measures are published, or withheld for a stated reason, before the case is closed
    问责情况一般应当公开 (CPC Accountability Regulation (2016) Art. 10): the publication, or why not, is recorded.
    Given "sec" assigns the task "Build the roads" to lead member "m2" with "highway bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And "sec" evaluates the decision as failed: "costs doubled; half the roads unusable"
    And "dep" records the finding "the cost estimate was never checked" on the case
    And "sec" decides the measures "admonishment" on the case
    And the following steps act on the accountability case
    When "sec" tries to fire "Publish the measures (or record why not)" with:
      | fact       | value    |
      | disclosure | withheld |
    Then the step is refused by rule "R-ACCT-PUBLISH"
    And the refusal says "withheld for a state secret, a work secret or personal privacy"
    And the refused step changed nothing
    When "sec" records the measures carried out on the case
    And "sec" tries to fire "Rectification done; close the case" with:
      | fact          | value                                |
      | rectification | costs re-estimated; roads resurfaced |
    Then the step is refused by rule "R-ACCT-PUBLISHED"
    And the refusal says "missing: disclosure"
    And the refused step changed nothing
    When "sec" fires "Publish the measures (or record why not)" with:
      | fact       | value  |
      | disclosure | public |
    Then the case is "Rectification under way"
    And rule "R-ACCT-PUBLISH" passed
    When "sec" closes the case with the rectification "costs re-estimated; roads resurfaced"
    Then the case is "Closed"

  Scenario Outline: Measures withheld for <reason> are recorded as such, and the case closes
    CPC Accountability Regulation (2016) Art. 10: a state secret, a work secret or personal privacy withholds them.
    Given "sec" assigns the task "Build the roads" to lead member "m2" with "highway bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And "sec" evaluates the decision as failed: "costs doubled; half the roads unusable"
    And "dep" records the finding "the cost estimate was never checked" on the case
    And "sec" decides the measures "admonishment" on the case
    And the following steps act on the accountability case
    When "sec" fires "Publish the measures (or record why not)" with:
      | fact             | value     |
      | disclosure       | withheld  |
      | withheld_because | <because> |
    Then rule "R-ACCT-PUBLISH" passed
    When "sec" records the measures carried out on the case
    And "sec" closes the case with the rectification "costs re-estimated; roads resurfaced"
    Then the case is "Closed"
    And rule "R-ACCT-PUBLISHED" passed

    Examples:
      | reason           | because          |
      | a state secret   | state_secret     |
      | a work secret    | work_secret      |
      | personal privacy | personal_privacy |
