using System.Globalization;
using System.Reflection;
using FluentValidation;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>
/// What the shared validators and checks say on a page, in the page's language: the names they give the fields
/// (a Chinese page says '进展情况' 不能为空 rather than 'Narrative' 不能为空); their own messages are said by code
/// (<see cref="ErrorMessages"/>). The API keeps FluentValidation's names, which match its field keys, and English.
/// </summary>
public static class PageLanguage
{
    // Set for the rest of a page request (validators are scoped, so their rules are built within it).
    private static readonly AsyncLocal<bool> OnPage = new();

    private static readonly Dictionary<string, (string Zh, string En)> Names = new()
    {
        ["Narrative"] = ("进展情况", "Progress"),
        ["Problems"] = ("存在问题", "Problems"),
        ["NextSteps"] = ("下一步计划", "Next steps"),
        ["Phase"] = ("阶段", "Phase"),
        ["Value"] = ("数值", "Value"),
        ["Values"] = ("各项指标", "Figures"),
        ["TargetId"] = ("指标", "Target"),
        ["Text"] = ("内容", "Text"),
        ["Comment"] = ("意见", "Comment"),
        ["Reason"] = ("事由", "Reason"),
        ["AnswerDue"] = ("答复期限", "Answer by"),
        ["DueOn"] = ("答复期限", "Answer by"),
        ["Request"] = ("跟踪事项", "Request"),
        ["Findings"] = ("视察发现", "Findings"),
        ["Kind"] = ("类别", "Kind"),
        ["On"] = ("日期", "Date"),
        ["Rating"] = ("评价", "Rating"),
        ["Choices"] = ("选择", "Choices"),
        ["Choice"] = ("选择", "Choice"),
        ["Deadline"] = ("截止日期", "Deadline"),
        ["PlannedStart"] = ("计划开始日期", "Planned start"),
        ["Target"] = ("目标值", "Target"),
        ["Targets"] = ("目标", "Targets"),
        ["Milestones"] = ("节点", "Milestones"),
        ["Name"] = ("名称", "Name"),
    };

    private static int _installed;

    /// <summary>Sets FluentValidation's (process-wide) display-name resolver, once however many hosts start.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
            return;
        var fallback = ValidatorOptions.Global.DisplayNameResolver;
        ValidatorOptions.Global.DisplayNameResolver = (type, member, expression) =>
            Resolve(member, CultureInfo.CurrentUICulture) ?? fallback(type, member, expression);
    }

    /// <summary>Marks the rest of the request as a page's.</summary>
    public static IApplicationBuilder UsePageLanguage(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        OnPage.Value = true;
        return next(context);
    });

    internal static string? Resolve(MemberInfo? member, CultureInfo culture)
    {
        if (!OnPage.Value || member is null || !Names.TryGetValue(member.Name, out var name))
            return null;
        return culture.TwoLetterISOLanguageName == "zh" ? name.Zh : name.En;
    }
}
