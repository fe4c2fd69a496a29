# language: en
Feature: P3 and P4 — responsibility assignment, supervision and accountability
  谁主管、谁负责 (source §IV.2, §IV.4): an adopted decision is carried out only through tasks, each with one lead
  member who is a voting member of the body, responsible departments, measurable targets and a deadline.
  Supervision (督查, §IV.5) is the engine's own sweep of due deadlines: a task whose targets are missed at its
  deadline opens one accountability case (问责), however often the sweep runs; the case goes from inquiry to a
  finding, measures of the forms the Accountability Regulation lists, and rectification before it is closed.
  A decision evaluated as failed is thereby corrected through a new matter and opens its own case. The measures are
  published before the case closes. A decision carried out also owes periodic briefings (定期通报); their cadence and
  its cases are the P5 briefings feature's, and the cases counted here are those on a task or decision.

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
    And no accountability case is open on a task or decision
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
    And "sec" publishes the measures on the case
    And "sec" tries to close the case without a rectification
    Then the step is refused by rule "R-CASE-RECTIFIED"
    When "sec" closes the case with the rectification "acquisition finished; roads open in March"
    Then the case is "closed"
    And no accountability case is open on a task or decision

  Scenario: A task whose targets are reached by the deadline opens no case
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "m2" sets the business target "roads" of "Build 40 km of roads" from 0 to 40 "km"
    And "m2" starts work on "Build 40 km of roads"
    And "m2" reports "roads" of "Build 40 km of roads" at 41.5
    And supervision runs on "2027-01-04T09:00+08:00"
    Then the task "Build 40 km of roads" is "completed"
    And no accountability case is open on a task or decision

  Scenario: A decision evaluated as failed is corrected through a new matter and opens its own case
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "sec" evaluates the decision as failed: "costs doubled; half the roads unusable"
    Then the matter is "corrected"
    And a correction matter linked to the decision is "proposed"
    And 1 accountability case is open, for the decision, showing the dissent of "m9" and "sec"

  Scenario: A task is assigned with a deadline that still lies ahead
    细化、量化、硬化 (source §IV.4): a task's deadline is a date still to come.
    When "sec" tries to assign the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-03-01T18:00+08:00"
    Then the step is refused by rule "R-TASK-DEADLINE"
    And the refusal says "has already passed"
    And the refused step changed nothing
    When "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    Then the matter is "assigned"

  Scenario: No task is added to a decision once it is being carried out
    A task belongs to a decision whose responsibilities are being assigned (source §III.5, §IV.4).
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    When "sec" tries to start the task "Pave the market road" of the decision directly, led by "m3" with "housing bureau" by "2026-12-31T18:00+08:00"
    Then the step is refused by rule "R-TASK-DECISION"
    And the refusal says "is executing; needs one of assigned"
    And the refused step changed nothing

  Scenario: Only the lead member reports a task's progress, and the task is completed once every target is reached
    谁主管、谁负责 (source §IV.4): the lead member answers for the task and its targets.
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And "m2" sets the business target "roads" of "Build 40 km of roads" from 0 to 40 "km"
    And "m2" starts work on "Build 40 km of roads"
    And the following steps act on the task "Build 40 km of roads"
    When "m3" tries to fire "Report progress on a target" with:
      | fact   | value |
      | metric | roads |
      | value  | 30    |
    Then the step is refused by rule "R-TASK-REPORTER"
    And the refusal says "only the lead member m2 reports this task's progress"
    And the refused step changed nothing
    When "m2" fires "Report progress on a target" with:
      | fact   | value |
      | metric | roads |
      | value  | 30    |
    And "m2" tries to fire "Complete the task (every target reached)"
    Then the step is refused by rule "R-TARGETS-MET"
    And the refusal says "the targets are 75% reached"
    And the refused step changed nothing
    When "m2" fires "Report progress on a target" with:
      | fact   | value |
      | metric | roads |
      | value  | 40    |
    And "m2" fires "Complete the task (every target reached)"
    Then the task "Build 40 km of roads" is "completed"

  Scenario: An accountability case is decided only on a recorded finding
    CPC Accountability Regulation (2016) Art. 8: responsibility is found, or not, on an inquiry's finding.
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And supervision runs on "2027-01-04T09:00+08:00"
    And the following steps act on the accountability case
    When "dep" tries to fire "Record the finding"
    Then the step is refused by rule "R-CASE-FINDING"
    And the refusal says "missing: finding"
    And the refused step changed nothing
    When "sec" tries to fire "Close: no responsibility found"
    Then the step is refused by rule "R-CASE-FINDING"
    And the refused step changed nothing
    When "dep" records the finding "land acquisition began four months late" on the case
    Then the case is "found"

  Scenario: An organisational adjustment not carried out within a month is overdue, and carrying it out late is reported
    CPC Accountability Regulation (2016) Arts. 9-10: an organisational adjustment is carried out within one month.
    Given "sec" assigns the task "Build 40 km of roads" to lead member "m2" with "transport bureau" by "2026-12-31T18:00+08:00"
    And "sec" starts carrying out the decision
    And supervision runs on "2027-01-04T09:00+08:00"
    And "dep" records the finding "land acquisition began four months late" on the case
    And "sec" decides the measures "organisational_adjustment" on the case
    When supervision runs on "2027-02-08T09:00+08:00"
    Then the case is "Organisational adjustment overdue"
    And the case's last step was taken under rule "R-ACCT-EXEC-DUE"
    When "sec" records the measures carried out on the case
    Then rule "R-ACCT-EXEC" failed saying "the organisational adjustment is carried out more than a month after it was decided"
    And the case is "Rectification under way"
