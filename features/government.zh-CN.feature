# language: zh-CN
功能: 依照《重大行政决策程序暂行条例》（国务院令第713号）作出重大行政决策（government 规则包）
  第二个组织，全部以数据表达：地方人民政府的重大行政决策，依法开展公众参与、专家论证、风险评估，
  经合法性审查后提交政府常务会议或者全体会议讨论；会议组成人员充分发表意见，行政首长最后发表意见
  并作出决定（第三十条）。

  背景:
    假如机构“县政府常务会议”（类别“executive”）的组成人员如下：
      | 人员     | 职务              | 表决  |
      | 县长     | principal         | true  |
      | 副县长甲 | deputy            | true  |
      | 副县长乙 | deputy            | true  |
      | 副县长丙 | deputy            | true  |
      | 政府办   | member            | true  |
      | 交通局   | undertaking_unit  | false |
      | 司法局   | legality_reviewer | false |
    而且“交通局”以下列事实启动“major_administrative_decision”：
      | 事实        | 值                    |
      | title       | 2026年公交线网优化方案 |
      | matter_kind | plan                  |
      | proposed_by | department            |
      | proposer    | 交通局                |
      | body        | 县政府常务会议         |
    而且“县长”执行“决定启动决策程序并明确承办单位”，数据如下：
      | 事实             | 值         |
      | undertaking_unit | 县交通运输局 |
      | not_public       | false      |
      | specialised      | true       |
      | risk_relevant    | false      |
      | market_activity  | false      |

  场景: 决策草案履行所需各项程序后提交会议讨论，行政首长最后发表意见
    当“交通局”执行“向社会公开征求意见”，数据如下：
      | 事实           | 值                     |
      | comment_closes | 2026-04-03T18:00+08:00 |
    那么议题状态为“公开征求意见中”
    当系统一次性核查到期事项，直至“2026-04-06T09:00+08:00”
    那么议题状态为“拟订决策草案”
    当“交通局”执行“记录公众参与及意见采纳情况”，数据如下：
      | 事实                  | 值                            |
      | participation_summary | 收到意见120条，采纳31条；召开听证会 |
    而且“交通局”执行“记录专家论证意见”，数据如下：
      | 事实           | 值           |
      | expert_panel   | 省交通科学研究院 |
      | expert_opinion | 方案可行       |
    而且“交通局”执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例            |
      | review_due  | 2026-04-17T18:00+08:00 |
    而且“司法局”执行“出具合法性审查意见”，数据如下：
      | 事实             | 值     |
      | legality         | lawful |
      | legality_opinion | 合法   |
    而且“交通局”执行“提交决策机关讨论”
    而且“县长”召开会议，全体成员到会
    那么规则“R-GOV-QUORUM”通过
    当“县长”试图表态“同意”
    那么该操作被规则“R-GOV-PRINCIPAL-LAST”拒绝
    而且所依规则为“行政首长最后发表意见”，依据“Decree 713 Art. 30”
    而且被拒绝的操作未改变任何记录
    当除“县长”以外的到会成员逐一表态“同意”
    而且“县长”表态“同意”
    而且“县长”执行“行政首长作出决定”，数据如下：
      | 事实          | 值      |
      | decision      | approve |
      | majority_view | agree   |
    那么议题状态为“已作出决定”
    而且历史记录共 17 条，审计链完整

  场景: 专业性、技术性较强的决策事项不得跳过专家论证
    假如“交通局”执行“记录公众参与及意见采纳情况”，数据如下：
      | 事实                  | 值        |
      | participation_summary | 召开座谈会两场 |
    当“交通局”试图执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例            |
      | review_due  | 2026-04-17T18:00+08:00 |
    那么该操作被规则“R-GOV-EXPERTS”拒绝
    而且拒绝理由包含“专业性、技术性较强”
    而且被拒绝的操作未改变任何记录
    而且议题状态仍为“拟订决策草案”

  场景: 公开征求意见不足30日的，须在公开征求意见时说明理由
    当“交通局”试图执行“向社会公开征求意见”，数据如下：
      | 事实           | 值                     |
      | comment_closes | 2026-03-16T18:00+08:00 |
    那么该操作被规则“R-GOV-COMMENT-PERIOD”拒绝
    而且拒绝理由包含“不足30日”
    当“交通局”执行“向社会公开征求意见”，数据如下：
      | 事实              | 值                     |
      | comment_closes    | 2026-03-16T18:00+08:00 |
      | comment_shortened | true                   |
      | shortened_reason  | 新线网须于4月开通        |
    那么议题状态为“公开征求意见中”
    而且事项的“comment_shortened”为“true”

  场景: 行政首长的决定与多数人意见不一致的，应当在会上说明理由
    假如“交通局”执行“记录公众参与及意见采纳情况”，数据如下：
      | 事实                  | 值        |
      | participation_summary | 召开座谈会两场 |
    而且“交通局”执行“记录专家论证意见”，数据如下：
      | 事实           | 值           |
      | expert_panel   | 省交通科学研究院 |
      | expert_opinion | 方案可行       |
    而且“交通局”执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例            |
      | review_due  | 2026-03-20T18:00+08:00 |
    而且“司法局”执行“出具合法性审查意见”，数据如下：
      | 事实             | 值     |
      | legality         | lawful |
      | legality_opinion | 合法   |
    而且“交通局”执行“提交决策机关讨论”
    而且“县长”召开会议，全体成员到会
    而且除“县长”以外的到会成员逐一表态“同意”
    而且“县长”表态“反对”
    当“县长”试图执行“行政首长作出决定”，数据如下：
      | 事实          | 值     |
      | decision      | reject |
      | majority_view | agree  |
    那么该操作被规则“R-GOV-REASONS”拒绝
    而且拒绝理由包含“应当在会上说明理由”
    当“县长”执行“行政首长作出决定”，数据如下：
      | 事实             | 值         |
      | decision         | reject     |
      | majority_view    | agree      |
      | decision_reasons | 补贴资金尚未落实 |
    那么议题状态为“决定不予通过”
