# language: en
Feature: P3 and P4 — responsibility assignment, supervision and accountability
  谁主管、谁负责 (source §IV.2, §IV.4): an adopted decision is carried out only through tasks, each with one lead
  member who is a voting member of the body, responsible departments, measurable targets and a deadline.
  Supervision (督查, §IV.5) is the engine's own sweep of due deadlines: a task whose targets are missed at its
  deadline opens one accountability case (问责), however often the sweep runs; the case goes from inquiry to a
  finding, measures of the forms the Accountability Regulation lists, and rectification before it is closed.
  A decision evaluated as failed is thereby corrected through a new matter and opens its own case.

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

  Scenario: A decision is carried out only through tasks with a lead member who sits on the body
    When "sec" tries to start carrying out the decision
    Then the step is refused by rule "R-DECISION-TASKS"
    When "sec" tries to assign the task "Build 40 km of roads" without a lead member
    Then the step is refused by rule "R-TASK-FIELDS"
    And the refused step changed nothing
    When "sec" tries to assign the task "Build 40 km of roads" to lead member "mayor" with "transport bureau" by "2026-12-31T18:00+08:00"
    Then the step is refused by rule "R-TASK-LEAD"
    When "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    Then the matter is "executing"

  Scenario: A target missed at its deadline opens one case on the next sweep, and rectification closes it
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "m2" tries to start work on "Build 40 km of roads"
    Then the step is refused by rule "R-TASK-TARGET"
    When "m2" sets the business target "roads" of "Build 40 km of roads" from 0 to 40 "km"
    And "m2" starts work on "Build 40 km of roads"
    And "m2" reports "roads" of "Build 40 km of roads" at 30
    And supervision runs on "2026-12-31T12:00+08:00"
    Then the task "Build 40 km of roads" is "in_progress"
    And no accountability case is open
    When supervision runs on "2027-01-04T09:00+08:00"
    Then the task "Build 40 km of roads" is "overdue"
    And 1 accountability case is open, for "Build 40 km of roads", showing the dissent of "m9" and "sec"
    When supervision runs on "2027-01-05T09:00+08:00"
    Then 1 accountability case is open, for "Build 40 km of roads", showing the dissent of "m9" and "sec"
    When "dep" records the finding "land acquisition began four months late" on the case
    And "sec" tries to decide the measures "fine" on the case
    Then the step is refused by rule "R-ACCT-FORMS"
    When "sec" decides the measures "admonishment" on the case
    And "sec" records the measures carried out on the case
    And "sec" tries to close the case without a rectification
    Then the step is refused by rule "R-CASE-RECTIFIED"
    When "sec" closes the case with the rectification "acquisition finished; roads open in March"
    Then the case is "closed"
    And no accountability case is open

  Scenario: A task whose targets are reached by the deadline opens no case
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "m2" sets the business target "roads" of "Build 40 km of roads" from 0 to 40 "km"
    And "m2" starts work on "Build 40 km of roads"
    And "m2" reports "roads" of "Build 40 km of roads" at 41.5
    And supervision runs on "2027-01-04T09:00+08:00"
    Then the task "Build 40 km of roads" is "completed"
    And no accountability case is open

  Scenario: A decision evaluated as failed is corrected through a new matter and opens its own case
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "sec" evaluates the decision as failed: "costs doubled; half the roads unusable"
    Then the matter is "corrected"
    And a correction matter linked to the decision is "proposed"
    And 1 accountability case is open, for the decision, showing the dissent of "m9" and "sec"
