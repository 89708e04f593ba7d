using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;

namespace Tracker.Web.Features.Seed;

// The shape of seed/livelihood-vote.json; seed/README.md documents it field by field.

public sealed record SeedVote(string Jurisdiction, SeedSession Session, SeedDeputy[] Deputies, SeedCandidate[] Candidates, SeedProposal[] Proposals);

/// <summary>The congress session: held on day offset <see cref="Day"/>, open from <see cref="OpensAt"/> to <see cref="ClosesAt"/> (HH:mm, office time).</summary>
public sealed record SeedSession(string Name, int Day, string OpensAt, string ClosesAt, BallotMode Mode, PassRule PassRule);

public sealed record SeedDeputy(string Email, string DisplayName);

/// <summary>A candidate; <see cref="Initiative"/> is the code of the seeded item it became, null if the vote did not choose it.</summary>
public sealed record SeedCandidate(
    string Title, string? Description, string? Initiative, string Department, decimal EstimatedCost, int For, int Against);

/// <summary>A proposal, screened into the candidate titled <see cref="Candidate"/> or rejected with <see cref="RejectionReason"/>.</summary>
public sealed record SeedProposal(
    string Title, string? Description, ProposerKind Kind, string? Deputy, int Submitted, string? Candidate, string? RejectionReason);

/// <summary>Rows added by one load: all zero the second time.</summary>
public sealed record VoteSeedResult(int Deputies, int Candidates, int Proposals, int Sessions, int Ballots);

/// <summary>
/// Loads seed/livelihood-vote.json: the deputies of one jurisdiction's congress, the year's proposals,
/// the candidates screened from them, the session and one ballot per deputy, already adopted: the
/// chosen candidates point at the livelihood items seeded from initiatives.json. Runs inside the
/// seeder's transaction, after the initiatives. Idempotent: deputies are matched by e-mail, candidates
/// by jurisdiction, year and title, proposals by receipt code, the session by jurisdiction, year and
/// name, ballots by session and deputy; only missing rows are added.
/// </summary>
public sealed class VoteSeeder(TrackerDbContext db, UserManager<TrackerUser> users, OfficeClock clock)
{
    public const string FileName = "livelihood-vote.json";

    /// <summary>The alphabet of the receipts the proposals API hands out (no 0/O, 1/I).</summary>
    private const string ReceiptAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static async Task<SeedVote> ReadAsync(string folder, CancellationToken ct)
    {
        await using var stream = File.OpenRead(Path.Combine(folder, FileName));
        return await JsonSerializer.DeserializeAsync<SeedVote>(stream, Json, ct) ?? throw new InvalidDataException($"{FileName} is empty.");
    }

    /// <summary>
    /// A seeded proposal's receipt: 10 characters of the receipt alphabet taken from a hash of its
    /// jurisdiction, year and title, so that it is the same on every load (and findable by its natural key).
    /// </summary>
    public static string ReceiptOf(string jurisdiction, int year, string title)
    {
        var bits = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{jurisdiction}/{year}/{title}")));
        var receipt = new char[10];
        for (var i = 0; i < receipt.Length; i++, bits >>= 5)
            receipt[i] = ReceiptAlphabet[(int)(bits & 31)];
        return new string(receipt);
    }

    public async Task<VoteSeedResult> SeedAsync(
        string folder, IReadOnlyDictionary<string, int> jurisdictionIds, IReadOnlyDictionary<string, int> departmentIds, CancellationToken ct)
    {
        var seed = await ReadAsync(folder, ct);
        var today = clock.Today;
        var year = today.Year;
        if (!jurisdictionIds.TryGetValue(seed.Jurisdiction, out var jurisdictionId))
            throw Invalid($"jurisdiction {seed.Jurisdiction} is not in jurisdictions.json.");
        var ownDepartments = await db.Departments.Where(d => d.JurisdictionId == jurisdictionId).Select(d => d.Id).ToListAsync(ct);
        Validate(seed, departmentIds, ownDepartments);

        var (deputyIds, deputiesAdded) = await SeedDeputiesAsync(seed, jurisdictionId, ct);
        var (candidates, candidatesAdded) = await SeedCandidatesAsync(seed, jurisdictionId, year, departmentIds, ct);
        var proposalsAdded = await SeedProposalsAsync(seed, jurisdictionId, year, deputyIds, candidates, ct);
        var (sessionsAdded, ballotsAdded) = await SeedSessionAsync(seed, jurisdictionId, year, deputyIds, candidates, ct);
        await MarkChosenAsync(candidates.Values, ct);
        return new VoteSeedResult(deputiesAdded, candidatesAdded, proposalsAdded, sessionsAdded, ballotsAdded);
    }

    /// <summary>Deputies are data, not logins: created without a password, so nobody can sign in as them.</summary>
    private async Task<(List<string> Ids, int Added)> SeedDeputiesAsync(SeedVote seed, int jurisdictionId, CancellationToken ct)
    {
        var ids = new List<string>();
        var added = 0;
        foreach (var deputy in seed.Deputies)
        {
            ct.ThrowIfCancellationRequested();
            var user = await users.FindByEmailAsync(deputy.Email);
            if (user is null)
            {
                user = new TrackerUser
                {
                    UserName = deputy.Email,
                    Email = deputy.Email,
                    EmailConfirmed = true,
                    DisplayName = deputy.DisplayName,
                    JurisdictionId = jurisdictionId,
                };
                Check(await users.CreateAsync(user), deputy.Email);
                Check(await users.AddToRoleAsync(user, Roles.Deputy), deputy.Email);
                added++;
            }
            else if (user.JurisdictionId != jurisdictionId || !await users.IsInRoleAsync(user, Roles.Deputy))
            {
                throw Invalid($"{deputy.Email} exists but is not a deputy of {seed.Jurisdiction}.");
            }
            ids.Add(user.Id);
        }
        return (ids, added);
    }

    private async Task<(Dictionary<string, Candidate> ByTitle, int Added)> SeedCandidatesAsync(
        SeedVote seed, int jurisdictionId, int year, IReadOnlyDictionary<string, int> departmentIds, CancellationToken ct)
    {
        var titles = seed.Candidates.Select(c => c.Title).ToList();
        var byTitle = (await db.Candidates.Where(c => c.JurisdictionId == jurisdictionId && c.Year == year && titles.Contains(c.Title)).ToListAsync(ct))
            .GroupBy(c => c.Title).ToDictionary(g => g.Key, g => g.MinBy(c => c.Id)!);
        var codes = seed.Candidates.Where(c => c.Initiative is not null).Select(c => c.Initiative!).ToList();
        var items = await db.Initiatives.Where(i => i.JurisdictionId == jurisdictionId && i.Year == year && codes.Contains(i.Code))
            .ToDictionaryAsync(i => i.Code, i => new { i.Id, i.LeadDepartmentId }, ct);

        var added = 0;
        foreach (var s in seed.Candidates.Where(s => !byTitle.ContainsKey(s.Title)))
        {
            long? initiativeId = null;
            if (s.Initiative is { } code)
            {
                var item = items.GetValueOrDefault(code) ?? throw Invalid($"candidate {s.Title}: {code} is not a seeded item of {seed.Jurisdiction} in {year}.");
                if (item.LeadDepartmentId != departmentIds[s.Department])
                    throw Invalid($"candidate {s.Title}: {code} is led by another department than {s.Department}.");
                initiativeId = item.Id;
            }
            var candidate = new Candidate
            {
                JurisdictionId = jurisdictionId,
                Year = year,
                Title = s.Title,
                Description = s.Description ?? "",
                EstimatedCost = s.EstimatedCost,
                DepartmentId = departmentIds[s.Department],
                // The vote is seeded as adopted: the chosen candidate became the item seeded from initiatives.json.
                InitiativeId = initiativeId,
            };
            db.Candidates.Add(candidate);
            byTitle[s.Title] = candidate;
            added++;
        }
        await db.SaveChangesAsync(ct);
        return (byTitle, added);
    }

    private async Task<int> SeedProposalsAsync(
        SeedVote seed, int jurisdictionId, int year, List<string> deputyIds, Dictionary<string, Candidate> candidates, CancellationToken ct)
    {
        var byReceipt = seed.Proposals.ToDictionary(p => ReceiptOf(seed.Jurisdiction, year, p.Title));
        var receipts = byReceipt.Keys.ToList();
        var present = await db.Proposals.Where(p => receipts.Contains(p.ReceiptCode)).Select(p => p.ReceiptCode).ToListAsync(ct);
        var now = clock.Now;
        var added = 0;
        foreach (var (receipt, s) in byReceipt.Where(p => !present.Contains(p.Key)))
        {
            var proposal = new Proposal
            {
                JurisdictionId = jurisdictionId,
                Year = year,
                Title = s.Title,
                Description = s.Description ?? "",
                ProposerKind = s.Kind,
                // Deputies propose under their name; no official accounts are seeded, so department proposals name the department in their text.
                ProposerUserId = s.Deputy is null ? null : deputyIds[Array.FindIndex(seed.Deputies, d => d.Email == s.Deputy)],
                ReceiptCode = receipt,
                SubmittedAt = now.AddDays(s.Submitted),
                Status = ProposalStatus.Submitted,
            };
            if (s.Candidate is { } title)
                proposal.Join(candidates[title]);
            else
                proposal.Reject(s.RejectionReason!);
            db.Proposals.Add(proposal);
            added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }

    private async Task<(int Sessions, int Ballots)> SeedSessionAsync(
        SeedVote seed, int jurisdictionId, int year, List<string> deputyIds, Dictionary<string, Candidate> candidates, CancellationToken ct)
    {
        var session = await db.Sessions.Where(s => s.JurisdictionId == jurisdictionId && s.Year == year && s.Name == seed.Session.Name)
            .OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
        var isNew = session is null;
        var day = clock.Today.AddDays(seed.Session.Day);
        session ??= new CongressSession
        {
            JurisdictionId = jurisdictionId,
            Year = year,
            Name = seed.Session.Name,
            OpensAt = At(day, seed.Session.OpensAt),
            ClosesAt = At(day, seed.Session.ClosesAt),
            ItemsToChoose = seed.Candidates.Count(c => c.Initiative is not null),
            Mode = seed.Session.Mode,
            PassRule = seed.Session.PassRule,
            // The congress as listed in the file, whoever else (a demo deputy) joins the jurisdiction later.
            Deputies = seed.Deputies.Length,
            CandidateIds = [.. seed.Candidates.Select(c => candidates[c.Title].Id)],
            // Adopted: the chosen candidates carry the ids of the seeded items (see SeedCandidatesAsync).
            Adopted = true,
        };

        List<string> voted = isNew ? [] : await db.Ballots.Where(b => b.SessionId == session.Id).Select(b => b.DeputyUserId).ToListAsync(ct);
        if (voted.Count == deputyIds.Count && !isNew)
            return (0, 0);

        var ballots = Ballots(seed, session, deputyIds, [.. seed.Candidates.Select(c => candidates[c.Title].Id)]);
        foreach (var ballot in ballots)
            session.Check(ballot.Choices, ballot.CastAt);
        VerifyCount(seed, session, ballots, candidates);

        if (isNew)
        {
            db.Sessions.Add(session);
            await db.SaveChangesAsync(ct);
        }
        var missing = ballots.Where(b => !voted.Contains(b.DeputyUserId)).ToList();
        foreach (var ballot in missing)
            ballot.SessionId = session.Id;
        db.Ballots.AddRange(missing);
        await db.SaveChangesAsync(ct);
        return (isNew ? 1 : 0, missing.Count);
    }

    /// <summary>The adopted session chose the items its candidates name, whatever their kind (HS-MS-02 is a renovation): voted and published.</summary>
    private async Task MarkChosenAsync(IEnumerable<Candidate> candidates, CancellationToken ct)
    {
        var chosen = candidates.Where(c => c.InitiativeId is not null).Select(c => c.InitiativeId!.Value).ToList();
        foreach (var item in await db.Initiatives.Where(i => chosen.Contains(i.Id) && !i.IsVoted).ToListAsync(ct))
        {
            item.ChosenByVote();
            item.Publish(true);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// One ballot per deputy, cast one after the other through the window. On candidate k, deputies are
    /// counted from place 7k (mod the number of deputies): the first <c>for</c> vote for, the next
    /// <c>against</c> vote against, the rest abstain; so each candidate gets exactly the file's counts
    /// and no two deputies fill in the same ballot. "Choose up to N" ballots carry only the "for" marks.
    /// </summary>
    private static List<Ballot> Ballots(SeedVote seed, CongressSession session, List<string> deputyIds, List<long> candidateIds)
    {
        var n = deputyIds.Count;
        var step = TimeSpan.FromSeconds(Math.Floor((session.ClosesAt - session.OpensAt).TotalSeconds / (n + 1)));
        return [.. deputyIds.Select((deputy, d) => new Ballot
        {
            SessionId = session.Id,
            DeputyUserId = deputy,
            CastAt = session.OpensAt + step * (d + 1),
            Choices = [.. seed.Candidates.Select((c, k) =>
            {
                var place = (d - 7 * k % n + n) % n;
                var choice = place < c.For ? VoteChoice.For : place < c.For + c.Against ? VoteChoice.Against : VoteChoice.Abstain;
                return new BallotChoice { CandidateId = candidateIds[k], Choice = choice };
            }).Where(c => session.Mode == BallotMode.ForAgainstAbstain || c.Choice == VoteChoice.For)],
        })];
    }

    /// <summary>The count of the generated ballots must choose exactly the candidates that became items, with no tie.</summary>
    private static void VerifyCount(SeedVote seed, CongressSession session, List<Ballot> ballots, Dictionary<string, Candidate> candidates)
    {
        var result = Tally.Count(session, ballots);
        var expected = seed.Candidates.Where(c => c.Initiative is not null).Select(c => candidates[c.Title].Id).Order().ToList();
        if (result.TiedAtCutoff.Count > 0 || !result.Chosen.Order().SequenceEqual(expected))
            throw Invalid($"the votes do not choose exactly the candidates with an initiative (need {result.VotesNeeded} for, "
                + $"{session.ItemsToChoose} places; chosen: {string.Join(", ", result.Chosen)}; tied: {string.Join(", ", result.TiedAtCutoff)}).");
    }

    private static void Validate(SeedVote seed, IReadOnlyDictionary<string, int> departmentIds, List<int> ownDepartments)
    {
        var emails = seed.Deputies.Select(d => d.Email).ToList();
        if (emails.Count == 0 || emails.Distinct(StringComparer.OrdinalIgnoreCase).Count() != emails.Count)
            throw Invalid("deputies must be listed, each e-mail once.");
        if (seed.Candidates.Select(c => c.Title).Distinct().Count() != seed.Candidates.Length)
            throw Invalid("candidate titles must be unique.");
        if (seed.Proposals.Select(p => p.Title).Distinct().Count() != seed.Proposals.Length)
            throw Invalid("proposal titles must be unique (the receipt code is derived from the title).");
        foreach (var c in seed.Candidates)
        {
            if (!departmentIds.TryGetValue(c.Department, out var department) || !ownDepartments.Contains(department))
                throw Invalid($"candidate {c.Title}: department {c.Department} is not one of {seed.Jurisdiction}.");
            if (c.For < 0 || c.Against < 0 || c.For + c.Against > emails.Count)
                throw Invalid($"candidate {c.Title}: for + against must be between 0 and the {emails.Count} deputies.");
        }
        foreach (var p in seed.Proposals)
        {
            if ((p.Kind == ProposerKind.Deputy) != (p.Deputy is not null) || (p.Deputy is not null && !emails.Contains(p.Deputy)))
                throw Invalid($"proposal {p.Title}: a deputy's proposal names one of the listed deputies; others name none.");
            if ((p.Candidate is null) == string.IsNullOrWhiteSpace(p.RejectionReason))
                throw Invalid($"proposal {p.Title}: give either a candidate or a rejection reason.");
            if (p.Candidate is not null && seed.Candidates.All(c => c.Title != p.Candidate))
                throw Invalid($"proposal {p.Title}: no candidate titled {p.Candidate}.");
        }
        if (seed.Session.Day >= 0 || TimeOf(seed.Session.ClosesAt) <= TimeOf(seed.Session.OpensAt))
            throw Invalid("the session is held before the seeding day and closes after it opens.");
    }

    private DateTimeOffset At(DateOnly day, string time) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOf(time)), clock.Zone), TimeSpan.Zero);

    private static TimeOnly TimeOf(string time) =>
        TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : throw Invalid($"{time} is not a time (HH:mm).");

    private static InvalidDataException Invalid(string message) => new($"{FileName}: {message}");

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"{email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
