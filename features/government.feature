# language: en
Feature: Major administrative decision under State Council Decree 713 (the government pack)
  A second organisation, written as data only: a local government's major administrative decision
  is drafted with public participation, expert argumentation and risk assessment where the decree
  requires them, reviewed for legality, and discussed at the government's executive or plenary
  meeting, where the members speak fully and the principal leader speaks last and decides (Art. 30).

  Background:
    Given a body "gov" of kind "executive" with these members:
      | person  | role              | voting |
      | head    | principal         | true   |
      | dep1    | deputy            | true   |
      | dep2    | deputy            | true   |
      | dep3    | deputy            | true   |
      | office  | member            | true   |
      | unit    | undertaking_unit  | false  |
      | justice | legality_reviewer | false  |
    And "unit" starts a "major_administrative_decision" with:
      | fact        | value                 |
      | title       | Bus network plan 2026 |
      | matter_kind | plan                  |
      | proposed_by | department            |
      | proposer    | unit                  |
      | body        | gov                   |
    And "head" fires "launch" with:
      | fact             | value            |
      | undertaking_unit | transport bureau |
      | not_public       | false            |
      | specialised      | true             |
      | risk_relevant    | false            |
      | market_activity  | false            |

  Scenario: The draft reaches the meeting through the procedures it needs; the principal speaks last
    When "unit" fires "open_comment" with:
      | fact           | value                  |
      | comment_closes | 2026-04-03T18:00+08:00 |
    Then the matter is "public_comment"
    When the engine reviews what falls due once until "2026-04-06T09:00+08:00"
    Then the matter is "drafting"
    When "unit" fires "record_participation" with:
      | fact                  | value                                   |
      | participation_summary | 120 comments, 31 adopted; a bus hearing |
    And "unit" fires "Record the expert argumentation" with:
      | fact           | value                          |
      | expert_panel   | Provincial Transport Institute |
      | expert_opinion | feasible                       |
    And "unit" fires "send_for_review" with:
      | fact        | value                     |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-04-17T18:00+08:00    |
    And "justice" fires "conclude_review" with:
      | fact             | value  |
      | legality         | lawful |
      | legality_opinion | lawful |
    And "unit" fires "submit_for_discussion"
    And "head" opens the meeting with all members present
    Then rule "R-GOV-QUORUM" passed
    When "head" tries to state the view "agree"
    Then the step is refused by rule "R-GOV-PRINCIPAL-LAST"
    And the refused rule is titled "The principal leader speaks last" and cites "Decree 713 Art. 30"
    And the refused step changed nothing
    When every member present but "head" states the view "agree"
    And "head" states the view "agree"
    And "head" fires "decide" with:
      | fact          | value   |
      | decision      | approve |
      | majority_view | agree   |
    Then the matter is "decided"
    And the history holds 17 events and the audit chain is intact

  Scenario: A specialised matter does not skip its expert argumentation
    Given "unit" fires "record_participation" with:
      | fact                  | value      |
      | participation_summary | two forums |
    When "unit" tries to fire "send_for_review" with:
      | fact        | value                      |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-04-17T18:00+08:00     |
    Then the step is refused by rule "R-GOV-EXPERTS"
    And the refusal says "the matter is highly specialised or technical"
    And the refused step changed nothing
    And the matter is still "drafting"

  Scenario: Public comment shorter than 30 days states its reason when it opens
    When "unit" tries to fire "open_comment" with:
      | fact           | value                  |
      | comment_closes | 2026-03-16T18:00+08:00 |
    Then the step is refused by rule "R-GOV-COMMENT-PERIOD"
    And the refusal says "runs less than 30 days"
    When "unit" fires "open_comment" with:
      | fact              | value                   |
      | comment_closes    | 2026-03-16T18:00+08:00  |
      | comment_shortened | true                    |
      | shortened_reason  | the timetable starts in April |
    Then the matter is "public_comment"
    And the matter holds "comment_shortened" = "true"

  Scenario: A decision against the majority view is explained at the meeting
    Given "unit" fires "record_participation" with:
      | fact                  | value      |
      | participation_summary | two forums |
    And "unit" fires "record_argumentation" with:
      | fact           | value                          |
      | expert_panel   | Provincial Transport Institute |
      | expert_opinion | feasible                       |
    And "unit" fires "send_for_review" with:
      | fact        | value                      |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-03-20T18:00+08:00     |
    And "justice" fires "conclude_review" with:
      | fact             | value  |
      | legality         | lawful |
      | legality_opinion | lawful |
    And "unit" fires "submit_for_discussion"
    And "head" opens the meeting with all members present
    And every member present but "head" states the view "agree"
    And "head" states the view "oppose"
    When "head" tries to fire "decide" with:
      | fact          | value  |
      | decision      | reject |
      | majority_view | agree  |
    Then the step is refused by rule "R-GOV-REASONS"
    And the refusal says "state the reasons at the meeting"
    When "head" fires "decide" with:
      | fact             | value                     |
      | decision         | reject                    |
      | majority_view    | agree                     |
      | decision_reasons | the subsidy is not funded |
    Then the matter is "not_adopted"
