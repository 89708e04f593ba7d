using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Features.Reminders;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>
/// One case's world: a fresh city, county and township with a department each, and the people of that county.
/// Row n of whatever grows carries the marker <see cref="Marker"/>(n) in what the answers show of it (an item's code and
/// title, a department's or jurisdiction's name, a notice's reason, a report's narrative…), so that a case can tell
/// which rows an answer shows. Rows are inserted straight into the database, many at a time.
/// </summary>
public sealed class QueryCountWorld(QueryCountApp app, Place place, string tag)
{
    /// <summary>The fake clock's day and time (it is not moved here).</summary>
    private static readonly DateOnly Today = new(2026, 6, 15);
    private static readonly DateTimeOffset Now = TrackerApp.Start;

    private TrackerUser? _official;
    private TrackerUser? _supervisor;
    private TrackerUser? _deputy;

    public Place Place => place;

    public static async Task<QueryCountWorld> NewAsync(QueryCountApp app) => new(app, await app.NewPlaceAsync(), Guid.NewGuid().ToString("N")[..6]);

    public string Marker(int n) => $"Q{tag}-{n:D3}";

    /// <summary>What every marker of this world contains, and nothing else does.</summary>
    public string Tag => $"Q{tag}-";

    public IReadOnlyList<string> Markers(int from, int to) => [.. Enumerable.Range(from, to - from).Select(Marker)];

    public async Task<TrackerUser> OfficialAsync() => _official ??= await app.NewUserAsync([Roles.Official], departmentId: place.CountyDepartmentId);
    public async Task<TrackerUser> SupervisorAsync() => _supervisor ??= await app.NewUserAsync([Roles.Supervisor], jurisdictionId: place.CountyId);
    public async Task<TrackerUser> DeputyAsync() => _deputy ??= await app.NewUserAsync([Roles.Deputy], jurisdictionId: place.CountyId);

    /// <summary>A published livelihood item of the county, led by its department, 14 days overdue (so red, and on the board).</summary>
    private Initiative Item(string marker, int? departmentId = null, int? jurisdictionId = null)
    {
        var item = new Initiative
        {
            Code = marker,
            Title = $"老旧小区改造 {marker}",
            Description = "Renovate old residential communities.",
            Year = 2026,
            Kind = InitiativeKind.Livelihood,
            JurisdictionId = jurisdictionId ?? place.CountyId,
            LeadDepartmentId = departmentId ?? place.CountyDepartmentId,
            LeaderInCharge = new Contact { Name = "王副市长", Title = "副市长" },
            ResponsiblePerson = new Contact { Name = "李科长", Title = "科长" },
            Budget = 1_000_000m,
            PlannedStart = new DateOnly(2026, 1, 1),
            Deadline = new DateOnly(2026, 6, 1),
            ReportingInterval = ReportingInterval.Weekly,
            Status = InitiativeStatus.Planned,
            Phase = Phases.First(InitiativeKind.Livelihood),
            Targets = [new Target { Metric = "改造小区", Unit = "个", Baseline = 0, TargetValue = 10 }],
            Milestones = [new Milestone { Name = "完成设计", PlannedOn = new DateOnly(2026, 4, 1) }],
            CreatedAt = Now,
            UpdatedAt = Now,
        };
        item.Refresh();
        item.Publish(true);
        return item;
    }

    private static Attachment Photo() => new()
    {
        Id = Guid.NewGuid(),
        FileName = "site.png",
        ContentType = "image/png",
        Size = 8,
        Sha256 = new string('0', 64),
    };

    /// <summary>An item that is not one of the rows counted (its marker is outside them).</summary>
    public async Task<Initiative> OneItemAsync()
    {
        var item = Item($"Q{tag}-item");
        await app.InsertAsync([item]);
        return item;
    }

    public async Task<List<Initiative>> InsertItemsAsync(int from, int to, Func<string, Initiative>? make = null)
    {
        var items = Markers(from, to).Select(m => make?.Invoke(m) ?? Item(m)).ToList();
        await app.InsertAsync(items);
        return items;
    }

    public Task ItemsAsync(int from, int to) => InsertItemsAsync(from, to);

    /// <summary>Overdue items, each with an open reminder and an open supervision notice, as the board shows them.</summary>
    public async Task FlaggedItemsAsync(int from, int to)
    {
        var items = await InsertItemsAsync(from, to);
        await app.InsertAsync(items.SelectMany(i => new object[]
        {
            new Reminder { InitiativeId = i.Id, Reason = ReminderReason.Overdue, Level = 2, Period = Today, Days = 14, Status = ReminderStatus.Open, CreatedAt = Now },
            SupervisionNotice.Raise(i.Id, i.LeadDepartmentId, $"逾期 {i.Code}", Today, Today.AddDays(5), Now),
        }));
    }

    /// <summary>Departments of the county, each leading one overdue item.</summary>
    public async Task DepartmentsAsync(int from, int to)
    {
        var departments = Markers(from, to).Select(m => new Department { Code = m, Name = m, JurisdictionId = place.CountyId }).ToList();
        await app.InsertAsync(departments);
        await app.InsertAsync(departments.Select(d => Item(d.Name, departmentId: d.Id)));
    }

    /// <summary>An open dispatch round of the county that asks nothing yet.</summary>
    public async Task<Features.Dispatch.DispatchRound> RoundAsync()
    {
        var round = Round("周调度");
        await app.InsertAsync([round]);
        return round;
    }

    /// <summary>Departments of the county, each leading one item that the round asks.</summary>
    public async Task DispatchedDepartmentsAsync(Features.Dispatch.DispatchRound round, int from, int to)
    {
        var departments = Markers(from, to).Select(m => new Department { Code = m, Name = m, JurisdictionId = place.CountyId }).ToList();
        await app.InsertAsync(departments);
        var items = departments.Select(d => Item(d.Name, departmentId: d.Id)).ToList();
        await app.InsertAsync(items);
        await app.InsertAsync(items.Select(i => new Features.Dispatch.DispatchItem { RoundId = round.Id, InitiativeId = i.Id, DepartmentId = i.LeadDepartmentId }));
        await app.InsertAsync(items.Select(i => new Features.Dispatch.DispatchCount { RoundId = round.Id, DepartmentId = i.LeadDepartmentId, Items = 1 }));
    }

    /// <summary>Open rounds of the county, each asking one item of the county's department.</summary>
    public async Task RoundsAsync(int from, int to)
    {
        var items = await InsertItemsAsync(from, to);
        var rounds = Markers(from, to).Select(Round).ToList();
        await app.InsertAsync(rounds);
        await app.InsertAsync(rounds.Zip(items, (r, i) => new Features.Dispatch.DispatchItem { RoundId = r.Id, InitiativeId = i.Id, DepartmentId = i.LeadDepartmentId }));
        await app.InsertAsync(rounds.Zip(items, (r, i) => new Features.Dispatch.DispatchCount { RoundId = r.Id, DepartmentId = i.LeadDepartmentId, Items = 1 }));
    }

    /// <summary>A programme of the county that holds nothing yet.</summary>
    public async Task<Features.Programmes.Programme> ProgrammeAsync()
    {
        var programme = new Features.Programmes.Programme { JurisdictionId = place.CountyId, Year = 2026, Code = Tag, Name = "重点项目", CreatedBy = "supervisor", CreatedAt = Now };
        await app.InsertAsync([programme]);
        return programme;
    }

    /// <summary>Items of the county in the programme.</summary>
    public async Task ProgrammeItemsAsync(Features.Programmes.Programme programme, int from, int to)
    {
        var items = await InsertItemsAsync(from, to);
        await app.InsertAsync(items.Select(i => new Features.Programmes.ProgrammeItem { ProgrammeId = programme.Id, InitiativeId = i.Id }));
    }

    private Features.Dispatch.DispatchRound Round(string title) => new()
    {
        JurisdictionId = place.CountyId,
        Title = title,
        Status = DispatchStatus.Open,
        OpensAt = Now,
        OpenedAt = Now,
        DueAt = Now.AddDays(4),
        CreatedBy = "supervisor",
        CreatedAt = Now,
    };

    /// <summary>Townships below the county, each with one overdue item.</summary>
    public async Task SubJurisdictionsAsync(int from, int to)
    {
        var countyPath = await app.PathOfAsync(place.CountyId);
        await using (var db = app.Db())
        {
            var children = Markers(from, to).Select(m => new Jurisdiction { Code = m, Name = m, Level = JurisdictionLevel.Township, ParentId = place.CountyId }).ToList();
            db.Jurisdictions.AddRange(children);
            await db.SaveChangesAsync();
            foreach (var child in children)
                child.Path = Jurisdiction.PathOf(countyPath, child.Id);
            db.Initiatives.AddRange(children.Select(c => Item(c.Name, jurisdictionId: c.Id)));
            await db.SaveChangesAsync();
        }
    }

    /// <summary>People of the county, half officials of its department and half deputies, each with a role row.</summary>
    public async Task UsersAsync(int from, int to)
    {
        await using var db = app.Db();
        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id);
        var users = Markers(from, to).Select((m, i) => new TrackerUser
        {
            UserName = $"{m}@test.local",
            NormalizedUserName = $"{m}@TEST.LOCAL".ToUpperInvariant(),
            Email = $"{m}@test.local",
            NormalizedEmail = $"{m}@TEST.LOCAL".ToUpperInvariant(),
            DisplayName = m,
            SecurityStamp = Guid.NewGuid().ToString(),
            DepartmentId = i % 2 == 0 ? place.CountyDepartmentId : null,
            JurisdictionId = i % 2 == 0 ? null : place.CountyId,
        }).ToList();
        db.Users.AddRange(users);
        db.UserRoles.AddRange(users.Select((u, i) => new Microsoft.AspNetCore.Identity.IdentityUserRole<string> { UserId = u.Id, RoleId = roles[i % 2 == 0 ? Roles.Official : Roles.Deputy] }));
        await db.SaveChangesAsync();
    }

    /// <summary>Townships below the county, each with a department of its own.</summary>
    public async Task JurisdictionsWithDepartmentsAsync(int from, int to)
    {
        var countyPath = await app.PathOfAsync(place.CountyId);
        await using var db = app.Db();
        var children = Markers(from, to).Select(m => new Jurisdiction { Code = m, Name = m, Level = JurisdictionLevel.Township, ParentId = place.CountyId }).ToList();
        db.Jurisdictions.AddRange(children);
        await db.SaveChangesAsync();
        foreach (var child in children)
            child.Path = Jurisdiction.PathOf(countyPath, child.Id);
        db.Departments.AddRange(children.Select(c => new Department { Code = $"{c.Code}-D", Name = $"{c.Name} 办事处", JurisdictionId = c.Id }));
        await db.SaveChangesAsync();
    }

    /// <summary>Items with an open supervision notice each, addressed to the county's department.</summary>
    public async Task NoticesAsync(int from, int to)
    {
        var items = await InsertItemsAsync(from, to);
        await app.InsertAsync(items.Select(i => SupervisionNotice.Raise(i.Id, i.LeadDepartmentId, $"逾期未报 {i.Code}", Today, Today.AddDays(5), Now)));
    }

    /// <summary>Items with an inspection each and an open follow-up request from it.</summary>
    public async Task FollowUpsAsync(int from, int to)
    {
        var deputy = await DeputyAsync();
        var items = await InsertItemsAsync(from, to);
        await InspectWithFollowUpsAsync(items, deputy.Id, "请说明居民协调方案");
    }

    /// <summary>An inspection of each item by the deputy, each with an open follow-up request due in three days.</summary>
    private async Task InspectWithFollowUpsAsync(IReadOnlyList<Initiative> items, string deputyId, string request)
    {
        var inspections = items.Select(i => new Inspection
        {
            InitiativeId = i.Id,
            DeputyUserId = deputyId,
            Kind = InspectionKind.SiteVisit,
            On = Today,
            Findings = $"现场视察 {i.Code}",
            RecordedAt = Now,
        }).ToList();
        await app.InsertAsync(inspections);
        await app.InsertAsync(inspections.Zip(items, (s, i) => new FollowUp
        {
            InspectionId = s.Id,
            InitiativeId = i.Id,
            DepartmentId = i.LeadDepartmentId,
            Request = $"{request} {i.Code}",
            DueOn = Today.AddDays(3),
        }));
    }

    /// <summary>The official's daily digests, one a day back from today.</summary>
    public Task MessagesAsync(TrackerUser official, int from, int to) =>
        app.InsertAsync(Enumerable.Range(from, to - from).Select(n => new InboxMessage
        {
            Period = Today.AddDays(-n),
            RecipientEmail = official.Email!.ToLowerInvariant(),
            RecipientName = official.DisplayName,
            Subject = $"今日督办提醒 {Marker(n)}",
            Body = "2 个事项需要处理。",
            ItemCount = 2,
            CreatedAt = Now.AddDays(-n),
        }));

    /// <summary>Entries of one item's audit trail, each a minute after the one before, each by a person of its own.</summary>
    public Task AuditEntriesAsync(Initiative item, int from, int to) =>
        app.InsertAsync(Enumerable.Range(from, to - from).Select(n => new AuditEntry
        {
            At = Now.AddMinutes(n + 1),
            UserId = null,
            UserName = $"操作人 {n}",
            Action = "Updated",
            EntityType = "Initiative",
            EntityId = Marker(n),
            InitiativeId = item.Id,
            Before = "{\"Title\": \"旧\"}",
            After = "{\"Title\": \"新\"}",
        }));

    /// <summary>Digests to the official, each with an e-mail delivery that failed once and waits for its retry.</summary>
    public async Task DeliveriesAsync(TrackerUser official, int from, int to)
    {
        var messages = Enumerable.Range(from, to - from).Select(n => new InboxMessage
        {
            Period = Today.AddDays(-100 - n),
            RecipientEmail = official.Email!.ToLowerInvariant(),
            RecipientName = official.DisplayName,
            Subject = $"今日督办提醒 {Marker(n)}",
            Body = "2 个事项需要处理。",
            ItemCount = 2,
            CreatedAt = Now,
        }).ToList();
        await app.InsertAsync(messages);
        await app.InsertAsync(messages.Select(m => new Delivery
        {
            MessageId = m.Id,
            Channel = DeliveryChannel.Email,
            Status = DeliveryStatus.Pending,
            Attempts = 1,
            LastAttemptAt = Now,
            LastError = "SocketException: Connection refused",
            NextAttemptAt = Now.AddMinutes(1),
        }));
    }

    /// <summary>Reports on one item, each later than the one before, with a value and a photo.</summary>
    /// <summary>Rows of one item's ledger, rectified by the county's department, each with its first step.</summary>
    public Task LedgerRowsAsync(Initiative item, int from, int to) =>
        app.InsertAsync(Enumerable.Range(from, to - from).Select(n =>
        {
            var row = new LedgerRow
            {
                InitiativeId = item.Id,
                Number = $"{n + 1}",
                Finding = $"消防通道堵塞 {Marker(n)}",
                FoundOn = Today,
                DepartmentId = place.CountyDepartmentId,
                Mode = RectificationMode.ByDeadline,
                Deadline = Today.AddDays(10),
            };
            row.Record("检查组", Now);
            return row;
        }));

    public Task ReportsAsync(Initiative item, int from, int to) =>
        app.InsertAsync(Enumerable.Range(from, to - from).Select(n => new ProgressReport
        {
            InitiativeId = item.Id,
            ReportedBy = "李科长",
            ReportedAt = Now.AddDays(-1).AddMinutes(n),
            ReportedOn = Today.AddDays(-1),
            Phase = Phase.Started,
            Narrative = $"现场施工 {Marker(n)}",
            Values = [new ReportValue { TargetId = item.Targets[0].Id, Value = n % 10 }],
            Attachments = [Photo()],
            ProgressAfter = n % 10 / 10m,
        }));

    /// <summary>Inspections of one item, each with a photo and a follow-up request.</summary>
    public async Task InspectionsAsync(Initiative item, int from, int to)
    {
        var deputy = await DeputyAsync();
        var inspections = Enumerable.Range(from, to - from).Select(n => new Inspection
        {
            InitiativeId = item.Id,
            DeputyUserId = deputy.Id,
            Kind = InspectionKind.SiteVisit,
            On = Today.AddDays(-n),
            Findings = $"现场视察 {Marker(n)}",
            RecordedAt = Now,
            Photos = [Photo()],
        }).ToList();
        await app.InsertAsync(inspections);
        await app.InsertAsync(inspections.Select(s => new FollowUp
        {
            InspectionId = s.Id,
            InitiativeId = item.Id,
            DepartmentId = item.LeadDepartmentId,
            Request = $"请答复 {s.Findings}",
            DueOn = Today.AddDays(3),
        }));
    }

    /// <summary>
    /// Items on the deputy's home, each with a report and an open follow-up request: the even rows the deputy voted for
    /// (a closed session of the county whose candidates became these items), the odd rows supervised by the deputy's group
    /// (formed by the supervisor through <c>POST /api/groups</c>).
    /// </summary>
    public async Task SupervisedItemsAsync(TrackerUser deputy, HttpClient supervisor, int from, int to)
    {
        var items = await InsertItemsAsync(from, to);
        await app.InsertAsync(items.Select(i => new ProgressReport
        {
            InitiativeId = i.Id,
            ReportedBy = "李科长",
            ReportedAt = Now.AddDays(-1),
            ReportedOn = Today.AddDays(-1),
            Phase = Phase.Started,
            Narrative = $"现场施工 {i.Code}",
            Values = [new ReportValue { TargetId = i.Targets[0].Id, Value = 4 }],
            Attachments = [Photo()],
            ProgressAfter = 0.4m,
        }));
        await InspectWithFollowUpsAsync(items, deputy.Id, "请说明进度");
        var voted = items.Where((_, n) => (from + n) % 2 == 0).ToList();
        var candidates = voted.Select(i => new Candidate
        {
            JurisdictionId = place.CountyId,
            Year = 2026,
            Title = i.Title,
            EstimatedCost = 1_000_000m,
            DepartmentId = i.LeadDepartmentId,
            InitiativeId = i.Id,
        }).ToList();
        await app.InsertAsync(candidates);
        var session = new CongressSession
        {
            JurisdictionId = place.CountyId,
            Year = 2026,
            Name = $"票决 {from}-{to}",
            OpensAt = Now.AddDays(-30),
            ClosesAt = Now.AddDays(-29),
            ItemsToChoose = candidates.Count,
            Mode = BallotMode.ForAgainstAbstain,
            PassRule = PassRule.MajorityOfBallots,
            Deputies = 1,
            CandidateIds = [.. candidates.Select(c => c.Id)],
            Adopted = true,
        };
        await app.InsertAsync([session]);
        await app.InsertAsync([new Ballot
        {
            SessionId = session.Id,
            DeputyUserId = deputy.Id,
            CastAt = Now.AddDays(-30),
            Choices = [.. candidates.Select(c => new BallotChoice { CandidateId = c.Id, Choice = VoteChoice.For })],
        }]);
        var supervised = items.Except(voted);
        var group = new GroupInput(place.CountyId, $"代表小组 {from}-{to}", [deputy.Id], [.. supervised.Select(i => i.Id)]);
        var created = await supervisor.PostAsJsonAsync("/api/groups", group, TrackerApp.Json);
        if (!created.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /api/groups: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
    }

    /// <summary>Items of their own departments, each rated by the deputy.</summary>
    public async Task RatedItemsAsync(TrackerUser deputy, int from, int to)
    {
        var departments = Markers(from, to).Select(m => new Department { Code = m, Name = m, JurisdictionId = place.CountyId }).ToList();
        await app.InsertAsync(departments);
        var items = departments.Select(d => Item(d.Name, departmentId: d.Id)).ToList();
        await app.InsertAsync(items);
        await app.InsertAsync(items.Select((i, n) => new Evaluation
        {
            InitiativeId = i.Id,
            DeputyUserId = deputy.Id,
            Year = 2026,
            Rating = n % 3 == 0 ? Rating.Dissatisfied : Rating.Satisfied,
            Comment = "评语",
            At = Now,
        }));
    }

    /// <summary>Deputy groups of the county.</summary>
    public Task GroupsAsync(TrackerUser deputy, Initiative item, int from, int to) =>
        app.InsertAsync(Markers(from, to).Select(m => new DeputyGroup { JurisdictionId = place.CountyId, Name = m, MemberUserIds = [deputy.Id], InitiativeIds = [item.Id] }));

    /// <summary>Proposals from the public for the county's year.</summary>
    public Task ProposalsAsync(int from, int to) =>
        app.InsertAsync(Markers(from, to).Select(m => new Proposal
        {
            JurisdictionId = place.CountyId,
            Year = 2026,
            Title = $"建议 {m}",
            ProposerKind = ProposerKind.Public,
            ReceiptCode = m,
            SubmittedAt = Now,
        }));

    /// <summary>Candidates of the county's year, each screened from a proposal.</summary>
    public async Task CandidatesAsync(int from, int to)
    {
        var candidates = Markers(from, to).Select(m => new Candidate
        {
            JurisdictionId = place.CountyId,
            Year = 2026,
            Title = $"候选 {m}",
            EstimatedCost = 1_000_000m,
            DepartmentId = place.CountyDepartmentId,
        }).ToList();
        await app.InsertAsync(candidates);
        await app.InsertAsync(candidates.Select((c, n) => new Proposal
        {
            JurisdictionId = place.CountyId,
            Year = 2026,
            Title = c.Title,
            ProposerKind = ProposerKind.Public,
            ReceiptCode = $"{Marker(from + n)}P",
            SubmittedAt = Now,
            Status = ProposalStatus.Candidate,
            CandidateId = c.Id,
        }));
    }
}
