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
