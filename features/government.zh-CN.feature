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
    而且所依规则为“行政首长最后发表意见”，依据“第三十条”
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

  场景: 决策事项建议向政府常务会议提出并载明条例要求的事项，只有行政首长决定启动
    假如机构“交通局局务会议”（类别“bureau”）的组成人员如下：
      | 人员   | 职务             | 表决  |
      | 局长   | principal        | true  |
      | 交通局 | undertaking_unit | false |
    当“交通局”试图以下列事实启动“major_administrative_decision”：
      | 事实        | 值                   |
      | title       | 跨江大桥建设项目     |
      | matter_kind | construction_project |
      | proposed_by | department           |
      | proposer    | 交通局               |
      | body        | 交通局局务会议       |
    那么该操作被规则“R-GOV-MEETING”拒绝
    而且拒绝理由包含“不是政府常务会议或者全体会议”
    而且被拒绝的操作未改变任何记录
    当“交通局”试图以下列事实启动“major_administrative_decision”：
      | 事实        | 值                   |
      | title       | 跨江大桥建设项目     |
      | matter_kind | construction_project |
      | proposer    | 交通局               |
      | body        | 县政府常务会议       |
    那么该操作被规则“R-GOV-PROPOSAL”拒绝
    而且拒绝理由包含“缺少：proposed_by”
    而且被拒绝的操作未改变任何记录
    当“交通局”以下列事实启动“major_administrative_decision”：
      | 事实        | 值                   |
      | title       | 跨江大桥建设项目     |
      | matter_kind | construction_project |
      | proposed_by | department           |
      | proposer    | 交通局               |
      | body        | 县政府常务会议       |
    那么议题状态为“已提出决策事项建议”
    当“副县长甲”试图执行“决定启动决策程序并明确承办单位”，数据如下：
      | 事实             | 值                 |
      | undertaking_unit | 县住房和城乡建设局 |
      | not_public       | false              |
      | specialised      | true               |
      | risk_relevant    | true               |
      | market_activity  | false              |
    那么该操作被规则“R-GOV-ROLE”拒绝
    而且拒绝理由包含“允许：行政首长”
    而且被拒绝的操作未改变任何记录
    当“县长”试图执行“决定启动决策程序并明确承办单位”，数据如下：
      | 事实             | 值                 |
      | undertaking_unit | 县住房和城乡建设局 |
      | not_public       | false              |
      | specialised      | true               |
      | market_activity  | false              |
    那么该操作被规则“R-GOV-LAUNCH”拒绝
    而且拒绝理由包含“缺少：risk_relevant”
    而且被拒绝的操作未改变任何记录
    当“县长”执行“决定启动决策程序并明确承办单位”，数据如下：
      | 事实             | 值                 |
      | undertaking_unit | 县住房和城乡建设局 |
      | not_public       | false              |
      | specialised      | true               |
      | risk_relevant    | true               |
      | market_activity  | false              |
    那么议题状态为“拟订决策草案”
    而且规则“R-GOV-CATALOGUE”未通过，说明为“缺少：catalogue_entry”

  场景: 缩短征求意见期限的须说明理由且截止时间晚于开始时间，公开征求意见期满方可截止
    当“交通局”试图执行“向社会公开征求意见”，数据如下：
      | 事实              | 值                     |
      | comment_closes    | 2026-03-16T18:00+08:00 |
      | comment_shortened | true                   |
    那么该操作被规则“R-GOV-COMMENT-SHORTENED”拒绝
    而且拒绝理由包含“缺少：shortened_reason”
    而且被拒绝的操作未改变任何记录
    当“交通局”试图执行“向社会公开征求意见”，数据如下：
      | 事实              | 值                     |
      | comment_closes    | 2026-02-27T18:00+08:00 |
      | comment_shortened | true                   |
      | shortened_reason  | 新线网须于4月开通      |
    那么该操作被规则“R-GOV-COMMENT-CLOSES”拒绝
    而且拒绝理由包含“开始的公开征求意见不能在”
    而且被拒绝的操作未改变任何记录
    当“交通局”执行“向社会公开征求意见”，数据如下：
      | 事实           | 值                     |
      | comment_closes | 2026-04-03T18:00+08:00 |
    那么议题状态为“公开征求意见中”
    当“交通局”试图执行“公开征求意见期满”
    那么该操作被规则“R-GOV-COMMENT-RAN”拒绝
    而且拒绝理由包含“方截止”
    而且被拒绝的操作未改变任何记录
    当系统一次性核查到期事项，直至“2026-04-06T09:00+08:00”
    那么议题状态为“拟订决策草案”

  场景: 决策草案听取公众意见并备齐材料后送请合法性审查，经审查不合法的退回修改
    假如“交通局”执行“记录专家论证意见”，数据如下：
      | 事实           | 值               |
      | expert_panel   | 省交通科学研究院 |
      | expert_opinion | 方案可行         |
    当“交通局”试图执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例           |
      | review_due  | 2026-03-20T18:00+08:00 |
    那么该操作被规则“R-GOV-PARTICIPATION”拒绝
    而且拒绝理由包含“尚无公众参与记录”
    而且被拒绝的操作未改变任何记录
    当“交通局”执行“记录公众参与及意见采纳情况”，数据如下：
      | 事实                  | 值             |
      | participation_summary | 召开座谈会两场 |
    而且“交通局”试图执行“送请合法性审查”，数据如下：
      | 事实       | 值                     |
      | review_due | 2026-03-20T18:00+08:00 |
    那么该操作被规则“R-GOV-REVIEW-MATERIALS”拒绝
    而且拒绝理由包含“缺少：legal_basis”
    而且被拒绝的操作未改变任何记录
    当“交通局”执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例           |
      | review_due  | 2026-03-06T18:00+08:00 |
    那么议题状态为“合法性审查中”
    而且规则“R-GOV-REVIEW-TIME”未通过
    当“司法局”试图执行“出具合法性审查意见”，数据如下：
      | 事实     | 值     |
      | legality | lawful |
    那么该操作被规则“R-GOV-REVIEW-OPINION”拒绝
    而且拒绝理由包含“缺少：legality_opinion”
    而且被拒绝的操作未改变任何记录
    当“司法局”试图执行“出具合法性审查意见”，数据如下：
      | 事实             | 值             |
      | legality         | exploratory    |
      | legality_opinion | 属于探索性改革 |
    那么该操作被规则“R-GOV-LEGAL-RISK”拒绝
    而且拒绝理由包含“缺少：legal_risk”
    而且被拒绝的操作未改变任何记录
    当“司法局”执行“出具合法性审查意见”，数据如下：
      | 事实             | 值                 |
      | legality         | unlawful           |
      | legality_opinion | 票价超出价格法规定 |
    那么议题状态为“拟订决策草案”
    而且规则“R-GOV-LAWFUL”未通过，说明为“合法性审查结论为 unlawful；须为 lawful, exploratory 之一”
    当“交通局”执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例           |
      | review_due  | 2026-03-20T18:00+08:00 |
    而且“司法局”执行“出具合法性审查意见”，数据如下：
      | 事实             | 值                     |
      | legality         | exploratory            |
      | legality_opinion | 属于探索性改革         |
      | legal_risk       | 票价上限可能被提起诉讼 |
    那么议题状态为“已通过合法性审查”
    而且规则“R-GOV-LAWFUL”通过

  场景: 到会组成人员各发表一次意见，行政首长在充分讨论的基础上作出决定，如实记录多数人意见
    假如“交通局”执行“记录公众参与及意见采纳情况”，数据如下：
      | 事实                  | 值             |
      | participation_summary | 召开座谈会两场 |
    而且“交通局”执行“记录专家论证意见”，数据如下：
      | 事实           | 值               |
      | expert_panel   | 省交通科学研究院 |
      | expert_opinion | 方案可行         |
    而且“交通局”执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例           |
      | review_due  | 2026-03-20T18:00+08:00 |
    而且“司法局”执行“出具合法性审查意见”，数据如下：
      | 事实             | 值     |
      | legality         | lawful |
      | legality_opinion | 合法   |
    而且“交通局”执行“提交决策机关讨论”
    而且“县长”召开会议，4 名成员到会
    当“政府办”试图表态“同意”
    那么该操作被规则“R-GOV-SPEAKER”拒绝
    而且拒绝理由包含“政府办 不属于可参加表决的成员”
    而且被拒绝的操作未改变任何记录
    当“副县长甲”表态“同意”
    而且“副县长甲”试图表态“反对”
    那么该操作被规则“R-GOV-ONE-VIEW”拒绝
    而且拒绝理由包含“副县长甲 已列入已表态”
    而且被拒绝的操作未改变任何记录
    当“副县长乙”表态“同意”
    而且“副县长丙”表态“同意”
    而且“县长”试图执行“行政首长作出决定”，数据如下：
      | 事实          | 值      |
      | decision      | approve |
      | majority_view | agree   |
    那么该操作被规则“R-GOV-HEARD”拒绝
    而且拒绝理由包含“尚缺：县长”
    而且被拒绝的操作未改变任何记录
    当“县长”表态“同意”
    而且“县长”试图执行“行政首长作出决定”，数据如下：
      | 事实     | 值     |
      | decision | revise |
    那么该操作被规则“R-GOV-MINUTES”拒绝
    而且拒绝理由包含“缺少：majority_view”
    而且被拒绝的操作未改变任何记录
    当“县长”执行“行政首长作出决定”，数据如下：
      | 事实             | 值                 |
      | decision         | revise             |
      | majority_view    | agree              |
      | decision_reasons | 夜间线路须再作研究 |
    那么议题状态为“拟订决策草案”
    而且规则“R-GOV-REVISE”通过
    而且规则“R-GOV-APPROVED”未通过，说明为“行政首长的决定为 revise；须为 approve 之一”

  场景: 涉及市场主体、可能影响社会稳定的决策事项须开展风险评估和公平竞争审查，风险可控的方可作出决策
    假如“交通局”以下列事实启动“major_administrative_decision”：
      | 事实        | 值                 |
      | title       | 出租汽车经营权改革 |
      | matter_kind | public_policy      |
      | proposed_by | department         |
      | proposer    | 交通局             |
      | body        | 县政府常务会议     |
    而且“县长”执行“决定启动决策程序并明确承办单位”，数据如下：
      | 事实             | 值           |
      | undertaking_unit | 县交通运输局 |
      | catalogue_entry  | 2026-07      |
      | not_public       | false        |
      | specialised      | false        |
      | risk_relevant    | true         |
      | market_activity  | true         |
    而且“交通局”执行“记录公众参与及意见采纳情况”，数据如下：
      | 事实                  | 值                   |
      | participation_summary | 召开出租车司机听证会 |
    当“交通局”试图执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例           |
      | review_due  | 2026-03-20T18:00+08:00 |
    那么该操作被规则“R-GOV-RISK”拒绝
    而且拒绝理由包含“送请合法性审查前须形成风险评估报告”
    而且被拒绝的操作未改变任何记录
    当“交通局”执行“记录风险评估报告”，数据如下：
      | 事实              | 值                     |
      | risk_assessor     | 县社会稳定风险评估中心 |
      | risk_report       | 司机可能集体停运       |
      | risk_controllable | false                  |
    而且“交通局”执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例           |
      | review_due  | 2026-03-20T18:00+08:00 |
    而且“司法局”执行“出具合法性审查意见”，数据如下：
      | 事实             | 值     |
      | legality         | lawful |
      | legality_opinion | 合法   |
    而且“交通局”试图执行“提交决策机关讨论”
    那么该操作被规则“R-GOV-FAIR-COMPETITION”拒绝
    而且拒绝理由包含“缺少：fair_competition_review”
    而且被拒绝的操作未改变任何记录
    当“交通局”执行“提交决策机关讨论”，数据如下：
      | 事实                    | 值                     |
      | fair_competition_review | 未设置新经营者准入障碍 |
    而且“县长”召开会议，全体成员到会
    而且除“县长”以外的到会成员逐一表态“同意”
    而且“县长”表态“同意”
    而且“县长”试图执行“行政首长作出决定”，数据如下：
      | 事实          | 值      |
      | decision      | approve |
      | majority_view | agree   |
    那么该操作被规则“R-GOV-RISK-CONTROLLABLE”拒绝
    而且拒绝理由包含“风险评估认为风险不可控”
    而且被拒绝的操作未改变任何记录
    而且议题状态仍为“会议集体讨论中”

  场景: 决策经请示报告、公布、执行、中止、评估直至执行完毕，每一步均须载明条例要求的事项
    假如“交通局”执行“记录公众参与及意见采纳情况”，数据如下：
      | 事实                  | 值             |
      | participation_summary | 召开座谈会两场 |
    而且“交通局”执行“记录专家论证意见”，数据如下：
      | 事实           | 值               |
      | expert_panel   | 省交通科学研究院 |
      | expert_opinion | 方案可行         |
    而且“交通局”执行“送请合法性审查”，数据如下：
      | 事实        | 值                     |
      | legal_basis | 道路运输条例           |
      | review_due  | 2026-03-20T18:00+08:00 |
    而且“司法局”执行“出具合法性审查意见”，数据如下：
      | 事实             | 值     |
      | legality         | lawful |
      | legality_opinion | 合法   |
    而且“交通局”执行“提交决策机关讨论”
    而且“县长”召开会议，全体成员到会
    而且除“县长”以外的到会成员逐一表态“同意”
    而且“县长”表态“同意”
    而且“县长”执行“行政首长作出决定”，数据如下：
      | 事实          | 值      |
      | decision      | approve |
      | majority_view | agree   |
    那么议题状态为“已作出决定”
    而且规则“R-GOV-APPROVED”通过
    当“县长”试图执行“向同级党委请示报告”
    那么该操作被规则“R-GOV-PARTY-REPORT”拒绝
    而且拒绝理由包含“缺少：party_report”
    而且被拒绝的操作未改变任何记录
    当“县长”执行“向同级党委请示报告”，数据如下：
      | 事实         | 值               |
      | party_report | 已向县委请示报告 |
    而且“政府办”试图执行“公布决策”，数据如下：
      | 事实               | 值                             |
      | adoption_explained | 采纳公众意见31条及专家论证意见 |
    那么该操作被规则“R-GOV-PUBLISHED”拒绝
    而且拒绝理由包含“缺少：publication”
    而且被拒绝的操作未改变任何记录
    当“政府办”试图执行“公布决策”，数据如下：
      | 事实        | 值                   |
      | publication | 县政府公报、政府网站 |
    那么该操作被规则“R-GOV-INTERPRETATION”拒绝
    而且拒绝理由包含“缺少：adoption_explained”
    而且被拒绝的操作未改变任何记录
    当“政府办”执行“公布决策”，数据如下：
      | 事实               | 值                             |
      | publication        | 县政府公报、政府网站           |
      | adoption_explained | 采纳公众意见31条及专家论证意见 |
    那么议题状态为“已公布”
    当“县长”试图执行“明确决策执行单位”
    那么该操作被规则“R-GOV-EXECUTING-UNIT”拒绝
    而且拒绝理由包含“缺少：executing_unit”
    而且被拒绝的操作未改变任何记录
    当“县长”执行“明确决策执行单位”，数据如下：
      | 事实           | 值           |
      | executing_unit | 县交通运输局 |
    而且“县长”试图执行“执行完毕”
    那么该操作被规则“R-GOV-COMPLETED”拒绝
    而且拒绝理由包含“缺少：execution_summary”
    而且被拒绝的操作未改变任何记录
    当“县长”试图执行“决定中止执行”
    那么该操作被规则“R-GOV-SUSPEND”拒绝
    而且拒绝理由包含“缺少：suspension_reason”
    而且被拒绝的操作未改变任何记录
    当“县长”执行“决定中止执行”，数据如下：
      | 事实              | 值               |
      | suspension_reason | 新建场站遭受水淹 |
    而且“县长”试图执行“依法调整已中止执行的决策”
    那么该操作被规则“R-GOV-ADJUSTMENT-REASON”拒绝
    而且拒绝理由包含“缺少：adjustment_reason”
    而且被拒绝的操作未改变任何记录
    而且议题状态仍为“中止执行”
    当“县长”执行“恢复执行”
    而且“县长”试图执行“组织决策后评估”，数据如下：
      | 事实      | 值             |
      | evaluator | 县发展研究中心 |
    那么该操作被规则“R-GOV-EVALUATION-GROUND”拒绝
    而且拒绝理由包含“缺少：evaluation_ground”
    而且被拒绝的操作未改变任何记录
    当“县长”试图执行“组织决策后评估”，数据如下：
      | 事实              | 值               |
      | evaluation_ground | many_opinions    |
      | evaluator         | 省交通科学研究院 |
    那么该操作被规则“R-GOV-EVALUATOR”拒绝
    而且拒绝理由包含“不能承担决策后评估”
    而且被拒绝的操作未改变任何记录
    当“县长”执行“组织决策后评估”，数据如下：
      | 事实              | 值             |
      | evaluation_ground | many_opinions  |
      | evaluator         | 县发展研究中心 |
    而且“县长”试图执行“作出评估结论”，数据如下：
      | 事实       | 值   |
      | evaluation | keep |
    那么该操作被规则“R-GOV-EVALUATION”拒绝
    而且拒绝理由包含“缺少：evaluation_finding”
    而且被拒绝的操作未改变任何记录
    当“县长”执行“作出评估结论”，数据如下：
      | 事实               | 值                       |
      | evaluation         | keep                     |
      | evaluation_finding | 客流上升，群众意见已听取 |
    那么议题状态为“执行中”
    而且规则“R-GOV-ADJUST”未通过，说明为“评估结论为 keep；须为 adjust 之一”
    当“县长”执行“执行完毕”，数据如下：
      | 事实              | 值                   |
      | execution_summary | 10月底前恢复14条线路 |
    那么议题状态为“已执行完毕”
