using Tracker.Domain;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>Marker for the strings every page shares (Resources/Infrastructure/Web/SharedResource.en.resx).</summary>
public sealed class SharedResource;

/// <summary>
/// The Chinese name of each value the pages show. Chinese is the default language, so the Chinese text is
/// the key; the English comes from SharedResource.en.resx.
/// </summary>
public static class Labels
{
    public static string Of(HealthColour c) => c switch
    {
        HealthColour.Green => "正常",
        HealthColour.Amber => "滞后",
        HealthColour.Red => "严重滞后",
        _ => "未启动或已结束",
    };

    public static string Of(InitiativeKind k) => k switch
    {
        InitiativeKind.Livelihood => "民生实事",
        InitiativeKind.KeyProject => "重点项目",
        InitiativeKind.Renovation => "老旧小区改造",
        InitiativeKind.CivilizedCity => "创城任务",
        _ => "安全整改",
    };

    public static string Of(DispatchStatus s) => s switch
    {
        DispatchStatus.Scheduled => "待开始",
        DispatchStatus.Open => "进行中",
        DispatchStatus.Closed => "已截止",
        _ => "已取消",
    };

    public static string Of(DispatchAnswer a) => a switch
    {
        DispatchAnswer.OnTime => "按时报送",
        DispatchAnswer.Late => "补报",
        DispatchAnswer.Waiting => "未报",
        _ => "逾期未报",
    };

    public static string Of(InitiativeStatus s) => s switch
    {
        InitiativeStatus.Planned => "未开工",
        InitiativeStatus.InProgress => "推进中",
        InitiativeStatus.Completed => "已完成",
        InitiativeStatus.Suspended => "暂停",
        _ => "已取消",
    };

    public static string Of(Phase p) => p switch
    {
        Phase.Preparation => "前期准备",
        Phase.Started => "已开工",
        Phase.MainStructureDone => "主体完工",
        Phase.Completed => "竣工",
        Phase.InOperation => "投入使用",
        Phase.Identified => "问题发现",
        Phase.Assigned => "已交办",
        Phase.Rectifying => "整改中",
        Phase.Rectified => "已整改",
        _ => "已验收",
    };

    public static string Of(ReminderReason r) => r switch
    {
        ReminderReason.DueSoon => "即将到期",
        ReminderReason.Overdue => "逾期",
        ReminderReason.MilestoneOverdue => "节点逾期",
        ReminderReason.Silent => "未按时报送",
        _ => "进度滞后",
    };

    public static string Of(NoticeStatus s) => s switch
    {
        NoticeStatus.Raised => "待答复",
        NoticeStatus.Answered => "已答复",
        NoticeStatus.Returned => "退回重报",
        NoticeStatus.Accepted => "方案已认可",
        _ => "已办结",
    };

    public static string Of(ProposalStatus s) => s switch
    {
        ProposalStatus.Submitted => "待筛选",
        ProposalStatus.Candidate => "已纳入候选",
        _ => "不予采纳",
    };

    public static string Of(ProposerKind k) => k switch
    {
        ProposerKind.Public => "群众",
        ProposerKind.Deputy => "人大代表",
        _ => "部门",
    };

    public static string Of(BallotMode m) => m switch
    {
        BallotMode.ForAgainstAbstain => "逐项表决（赞成、反对、弃权）",
        _ => "限额选择（最多选定应选项数）",
    };

    public static string Of(PassRule r) => r switch
    {
        PassRule.MajorityOfDeputies => "赞成票超过全体代表的半数",
        _ => "赞成票超过所投票数的半数",
    };

    public static string Of(VoteChoice c) => c switch
    {
        VoteChoice.For => "赞成",
        VoteChoice.Against => "反对",
        _ => "弃权",
    };

    public static string Of(InspectionKind k) => k switch
    {
        InspectionKind.SiteVisit => "实地视察",
        InspectionKind.Research => "调研",
        InspectionKind.SpecialReport => "听取专项报告",
        _ => "询问",
    };

    public static string Of(Rating r) => r switch
    {
        Rating.Satisfied => "满意",
        Rating.BasicallySatisfied => "基本满意",
        _ => "不满意",
    };

    public static string Of(ReportingInterval i) => i switch
    {
        ReportingInterval.Daily => "每日",
        ReportingInterval.Weekly => "每周",
        _ => "每月",
    };

    /// <summary>An amount in yuan as the offices write it, in 亿元 (hundred millions) to two places: 31,200,000,000 is 312.</summary>
    public static string Yi(decimal yuan) => (yuan / 100_000_000m).ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An amount in yuan in 万元 (ten thousands) to two places, as budgets and costs are asked and shown: 3,000,000 is 300.</summary>
    public static string Wan(decimal yuan) => (yuan / 10_000m).ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture);

    public static string Of(KeyProjectLevel l) => l switch
    {
        KeyProjectLevel.National => "国家重点",
        KeyProjectLevel.Provincial => "省重点",
        KeyProjectLevel.Municipal => "市重点",
        _ => "县重点",
    };

    public static string Of(ConstructionType c) => c switch
    {
        ConstructionType.NewStart => "新开工",
        ConstructionType.Continued => "续建",
        ConstructionType.CompletingProduction => "竣工投产",
        ConstructionType.Reserve => "储备",
        _ => "签约",
    };

    /// <summary>A share (0–1) as a whole percent, floored: 100% only when done (996 of 1,000 is 99%).</summary>
    public static int Percent(decimal share) => (int)Math.Floor(Math.Clamp(share, 0, 1) * 100);

    /// <summary>An instant as the pages show it: to the minute, on the office's wall clock.</summary>
    public static string When(this OfficeClock clock, DateTimeOffset at) => clock.Local(at).ToString("yyyy-MM-dd HH:mm");

    /// <summary>The CSS class of a health colour.</summary>
    public static string Css(HealthColour c) => c.ToString().ToLowerInvariant();
}

/// <summary>One target's progress bar: what is measured, how far along, against what.</summary>
public sealed record TargetBar(string Metric, string Unit, decimal Target, decimal? Current, decimal Completion)
{
    public static TargetBar From(Features.Initiatives.TargetDto t) => new(t.Metric, t.Unit, t.Target, t.CurrentValue, t.Completion);
    public static TargetBar From(Features.Public.PublicTarget t) => new(t.Metric, t.Unit, t.Target, t.CurrentValue, t.Completion);
}

/// <summary>The previous/next links of a paged list (<c>Features/Shared/_Pager.cshtml</c>).</summary>
/// <param name="Label">The navigation's accessible name.</param>
/// <param name="Page">The page shown, from 1.</param>
/// <param name="HasMore">Whether a next page follows.</param>
/// <param name="Url">The address of a page of the list, by its number.</param>
public sealed record Pager(string Label, int Page, bool HasMore, Func<int, string> Url)
{
    /// <summary>Show "第 N 页" between the links.</summary>
    public bool ShowPage { get; init; }

    /// <summary>The links' text, when not 上一页 / 下一页.</summary>
    public string? Previous { get; init; }
    public string? Next { get; init; }

    /// <summary>Further CSS classes of the navigation (e.g. <c>no-print</c>).</summary>
    public string? Class { get; init; }
}
