# language: en
Feature: P6 — annual public commitments
  Each year the committee selects several practical things to do for the public, promises them at the start of the
  year, delivers them by its end and publishes the outcome (source §V.2: 年初承诺、年终兑现、向群众公示). A commitment is
  promised to the public by its promise date, early in the year; at its due date the engine reviews it by itself:
  one not delivered is marked so, a supervision finding that opens one accountability case, and it is published as
  not delivered — never as delivered.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"

  Scenario: A commitment delivered by the year's end is published as delivered
    Given "sec" selects the commitment "Tap water for 12 villages" of "sc" for 2026 with lead member "m2", to be promised by "2026-03-31T18:00+08:00" and delivered by "2026-12-31T18:00+08:00"
    And "m2" sets the target "villages": from 0 to 12 "villages"
    When "sec" promises the commitment to the public
    Then the commitment is "Promised to the public"
    When "m2" reports "villages" at 7
    And "m2" tries to declare the commitment delivered: "7 villages connected"
    Then the step is refused by rule "R-COMMITMENT-DELIVERED"
    And the refusal says "targets 58% reached"
    And the refused step changed nothing
    When "m2" reports "villages" at 12
    And "m2" declares the commitment delivered: "12 villages have tap water"
    Then the commitment is "Delivered"
    When the engine reviews what falls due once until "2027-01-04T09:00+08:00"
    Then no accountability case is open on the commitment
    When "sec" tries to publish the commitment as not delivered: "12 villages have tap water"
    Then the step is refused by rule "R-COMMITMENT-PUBLISHED"
    When "sec" publishes the commitment as delivered: "12 villages have tap water"
    Then the commitment is "Published: delivered"
    And the list of "sc"'s commitments for 2026 shows "Tap water for 12 villages" as "delivered", published
    And the history holds 7 events and the audit chain is intact

  Scenario: A commitment undelivered at the year's end is published as such and opens one case
    Given "sec" selects the commitment "Two new village clinics" of "sc" for 2026 with lead member "m3", to be promised by "2026-03-31T18:00+08:00" and delivered by "2026-12-31T18:00+08:00"
    And "sec" promises the commitment to the public
    When the engine reviews what falls due every day until "2027-01-04T09:00+08:00"
    Then the commitment is "Not delivered at the year's end"
    And 1 accountability case is open on the commitment
    And the case concerns an undelivered commitment and holds "m3" answerable
    When the engine reviews what falls due again
    Then 1 accountability case is open on the commitment
    And the list of "sc"'s commitments for 2026 shows "Two new village clinics" as "not delivered"
    When "sec" tries to publish the commitment as delivered: "one clinic built"
    Then the step is refused by rule "R-COMMITMENT-PUBLISHED"
    And the refusal says "the commitment's true state (undelivered)"
    When "sec" publishes the commitment as not delivered: "one of two clinics built; the second is delayed"
    Then the commitment is "Published: not delivered"
    And the list of "sc"'s commitments for 2026 shows "Two new village clinics" as "not delivered", published

  Scenario: A commitment not promised by its promise date lapses, and a late promise is refused
    Given "sec" selects the commitment "Free bus to the county hospital" of "sc" for 2026 with lead member "m4", to be promised by "2026-03-31T18:00+08:00" and delivered by "2026-12-31T18:00+08:00"
    And the date is "2026-04-01T09:00+08:00"
    When "sec" tries to promise the commitment to the public
    Then the step is refused because "Publish the promise to the public" is not allowed in state "Not promised in time"
    When the engine reviews what falls due once until "2026-04-01T09:00+08:00"
    Then the commitment is "Not promised in time"
    And the list of "sc"'s commitments for 2026 shows "Free bus to the county hospital" as "not promised"

  Scenario: A commitment names the member of the leadership who leads it
    Source §V.2 and 谁主管、谁负责 (§IV.4): each practical thing promised has one lead member of the leadership.
    When "sec" tries to select a commitment with:
      | fact       | value                     |
      | body       | sc                        |
      | year       | 2026                      |
      | title      | Tap water for 12 villages |
      | promise_by | 2026-03-31T18:00+08:00    |
      | due        | 2026-12-31T18:00+08:00    |
    Then the step is refused by rule "R-COMMITMENT-FIELDS"
    And the refusal says "missing: lead_member"
    And the refused step changed nothing
    When "sec" tries to select a commitment with:
      | fact        | value                     |
      | body        | sc                        |
      | year        | 2026                      |
      | title       | Tap water for 12 villages |
      | lead_member | mayor                     |
      | promise_by  | 2026-03-31T18:00+08:00    |
      | due         | 2026-12-31T18:00+08:00    |
    Then the step is refused by rule "R-COMMITMENT-LEAD"
    And the refusal says "mayor is not a voting member of sc: a commitment is led by one member of the leadership"
    And the refused step changed nothing

  Scenario: A commitment is promised early in its year and due at the year's end
    年初承诺、年终兑现 (source §V.2).
    When "sec" tries to select a commitment with:
      | fact        | value                     |
      | body        | sc                        |
      | year        | 2026                      |
      | title       | Tap water for 12 villages |
      | lead_member | m2                        |
      | promise_by  | 2026-03-31T18:00+08:00    |
      | due         | 2027-03-31T18:00+08:00    |
    Then the step is refused by rule "R-COMMITMENT-YEAR"
    And the refusal says "a commitment of 2026 is due at the end of 2026 (in December)"
    And the refused step changed nothing
    When "sec" tries to select a commitment with:
      | fact        | value                     |
      | body        | sc                        |
      | year        | 2026                      |
      | title       | Tap water for 12 villages |
      | lead_member | m2                        |
      | promise_by  | 2026-06-30T18:00+08:00    |
      | due         | 2026-12-31T18:00+08:00    |
    Then the step is refused by rule "R-COMMITMENT-EARLY"
    And the refusal says "needs ≥ 275 d"
    And the refused step changed nothing

  Scenario: A commitment promised to the public before its promise date is one of the year's commitments
    年初承诺 (source §V.2): a commitment is promised by its promise date; once that date has passed it lapses instead.
    Given "sec" selects the commitment "Tap water for 12 villages" of "sc" for 2026 with lead member "m2", to be promised by "2026-03-31T18:00+08:00" and delivered by "2026-12-31T18:00+08:00"
    And the date is "2026-03-31T12:00+08:00"
    When "sec" promises the commitment to the public
    Then rule "R-ANNUAL-COMMITMENT" passed
    And the commitment is "Promised to the public"
