namespace Tracker.Domain;

/// <summary>
/// The codes of the refusals a rule or a use case gives (<see cref="DomainException.Code"/>, and FluentValidation's
/// error codes for the checks that pages show in their own words). The API sends the code with its English problem
/// document; pages look the code up in their language.
/// </summary>
public static class ErrorCodes
{
    public const string StatusTransition = "status-transition";
    public const string Publish = "publish";
    public const string NoProgress = "no-progress";
    public const string Phase = "phase";
    public const string Target = "target";
    public const string Milestone = "milestone";
    public const string ReportedTarget = "reported-target";
    public const string NoticeOpen = "notice-open";
    public const string NoticeState = "notice-state";
    public const string FollowUpAnswered = "follow-up-answered";
    public const string Rated = "rated";
    public const string Voted = "voted";
    public const string Ballot = "ballot";
    public const string BallotTooMany = "ballot-too-many";
    public const string VotingOpen = "voting-open";
    public const string VotingClosed = "voting-closed";
    public const string TieBreak = "tie-break";
    public const string Adopted = "adopted";
    public const string ProposalScope = "proposal-scope";
    public const string ProposalState = "proposal-state";
    public const string PlanNotFixed = "plan-not-fixed";
    public const string PlanClosed = "plan-closed";
    public const string PlanUnchanged = "plan-unchanged";
    public const string ChangeDecided = "change-decided";
    public const string ChangePending = "change-pending";
    public const string PlanFixed = "plan-fixed";
    public const string MilestoneByReport = "milestone-by-report";
    public const string LedgerState = "ledger-state";
    public const string LedgerNote = "ledger-note";
    public const string LedgerDeadline = "ledger-deadline";
    public const string LedgerNumber = "ledger-number";
    public const string TargetByLedger = "target-by-ledger";

    // Field checks that pages say in their own words.
    public const string NoticeReasonRequired = "notice-reason-required";
    public const string NoticeAnswerDueInPast = "notice-answer-due-in-past";
    public const string ReturnWithoutReason = "return-without-reason";
    public const string TooManyFiles = "too-many-files";
    public const string FileTooLarge = "file-too-large";
    public const string FileType = "file-type";
    public const string Stale = "stale";
    public const string BulletinWithdrawn = "bulletin-withdrawn";
    public const string DispatchState = "dispatch-state";
    public const string ProgrammeCode = "programme-code";
    public const string ItemCode = "item-code";

    // Administration: users, the directory, the holiday calendar, a reset link.
    public const string PasswordWeak = "password-weak";
    public const string EmailTaken = "email-taken";
    public const string LockSelf = "lock-self";
    public const string PhoneFormat = "phone-format";
    public const string UserDepartment = "user-department";
    public const string UserJurisdiction = "user-jurisdiction";
    public const string NoSuchUnit = "no-such-unit";
    public const string CodeFormat = "code-format";
    public const string UnitCode = "unit-code";
    public const string ResetLinkInvalid = "reset-link-invalid";
    public const string CalendarFile = "calendar-file";
    public const string CalendarEmpty = "calendar-empty";
    public const string CalendarYear = "calendar-year";
    public const string CalendarYearRange = "calendar-year-range";
    public const string CalendarDate = "calendar-date";
    public const string CalendarDuplicate = "calendar-duplicate";
    public const string CalendarKind = "calendar-kind";
    public const string CalendarWorkday = "calendar-workday";
    public const string CalendarName = "calendar-name";

    public const string DateRange = "date-range";
    public const string SavedFilterQuery = "saved-filter-query";
    public const string SavedFilterLimit = "saved-filter-limit";
    public const string SavedFilterName = "saved-filter-name";
    public const string DeliverySent = "delivery-sent";
}
