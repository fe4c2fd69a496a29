# language: en
Feature: P5 — periodic work reports
  Every half year each standing member reports their work to the standing committee, and the standing committee
  reports to the plenary committee (source §IV.5, 报告工作制度). The year's reports are scheduled from the calendar:
  each is due on the last day of its half-year at 18:00. A report still missing at its deadline is a violation that
  supervision sees: the engine finds it at the deadline and opens exactly one accountability case, however often the
  sweep runs; the report can then only be submitted late.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"
    And a plenary committee "pc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"
    And members "c1" to "c3" also sit on "pc"

  Scenario: A half-year work report submitted on time by its reporter is heard, and supervision finds nothing
    Given "sec" schedules the reports of "sc" for 2026 with the plenary "pc"
    When "m2" tries to submit the half-year work report of "m1" for "2026-H1"
    Then the step is refused by rule "R-REPORTER"
    And the refusal says "only m1 submits this report"
    And the refused rule is titled "Only the reporter submits the report (for a body, its secretary)" and cites "source §IV.5"
    And the refused step changed nothing
    When "m1" submits the half-year work report for "2026-H1"
    Then rule "R-REPORT-ON-TIME" passed
    And the report of "m1" for "2026-H1" is "Submitted on time"
    When "sec" submits the half-year work report of "sc" to "pc" for "2026-H1"
    Then rule "R-REPORTER" passed
    When "sec" hears the report of "m1" for "2026-H1"
    Then the report of "m1" for "2026-H1" is "Heard"
    When the supervision sweep runs on "2026-07-01T09:00+08:00"
    Then no accountability case concerns the report of "m1" for "2026-H1"
    And no accountability case concerns the report of "sc" for "2026-H1"
    And exactly one accountability case concerns the report of "m9" for "2026-H1", with "m9" answerable

  Scenario: A missing half-year report is found at its deadline and opens one accountability case
    Given "sec" schedules the reports of "sc" for 2026
    Then the half-year work reports were scheduled under rule "R-HALF-YEAR-REPORT"
    When every standing member but "m9" submits the half-year work report for "2026-H1"
    And the supervision sweep runs every day until "2026-07-15T09:00+08:00"
    Then the report of "m9" for "2026-H1" is "Missing at the deadline"
    And exactly one accountability case concerns the report of "m9" for "2026-H1", with "m9" answerable
    And no accountability case concerns the report of "m1" for "2026-H1"
    When "m9" submits late the half-year work report for "2026-H1"
    And the supervision sweep runs on "2026-08-01T09:00+08:00"
    Then the report of "m9" for "2026-H1" is "Submitted late"
    And exactly one accountability case concerns the report of "m9" for "2026-H1", with "m9" answerable

  Scenario: A reporting obligation names its period, a year, half-year, quarter or month
    报告工作制度 (source §IV.5): each obligation says who reports, to whom, what, for which period and by when.
    When "sec" tries to start a "report" with:
      | fact          | value                           |
      | reporter      | m1                              |
      | reporter_kind | member                          |
      | body          | sc                              |
      | kind          | half_year_work                  |
      | due           | 2026-06-30T18:00+08:00          |
      | title         | Half-year work report of m1     |
      | lead_member   | m1                              |
    Then the step is refused by rule "R-REPORT-FIELDS"
    And the refusal says "missing: period"
    And the refused step changed nothing
    When "sec" tries to start a "report" with:
      | fact          | value                           |
      | reporter      | m1                              |
      | reporter_kind | member                          |
      | body          | sc                              |
      | kind          | half_year_work                  |
      | period        | 2026-H3                         |
      | due           | 2026-06-30T18:00+08:00          |
      | title         | Half-year work report of m1     |
      | lead_member   | m1                              |
    Then the step is refused by rule "R-REPORT-PERIOD"
    And the refusal says "the period 2026-H3 is not a year (2026), half-year (2026-H1), quarter (2026-Q1) or month (2026-M01)"
    And the refused step changed nothing

  Scenario: A reporting obligation is not scheduled once its deadline has passed
    When "sec" tries to start a "report" with:
      | fact          | value                           |
      | reporter      | m1                              |
      | reporter_kind | member                          |
      | body          | sc                              |
      | kind          | half_year_work                  |
      | period        | 2025-H2                         |
      | due           | 2025-12-31T18:00+08:00          |
      | title         | Half-year work report of m1     |
      | lead_member   | m1                              |
    Then the step is refused by rule "R-REPORT-DUE-AHEAD"
    And the refusal says "has already passed"
    And the refused step changed nothing

  Scenario: A member reports only to a body they vote on, and answers for the report
    常委分工负责制 (source §IV.2, §IV.5): a member's report is their own, made to the body they sit on.
    When "sec" tries to start a "report" with:
      | fact          | value                           |
      | reporter      | c1                              |
      | reporter_kind | member                          |
      | body          | sc                              |
      | kind          | half_year_work                  |
      | period        | 2026-H1                         |
      | due           | 2026-06-30T18:00+08:00          |
      | title         | Half-year work report of c1     |
      | lead_member   | c1                              |
    Then the step is refused by rule "R-REPORTER-MEMBER"
    And the refusal says "c1 must be a voting member of sc"
    And the refused step changed nothing
    When "sec" tries to start a "report" with:
      | fact          | value                           |
      | reporter      | m1                              |
      | reporter_kind | member                          |
      | body          | sc                              |
      | kind          | half_year_work                  |
      | period        | 2026-H1                         |
      | due           | 2026-06-30T18:00+08:00          |
      | title         | Half-year work report of m1     |
      | lead_member   | m2                              |
    Then the step is refused by rule "R-REPORTER-MEMBER"
    And the refusal says "the member answerable (given: m2)"
    And the refused step changed nothing

  Scenario: A democratic life meeting statement and a duty-and-integrity report are each member's, made to the standing committee
    Source §IV.5; Provisions on Democratic Life Meetings of Party-member Leading Cadres (2016); 年度述职述廉.
    When "sec" tries to start a "report" with:
      | fact          | value                                 |
      | reporter      | sc                                    |
      | reporter_kind | body                                  |
      | body          | pc                                    |
      | kind          | democratic_life                       |
      | period        | 2026                                  |
      | due           | 2026-12-31T18:00+08:00                |
      | title         | Democratic life meeting of sc         |
      | lead_member   | sec                                   |
    Then the step is refused by rule "R-DEMOCRATIC-LIFE"
    And the refusal says "a democratic life meeting statement is each member's, to the standing committee"
    And the refused step changed nothing
    When "sec" tries to start a "report" with:
      | fact          | value                                 |
      | reporter      | m1                                    |
      | reporter_kind | member                                |
      | body          | pc                                    |
      | kind          | duty_integrity                        |
      | period        | 2026                                  |
      | due           | 2026-12-31T18:00+08:00                |
      | title         | Duty-and-integrity report of m1       |
      | lead_member   | m1                                    |
    Then the step is refused by rule "R-DUTY-INTEGRITY"
    And the refusal says "a duty-and-integrity report is each member's, to the standing committee"
    And the refused step changed nothing
    When "sec" starts a "report" with:
      | fact          | value                                 |
      | reporter      | m1                                    |
      | reporter_kind | member                                |
      | body          | sc                                    |
      | kind          | duty_integrity                        |
      | period        | 2026                                  |
      | due           | 2026-12-31T18:00+08:00                |
      | title         | Duty-and-integrity report of m1       |
      | lead_member   | m1                                    |
    Then rule "R-DUTY-INTEGRITY" passed
    And the matter is "Due"

  Scenario: A report states the work done and is heard by someone other than its reporter
    报告工作制度 (source §IV.5) and 集体领导 (§IV.1): the body hears a member's report.
    Given "sec" starts a "report" with:
      | fact          | value                           |
      | reporter      | dep                             |
      | reporter_kind | member                          |
      | body          | sc                              |
      | kind          | half_year_work                  |
      | period        | 2026-H1                         |
      | due           | 2026-06-30T18:00+08:00          |
      | title         | Half-year work report of dep    |
      | lead_member   | dep                             |
    When "dep" tries to fire "Submit the report"
    Then the step is refused by rule "R-REPORT-SUMMARY"
    And the refusal says "missing: summary"
    And the refused step changed nothing
    When "dep" fires "Submit the report" with:
      | fact    | value                            |
      | summary | the half year's work, in figures |
    And "dep" tries to fire "Hear the report" with:
      | fact    | value    |
      | opinion | approved |
    Then the step is refused by rule "R-NOT-OWN-REPORT"
    And the refusal says "dep cannot hear their own report"
    And the refused step changed nothing
    When "sec" fires "Hear the report" with:
      | fact    | value    |
      | opinion | approved |
    Then the report of "dep" for "2026-H1" is "Heard"
