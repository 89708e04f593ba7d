using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Bulletins;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Livelihood;

/// <summary>
/// A jurisdiction's livelihood year summed up: its items' progress per jurisdiction under it (<see cref="RollUpLivelihood"/>)
/// and the year-end satisfaction evaluation (满意度测评, <see cref="SummariseEvaluation"/>) per jurisdiction, department and
/// item, with those over the dissatisfied share flagged for rectification — as the API reads them.
/// </summary>
[Authorize(Policy = Policies.Supervise)]
public sealed class EvaluationModel(OfficeClock clock, BulletinAccess access, ScreenProposals screen, SummariseEvaluation summarise,
    RollUpLivelihood rollUp, IOptions<LivelihoodOptions> options)
    : TrackerPage
{
    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }

    public string JurisdictionName { get; private set; } = "";
    public EvaluationSummary Summary { get; private set; } = null!;

    /// <summary>The year's livelihood and voted items per jurisdiction under this one (its own first), by health.</summary>
    public IReadOnlyList<RollupRow> Places { get; private set; } = [];
    public decimal Threshold => options.Value.RectifyAboveDissatisfiedShare;

    public async Task OnGetAsync(CancellationToken ct)
    {
        JurisdictionId = await access.ChooseAsync(JurisdictionId, ct);
        Year ??= clock.Today.Year;
        (JurisdictionName, _) = await screen.OpenAsync(JurisdictionId.Value, ct);
        Places = await rollUp.RunAsync(JurisdictionId.Value, Year.Value, ct);
        Summary = await summarise.RunAsync(Year.Value, JurisdictionId, ct);
    }
}
