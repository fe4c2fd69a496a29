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

  Scenario: A proposal goes to the government's meeting with what the decree asks; only the principal leader launches it
    Given a body "bureau" of kind "bureau" with these members:
      | person   | role             | voting |
      | director | principal        | true   |
      | unit     | undertaking_unit | false  |
    When "unit" tries to start a "major_administrative_decision" with:
      | fact        | value                |
      | title       | Cross-river bridge   |
      | matter_kind | construction_project |
      | proposed_by | department           |
      | proposer    | unit                 |
      | body        | bureau               |
    Then the step is refused by rule "R-GOV-MEETING"
    And the refusal says "is not the government's executive or plenary meeting"
    And the refused step changed nothing
    When "unit" tries to start a "major_administrative_decision" with:
      | fact        | value                |
      | title       | Cross-river bridge   |
      | matter_kind | construction_project |
      | proposer    | unit                 |
      | body        | gov                  |
    Then the step is refused by rule "R-GOV-PROPOSAL"
    And the refusal says "missing: proposed_by"
    And the refused step changed nothing
    When "unit" starts a "major_administrative_decision" with:
      | fact        | value                |
      | title       | Cross-river bridge   |
      | matter_kind | construction_project |
      | proposed_by | department           |
      | proposer    | unit                 |
      | body        | gov                  |
    Then the matter is "proposed"
    When "dep1" tries to fire "launch" with:
      | fact             | value          |
      | undertaking_unit | housing bureau |
      | not_public       | false          |
      | specialised      | true           |
      | risk_relevant    | true           |
      | market_activity  | false          |
    Then the step is refused by rule "R-GOV-ROLE"
    And the refusal says "allowed: principal leader of the government"
    And the refused step changed nothing
    When "head" tries to fire "launch" with:
      | fact             | value          |
      | undertaking_unit | housing bureau |
      | not_public       | false          |
      | specialised      | true           |
      | market_activity  | false          |
    Then the step is refused by rule "R-GOV-LAUNCH"
    And the refusal says "missing: risk_relevant"
    And the refused step changed nothing
    When "head" fires "launch" with:
      | fact             | value          |
      | undertaking_unit | housing bureau |
      | not_public       | false          |
      | specialised      | true           |
      | risk_relevant    | true           |
      | market_activity  | false          |
    Then the matter is "drafting"
    And rule "R-GOV-CATALOGUE" failed saying "missing: catalogue_entry"

  Scenario: A shortened public comment states its reason and a close after it opens; the comment closes only when its period has run
    When "unit" tries to fire "open_comment" with:
      | fact              | value                  |
      | comment_closes    | 2026-03-16T18:00+08:00 |
      | comment_shortened | true                   |
    Then the step is refused by rule "R-GOV-COMMENT-SHORTENED"
    And the refusal says "missing: shortened_reason"
    And the refused step changed nothing
    When "unit" tries to fire "open_comment" with:
      | fact              | value                         |
      | comment_closes    | 2026-02-27T18:00+08:00        |
      | comment_shortened | true                          |
      | shortened_reason  | the timetable starts in April |
    Then the step is refused by rule "R-GOV-COMMENT-CLOSES"
    And the refusal says "cannot close at"
    And the refused step changed nothing
    When "unit" fires "open_comment" with:
      | fact           | value                  |
      | comment_closes | 2026-04-03T18:00+08:00 |
    Then the matter is "public_comment"
    When "unit" tries to fire "close_comment"
    Then the step is refused by rule "R-GOV-COMMENT-RAN"
    And the refusal says "the public comment runs until"
    And the refused step changed nothing
    When the engine reviews what falls due once until "2026-04-06T09:00+08:00"
    Then the matter is "drafting"

  Scenario: The draft goes to legality review with the public heard and its materials; an unlawful draft goes back to drafting
    Given "unit" fires "record_argumentation" with:
      | fact           | value                          |
      | expert_panel   | Provincial Transport Institute |
      | expert_opinion | feasible                       |
    When "unit" tries to fire "send_for_review" with:
      | fact        | value                      |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-03-20T18:00+08:00     |
    Then the step is refused by rule "R-GOV-PARTICIPATION"
    And the refusal says "no public participation is recorded"
    And the refused step changed nothing
    When "unit" fires "record_participation" with:
      | fact                  | value      |
      | participation_summary | two forums |
    And "unit" tries to fire "send_for_review" with:
      | fact       | value                  |
      | review_due | 2026-03-20T18:00+08:00 |
    Then the step is refused by rule "R-GOV-REVIEW-MATERIALS"
    And the refusal says "missing: legal_basis"
    And the refused step changed nothing
    When "unit" fires "send_for_review" with:
      | fact        | value                      |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-03-06T18:00+08:00     |
    Then the matter is "legality_review"
    And rule "R-GOV-REVIEW-TIME" failed
    When "justice" tries to fire "conclude_review" with:
      | fact     | value  |
      | legality | lawful |
    Then the step is refused by rule "R-GOV-REVIEW-OPINION"
    And the refusal says "missing: legality_opinion"
    And the refused step changed nothing
    When "justice" tries to fire "conclude_review" with:
      | fact             | value                   |
      | legality         | exploratory             |
      | legality_opinion | a reform the law allows |
    Then the step is refused by rule "R-GOV-LEGAL-RISK"
    And the refusal says "missing: legal_risk"
    And the refused step changed nothing
    When "justice" fires "conclude_review" with:
      | fact             | value                          |
      | legality         | unlawful                       |
      | legality_opinion | the fares exceed the price law |
    Then the matter is "drafting"
    And rule "R-GOV-LAWFUL" failed saying "legality review finding is unlawful; needs one of lawful, exploratory"
    When "unit" fires "send_for_review" with:
      | fact        | value                      |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-03-20T18:00+08:00     |
    And "justice" fires "conclude_review" with:
      | fact             | value                          |
      | legality         | exploratory                    |
      | legality_opinion | a reform the law allows        |
      | legal_risk       | the fare cap may be challenged |
    Then the matter is "reviewed"
    And rule "R-GOV-LAWFUL" passed

  Scenario: At the meeting members present speak once each; the principal leader decides on all their views and the minutes keep the majority view
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
    And "head" opens the meeting with 4 members present
    When "office" tries to state the view "agree"
    Then the step is refused by rule "R-GOV-SPEAKER"
    And the refusal says "office is not among members entitled to vote now"
    And the refused step changed nothing
    When "dep1" states the view "agree"
    And "dep1" tries to state the view "oppose"
    Then the step is refused by rule "R-GOV-ONE-VIEW"
    And the refusal says "dep1 is already among members who have stated a view"
    And the refused step changed nothing
    When "dep2" states the view "agree"
    And "dep3" states the view "agree"
    And "head" tries to fire "decide" with:
      | fact          | value   |
      | decision      | approve |
      | majority_view | agree   |
    Then the step is refused by rule "R-GOV-HEARD"
    And the refusal says "still missing: head"
    And the refused step changed nothing
    When "head" states the view "agree"
    And "head" tries to fire "decide" with:
      | fact     | value  |
      | decision | revise |
    Then the step is refused by rule "R-GOV-MINUTES"
    And the refusal says "missing: majority_view"
    And the refused step changed nothing
    When "head" fires "decide" with:
      | fact             | value                             |
      | decision         | revise                            |
      | majority_view    | agree                             |
      | decision_reasons | the night lines need another look |
    Then the matter is "drafting"
    And rule "R-GOV-REVISE" passed
    And rule "R-GOV-APPROVED" failed saying "principal leader's decision is revise; needs one of approve"

  Scenario: A risky matter touching market actors is risk-assessed, reviewed for fair competition and approved only on risks found controllable
    Given "unit" starts a "major_administrative_decision" with:
      | fact        | value               |
      | title       | Taxi licence reform |
      | matter_kind | public_policy       |
      | proposed_by | department          |
      | proposer    | unit                |
      | body        | gov                 |
    And "head" fires "launch" with:
      | fact             | value            |
      | undertaking_unit | transport bureau |
      | catalogue_entry  | 2026-07          |
      | not_public       | false            |
      | specialised      | false            |
      | risk_relevant    | true             |
      | market_activity  | true             |
    And "unit" fires "record_participation" with:
      | fact                  | value                     |
      | participation_summary | a hearing of taxi drivers |
    When "unit" tries to fire "send_for_review" with:
      | fact        | value                      |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-03-20T18:00+08:00     |
    Then the step is refused by rule "R-GOV-RISK"
    And the refusal says "its risk assessment report is recorded before the legality review"
    And the refused step changed nothing
    When "unit" fires "record_risk_assessment" with:
      | fact              | value                          |
      | risk_assessor     | County Social Stability Centre |
      | risk_report       | drivers may strike             |
      | risk_controllable | false                          |
    And "unit" fires "send_for_review" with:
      | fact        | value                      |
      | legal_basis | Road Transport Regulations |
      | review_due  | 2026-03-20T18:00+08:00     |
    And "justice" fires "conclude_review" with:
      | fact             | value  |
      | legality         | lawful |
      | legality_opinion | lawful |
    And "unit" tries to fire "submit_for_discussion"
    Then the step is refused by rule "R-GOV-FAIR-COMPETITION"
    And the refusal says "missing: fair_competition_review"
    And the refused step changed nothing
    When "unit" fires "submit_for_discussion" with:
      | fact                    | value                       |
      | fair_competition_review | no barrier to new operators |
    And "head" opens the meeting with all members present
    And every member present but "head" states the view "agree"
    And "head" states the view "agree"
    And "head" tries to fire "decide" with:
      | fact          | value   |
      | decision      | approve |
      | majority_view | agree   |
    Then the step is refused by rule "R-GOV-RISK-CONTROLLABLE"
    And the refusal says "the risks were not found controllable"
    And the refused step changed nothing
    And the matter is still "in_meeting"

  Scenario: A decision is reported, published, carried out, suspended, evaluated and closed, each step stating what the decree asks
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
    And "head" states the view "agree"
    And "head" fires "decide" with:
      | fact          | value   |
      | decision      | approve |
      | majority_view | agree   |
    Then the matter is "decided"
    And rule "R-GOV-APPROVED" passed
    When "head" tries to fire "report_to_party"
    Then the step is refused by rule "R-GOV-PARTY-REPORT"
    And the refusal says "missing: party_report"
    And the refused step changed nothing
    When "head" fires "report_to_party" with:
      | fact         | value                                  |
      | party_report | reported to the county Party committee |
    And "office" tries to fire "publish" with:
      | fact               | value                                     |
      | adoption_explained | 31 comments and the experts' view adopted |
    Then the step is refused by rule "R-GOV-PUBLISHED"
    And the refusal says "missing: publication"
    And the refused step changed nothing
    When "office" tries to fire "publish" with:
      | fact        | value                      |
      | publication | county gazette and website |
    Then the step is refused by rule "R-GOV-INTERPRETATION"
    And the refusal says "missing: adoption_explained"
    And the refused step changed nothing
    When "office" fires "publish" with:
      | fact               | value                                     |
      | publication        | county gazette and website                |
      | adoption_explained | 31 comments and the experts' view adopted |
    Then the matter is "published"
    When "head" tries to fire "assign_execution"
    Then the step is refused by rule "R-GOV-EXECUTING-UNIT"
    And the refusal says "missing: executing_unit"
    And the refused step changed nothing
    When "head" fires "assign_execution" with:
      | fact           | value            |
      | executing_unit | transport bureau |
    And "head" tries to fire "complete"
    Then the step is refused by rule "R-GOV-COMPLETED"
    And the refusal says "missing: execution_summary"
    And the refused step changed nothing
    When "head" tries to fire "suspend"
    Then the step is refused by rule "R-GOV-SUSPEND"
    And the refusal says "missing: suspension_reason"
    And the refused step changed nothing
    When "head" fires "suspend" with:
      | fact              | value                    |
      | suspension_reason | the new depot is flooded |
    And "head" tries to fire "adjust"
    Then the step is refused by rule "R-GOV-ADJUSTMENT-REASON"
    And the refusal says "missing: adjustment_reason"
    And the refused step changed nothing
    And the matter is still "suspended"
    When "head" fires "resume"
    And "head" tries to fire "start_evaluation" with:
      | fact      | value                        |
      | evaluator | County Development Institute |
    Then the step is refused by rule "R-GOV-EVALUATION-GROUND"
    And the refusal says "missing: evaluation_ground"
    And the refused step changed nothing
    When "head" tries to fire "start_evaluation" with:
      | fact              | value                          |
      | evaluation_ground | many_opinions                  |
      | evaluator         | Provincial Transport Institute |
    Then the step is refused by rule "R-GOV-EVALUATOR"
    And the refusal says "cannot evaluate it afterwards"
    And the refused step changed nothing
    When "head" fires "start_evaluation" with:
      | fact              | value                        |
      | evaluation_ground | many_opinions                |
      | evaluator         | County Development Institute |
    And "head" tries to fire "conclude_evaluation" with:
      | fact       | value |
      | evaluation | keep  |
    Then the step is refused by rule "R-GOV-EVALUATION"
    And the refusal says "missing: evaluation_finding"
    And the refused step changed nothing
    When "head" fires "conclude_evaluation" with:
      | fact               | value                          |
      | evaluation         | keep                           |
      | evaluation_finding | ridership up; complaints heard |
    Then the matter is "executing"
    And rule "R-GOV-ADJUST" failed saying "evaluation conclusion is keep; needs one of adjust"
    When "head" fires "complete" with:
      | fact              | value                        |
      | execution_summary | 14 lines reopened by October |
    Then the matter is "closed"
