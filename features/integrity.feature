# language: en
Feature: Integrity — the audit covers every record that decides an outcome
  The hash-chained events are the record of what happened. Every table that decides an outcome — each named vote,
  who returned a secret ballot, the tellers' totals, the timers, the members of a body, the definition texts — is
  checked against them by the audit, and a change made in the database behind the engine is named with its table
  and row, even when it changed what the engine decided.

  Background:
    Given a standing committee "sc" with secretary "sec", deputy secretary "dep" and standing members "m1" to "m9"

  Scenario: A vote changed in the database behind the engine is named by the audit
    Given "sec" proposes a major matter "County budget 2026" to "sc" with lead member "m1"
    And "m1" prepares the matter and starts individual deliberation
    And "sec" consults every voting member
    And "sec" schedules the matter for a meeting on "2026-03-10T09:00+08:00"
    And the meeting time has come
    And "sec" opens the meeting for a named ballot with all members present
    And the members present state the view "agree", the secretary last
    And the members present vote: 5 agree, 6 oppose, 0 abstain
    When someone changes the vote of "m5" to "agree" in the database, behind the engine
    And "sec" closes the ballot
    Then the matter is "adopted"
    And the audit fails, naming the vote of "m5" in table "collegium_votes"
    And the audit names the step that recorded the vote of "m5" as "oppose"
