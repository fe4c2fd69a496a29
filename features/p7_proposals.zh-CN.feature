# language: zh-CN
功能: P7 办理人大代表建议和政协委员提案
  认真办理人大代表的建议和政协委员的提案（来源 §IV.3：认真办理人大、政协的议案、提案和视察建议）：逐件登记，
  交由主办单位办理并明确牵头常委，自交办之日起三个月内答复（《代表法》第四十三条；政协提案工作条例）。征询
  提出人对答复的满意度；不满意的，重新办理并确定新的答复期限。到期未答复的，作为督查发现的问题启动一起问责。

  背景:
    假如常委会“县委常委会”由书记“王明”、副书记“李华”和常委“常委1”至“常委9”组成

  场景: 人大代表建议由牵头常委在三个月内答复，代表满意后办结
    假如“王明”以下列事实启动“proposal_handling”：
      | 事实     | 值                   |
      | kind     | deputy_suggestion    |
      | title    | 在县实验学校增设公交站 |
      | proposer | 张代表               |
      | body     | 县委常委会           |
    那么议题状态为“已登记”
    而且规则“R-PROPOSAL-FIELDS”通过
    当“王明”试图执行“assign”，数据如下：
      | 事实        | 值                     |
      | lead_unit   | 县交通运输局           |
      | lead_member | 常委1                  |
      | reply_due   | 2026-06-03T18:00+08:00 |
    那么该操作被规则“R-PROPOSAL-REPLY-PERIOD”拒绝
    而且拒绝理由包含“须不超过 3个月”
    而且所依规则为“自交办之日起三个月内答复”，依据“第四十三条”
    而且被拒绝的操作未改变任何记录
    当“王明”执行“assign”，数据如下：
      | 事实        | 值                     |
      | lead_unit   | 县交通运输局           |
      | lead_member | 常委1                  |
      | reply_due   | 2026-06-01T18:00+08:00 |
    那么议题状态为“已交办，办理中”
    而且规则“R-PROPOSAL-ASSIGNED”通过
    当“常委2”试图执行“answer”，数据如下：
      | 事实  | 值                 |
      | reply | 五月底前建成公交站 |
    那么该操作被规则“R-PROPOSAL-ANSWER”拒绝
    而且拒绝理由包含“只能由牵头常委 常委1 答复，并须在本次答复中载明答复意见”
    而且被拒绝的操作未改变任何记录
    当“常委1”执行“answer”，数据如下：
      | 事实  | 值                 |
      | reply | 五月底前建成公交站 |
    而且“王明”执行“record_satisfaction”，数据如下：
      | 事实         | 值                  |
      | satisfaction | basically_satisfied |
    那么议题状态为“已办结”
    而且规则“R-PROPOSAL-SATISFIED”通过

  场景: 提出人不满意的提案重新办理；新的答复期限届满仍未答复的，启动问责
    假如“王明”以下列事实启动“proposal_handling”：
      | 事实     | 值             |
      | kind     | cppcc_proposal |
      | title    | 综合整治清河   |
      | proposer | 李委员         |
      | body     | 县委常委会     |
    而且“王明”执行“assign”，数据如下：
      | 事实        | 值                     |
      | lead_unit   | 县生态环境局           |
      | lead_member | 常委2                  |
      | reply_due   | 2026-04-01T18:00+08:00 |
    而且“常委2”执行“answer”，数据如下：
      | 事实  | 值               |
      | reply | 拟于明年实施清淤 |
    当系统一次性核查到期事项，直至“2026-04-05T09:00+08:00”
    而且“王明”试图执行“record_satisfaction”，数据如下：
      | 事实         | 值          |
      | satisfaction | unsatisfied |
    那么该操作被规则“R-PROPOSAL-DUE-AHEAD”拒绝
    而且拒绝理由包含“重新办理须确定新的答复期限”
    而且被拒绝的操作未改变任何记录
    当“王明”试图执行“record_satisfaction”，数据如下：
      | 事实      | 值                     |
      | reply_due | 2026-05-01T18:00+08:00 |
    那么该操作被规则“R-PROPOSAL-SATISFACTION”拒绝
    当“王明”执行“record_satisfaction”，数据如下：
      | 事实         | 值                     |
      | satisfaction | unsatisfied            |
      | reply_due    | 2026-05-01T18:00+08:00 |
    那么议题状态为“提出人不满意，重新办理”
    而且规则“R-PROPOSAL-SATISFIED”未通过
    当系统每天核查到期事项，直至“2026-05-02T09:00+08:00”
    那么议题状态为“逾期未答复”
    而且就该建议提案启动问责 1 起，事由为逾期未答复
    当“常委2”试图执行“answer”
    那么该操作被规则“R-PROPOSAL-ANSWER”拒绝
    而且拒绝理由包含“重新办理后的答复须另行载明”
    而且被拒绝的操作未改变任何记录
    当“常委2”执行“answer”，数据如下：
      | 事实  | 值                           |
      | reply | 六月开始清淤，所需资金已落实 |
    那么议题状态为“已答复，待征询满意度”

  场景: 建议须载明提出人登记，并交由主办单位办理、明确有表决权的牵头常委
    当“王明”试图以下列事实启动“proposal_handling”：
      | 事实  | 值                   |
      | kind  | deputy_suggestion    |
      | title | 在县实验学校增设公交站 |
      | body  | 县委常委会           |
    那么该操作被规则“R-PROPOSAL-FIELDS”拒绝
    当“王明”以下列事实启动“proposal_handling”：
      | 事实     | 值                   |
      | kind     | deputy_suggestion    |
      | title    | 在县实验学校增设公交站 |
      | proposer | 张代表               |
      | body     | 县委常委会           |
    而且“王明”试图执行“assign”，数据如下：
      | 事实        | 值                     |
      | lead_member | 常委1                  |
      | reply_due   | 2026-05-01T18:00+08:00 |
    那么该操作被规则“R-PROPOSAL-ASSIGNED”拒绝
    当“王明”试图执行“assign”，数据如下：
      | 事实        | 值                     |
      | lead_unit   | 县交通运输局           |
      | lead_member | 政协代表               |
      | reply_due   | 2026-05-01T18:00+08:00 |
    那么该操作被规则“R-LEAD-MEMBER”拒绝
    而且被拒绝的操作未改变任何记录
    而且议题状态仍为“已登记”
