using Tracker.Domain;
using Tracker.Web.Features.Supervision;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Bulletins;

/// <summary>A bulletin's tables as a workbook, one sheet each, Chinese headers, percentages and counts as numbers.</summary>
public static class BulletinSheets
{
    private static readonly SheetColumn[] Kinds =
        [new("类别", []), new("事项", []), new("严重滞后", []), new("滞后", []), new("正常", []), new("逾期", []), new("未按时报送", []), new("已完成", [])];

    private static readonly SheetColumn[] Items = [new("编号", []), new("事项", []), new("责任单位", []), new("逾期天数", [])];

    private static readonly SheetColumn[] Ranking =
        [new("排名", []), new("变化", []), new("责任单位", []), new("按期完成率（%）", []), new("平均进度（%）", []), new("严重滞后", []), new("延期次数", [])];

    private static readonly SheetColumn[] Negative = [new("责任单位", []), new("行政区划", []), new("编号", []), new("事项", []), new("原因", []), new("逾期天数", [])];

    private static readonly SheetColumn[] Rounds =
        [new("调度", []), new("截止时间", []), new("责任单位", []), new("应报", []), new("按时报送", []), new("补报", []), new("未报", []), new("完成率（%）", [])];

    public static byte[] Of(BulletinDetail bulletin, OfficeClock clock)
    {
        var c = bulletin.Content;
        static IEnumerable<object?[]> Lines(IEnumerable<BulletinItem> items) => items.Select(i => new object?[] { i.Code, i.Title, i.Department, i.DaysOverdue });
        return Sheets.Workbook(
        [
            ("总体情况", Kinds, c.ByKind.Select(k => new object?[] { Labels.Of(k.Kind), k.Items, k.Red, k.Amber, k.Green, k.Overdue, k.Silent, k.Completed })),
            ("新增逾期", Items, Lines(c.NewlyOverdue)),
            ("新增严重滞后", Items, Lines(c.NewlyRed)),
            ("未按时报送", Items, Lines(c.Silent)),
            ("本期完成", Items, Lines(c.Completed)),
            ("调度完成情况", Rounds, c.RoundLines.Select(r => new object?[]
            {
                r.Round, clock.When(r.DueAt), r.Department, r.Items, r.OnTime, r.Late,
                r.Tally.Unanswered, r.Tally.CompletionRate is { } rate ? Labels.Percent(rate) : null,
            })),
            ("部门排名", Ranking, c.Ranking.Select(r => new object?[]
            {
                r.Rank, BulletinRules.RankChangeText(r.Change), r.Department, r.OnTimeRate is { } rate ? Labels.Percent(rate) : null, Labels.Percent(r.AverageProgress), r.Red, r.Extensions,
            })),
            ("负面清单", Negative, c.NegativeList.SelectMany(d => d.Items.Select(i => new object?[]
            {
                d.Name, d.Jurisdiction, i.Code, i.Title, string.Join("；", i.Reasons.Select(NegativeReasons.Text)), i.DaysOverdue,
            }))),
        ]);
    }
}
