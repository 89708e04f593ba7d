using System.Globalization;
using Tracker.Domain;

namespace Tracker.Web.Infrastructure.Web;

/// <summary>
/// What a page says for each refusal code (<see cref="ErrorCodes"/>), in its language: the one place where the codes
/// of the rules and the use cases become words for people. The API sends the code with its English problem document.
/// A message may name figures ({0}, {1}…), filled from the refusal's own.
/// </summary>
public static class ErrorMessages
{
    private static readonly Dictionary<string, (string Zh, string En)> Messages = new()
    {
        [ErrorCodes.StatusTransition] = ("该事项当前状态不能转为所选状态。", "The item cannot change to that status from its current one."),
        [ErrorCodes.Publish] = ("只有民生实事和代表票决的事项可以向社会公开。", "Only livelihood items and items the deputies voted are published to the public."),
        [ErrorCodes.NoProgress] = ("该事项已完成、暂停或取消，不能再报送进展。", "Progress cannot be reported on an item that is completed, suspended or cancelled."),
        [ErrorCodes.Phase] = ("所选阶段不适用于此类事项。", "That phase is not one of this kind of item."),
        [ErrorCodes.Target] = ("指标不属于该事项。", "A target does not belong to this item."),
        [ErrorCodes.Milestone] = ("节点不属于该事项。", "A milestone does not belong to this item."),
        [ErrorCodes.ReportedTarget] = ("已有进展报送的指标不能删除。", "A target that progress has been reported against cannot be removed."),
        [ErrorCodes.NoticeOpen] = ("该事项已有未办结的督办单，请先办结再另行督办。", "The item has an open supervision notice already; close it before raising another."),
        [ErrorCodes.NoticeState] = ("督办单当前状态不允许此操作，请刷新后重试。", "The notice's state does not allow this; reload it and try again."),
        [ErrorCodes.FollowUpAnswered] = ("该跟踪事项已答复。", "The request was answered already."),
        [ErrorCodes.Rated] = ("您已测评过该事项，每位代表只能测评一次。", "You have rated this item already; each deputy rates it once."),
        [ErrorCodes.Voted] = ("您已在本次会议投过票，每位代表只能投一次。", "You have voted in this session already; each deputy votes once."),
        [ErrorCodes.Ballot] = ("选票有误，请检查所选候选项目。", "The ballot is not valid; check the candidates chosen."),
        [ErrorCodes.BallotTooMany] = ("最多只能选择 {0} 项，请减少选择。", "Choose at most {0}; please choose fewer."),
        [ErrorCodes.VotingOpen] = ("投票尚未结束。", "Voting has not closed yet."),
        [ErrorCodes.VotingClosed] = ("不在投票时间内。", "Voting is not open."),
        [ErrorCodes.Adopted] = ("本次会议的票决结果已经确定。", "The session's result was adopted already."),
        [ErrorCodes.TieBreak] = ("只能从票数并列的候选项目中确定，且总数不能超过应选数。", "Only candidates tied at the cut-off may be named, up to the number to choose."),
        [ErrorCodes.ProposalScope] = ("建议只能并入本地区、本年度的候选项目。", "A proposal joins a candidate of its own jurisdiction and year."),
        [ErrorCodes.ProposalState] = ("该建议已经处理。", "The proposal was screened already."),
        [ErrorCodes.PlanNotFixed] = ("事项尚未启动，牵头部门可直接修改计划，无需申请。", "While the item is planned and unpublished, its lead department edits the plan directly."),
        [ErrorCodes.PlanClosed] = ("已完成或已取消的事项不再调整计划。", "A completed or cancelled item's plan is not changed."),
        [ErrorCodes.PlanUnchanged] = ("申请内容与现行计划相同，没有需要调整的内容。", "The request changes nothing in the plan."),
        [ErrorCodes.ChangeDecided] = ("该申请已经审批。", "This change request was decided already."),
        [ErrorCodes.ChangePending] = ("该事项已有待审批的调整申请，审批后才能再次申请。", "A change request on this item awaits a decision already."),
        [ErrorCodes.PlanFixed] = ("事项已启动、已报送进展或已公开，截止日期、目标和节点须经调整申请并由督查部门批准后才能变更。", "The item has started, been reported on or been published: its dates, targets and milestones change only through an approved change request."),
        [ErrorCodes.MilestoneByReport] = ("节点完成须通过进展报送确认，不能直接修改。", "A milestone is marked achieved by a progress report, not by editing the item."),
        [ErrorCodes.BulletinWithdrawn] = ("该通报已撤回。", "The bulletin is already withdrawn."),
        [ErrorCodes.DispatchState] = ("该调度已截止或已取消。", "The dispatch round has closed or was called off."),
        [ErrorCodes.ItemCode] = ("本辖区本年度已有同一编号的事项。", "The code is already used by another item of this jurisdiction and year."),
        [ErrorCodes.ProgrammeCode] = ("本年度已有同一编号的专项清单。", "The jurisdiction already has a programme of that code this year."),
        [ErrorCodes.LedgerState] = ("该问题当前状态下不能进行这一步。", "The row cannot take this step in its current state."),
        [ErrorCodes.LedgerNote] = ("请说明整改情况或退回理由。", "Say what was done, or why the row is returned."),
        [ErrorCodes.LedgerDeadline] = ("限期整改须填写整改时限，且不能早于发现日期。", "A row by deadline needs a deadline, not before the day it was found."),
        [ErrorCodes.LedgerNumber] = ("序号重复。", "The number is given twice."),
        [ErrorCodes.TargetByLedger] = ("该目标按台账自动统计，不能在进展中填报。", "This target counts the ledger's rows; a report does not set it."),
        [ErrorCodes.NoticeReasonRequired] = ("请填写督办事由。", "Give the reason for the notice."),
        [ErrorCodes.NoticeAnswerDueInPast] = ("答复期限不能早于今天。", "The answer date cannot be in the past."),
        [ErrorCodes.ReturnWithoutReason] = ("退回整改方案时请说明理由。", "Say why the plan goes back."),
        [ErrorCodes.TooManyFiles] = ("每次最多上传 {0} 个文件。", "At most {0} files at a time."),
        [ErrorCodes.FileTooLarge] = ("“{0}”有 {1:N0} 字节，每个文件最多 {2:N0} 字节。", "'{0}' is {1:N0} bytes; a file may have at most {2:N0}."),
        [ErrorCodes.FileType] = ("“{0}”不是可接受的文件（{1}）。", "'{0}' is not one of: {1}."),
        [ErrorCodes.PasswordWeak] = ("密码至少 10 位，须含大写字母、小写字母、数字和符号。", "A password has at least 10 characters, with upper- and lower-case letters, a digit and a symbol."),
        [ErrorCodes.EmailTaken] = ("该邮箱已有账户。", "An account with that email exists already."),
        [ErrorCodes.LockSelf] = ("不能锁定自己的账户。", "Admins do not lock themselves out."),
        [ErrorCodes.PhoneFormat] = ("电话只能包含数字、空格和 + - ( )。", "A phone number holds digits, spaces and + - ( ) only."),
        [ErrorCodes.UserDepartment] = ("部门工作人员须选择所属部门。", "An official belongs to a department."),
        [ErrorCodes.UserJurisdiction] = ("代表和督查人员须选择所属辖区。", "Deputies and supervisors belong to a jurisdiction."),
        [ErrorCodes.NoSuchUnit] = ("所选单位不存在。", "No such unit."),
        [ErrorCodes.CodeFormat] = ("编号只能包含字母、数字和 . _ -，并以字母或数字开头。", "A code holds letters, digits, '.', '_' and '-', starting with a letter or digit."),
        [ErrorCodes.UnitCode] = ("该编号已被使用。", "That code is used already."),
        [ErrorCodes.ResetLinkInvalid] = ("该链接已失效（已使用或已过期），请向管理员索取新的链接。", "This link no longer works (it was used or has expired); ask an admin for a new one."),
        [ErrorCodes.CalendarFile] = ("无法读取文件：应为与 seed/holidays.json 相同格式的 JSON，或含“日期、类型、名称”列的表格。", "The file is not readable: send JSON shaped like seed/holidays.json, or a sheet with the columns 日期, 类型, 名称."),
        [ErrorCodes.CalendarEmpty] = ("没有任何日期：空的导入会清空该年度。", "No day given: an empty import would wipe the year."),
        [ErrorCodes.CalendarYear] = ("日期不在 {0} 年内。", "The day is not in {0}."),
        [ErrorCodes.CalendarYearRange] = ("年度应在 2000 至 2100 之间。", "The year is between 2000 and 2100."),
        [ErrorCodes.CalendarDate] = ("“{0}”不是日期，应写作 2027-01-01。", "'{0}' is not a date like 2027-01-01."),
        [ErrorCodes.CalendarDuplicate] = ("该日期已在第 {0} 行出现。", "The day is given on line {0} already."),
        [ErrorCodes.CalendarKind] = ("“{0}”不是有效类型，应为 Holiday（放假）或 Workday（上班）。", "'{0}' is neither Holiday (放假) nor Workday (上班)."),
        [ErrorCodes.CalendarWorkday] = ("调休上班日只能是周六或周日。", "Only a Saturday or Sunday is made a working day."),
        [ErrorCodes.CalendarName] = ("请填写节日名称（不超过 50 字）。", "Name the festival, in at most 50 characters."),
        [ErrorCodes.Stale] = ("该事项已被他人修改，请刷新后重新操作。", "The item was changed by someone else; reload it and apply your change again."),
        [ErrorCodes.DateRange] = ("结束日期不能早于开始日期。", "The end date cannot come before the start date."),
        [ErrorCodes.SavedFilterQuery] = ("只能保存本页的筛选条件。", "Only this page's filters can be saved."),
        [ErrorCodes.SavedFilterLimit] = ("每人最多保存 {0} 个筛选，请先删除不用的。", "At most {0} saved filters each; delete one you no longer use first."),
        [ErrorCodes.SavedFilterName] = ("已有同名的筛选。", "A saved filter already has that name."),
        [ErrorCodes.DeliverySent] = ("该通知已发送，无需重发。", "The delivery was sent already; it is not sent twice."),
    };

    /// <summary>The message for <paramref name="code"/> in the current UI language, or null for a code without one.</summary>
    public static string? For(string? code, IReadOnlyList<object>? args = null)
    {
        if (code is null || !Messages.TryGetValue(code, out var message))
            return null;
        var culture = CultureInfo.CurrentUICulture;
        var text = culture.TwoLetterISOLanguageName == "zh" ? message.Zh : message.En;
        return args is { Count: > 0 } ? string.Format(culture, text, [.. args]) : text;
    }

    /// <summary>Every code has its words in both languages (checked by a test).</summary>
    public static IReadOnlyCollection<string> Codes => Messages.Keys;
}
