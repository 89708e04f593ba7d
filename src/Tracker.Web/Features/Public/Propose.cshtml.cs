using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Tracker.Domain;
using Tracker.Web.Features.Directory;
using Tracker.Web.Features.Livelihood;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Public;

/// <summary>
/// Anyone proposes a livelihood item (民生实事) for the coming vote through <see cref="SubmitProposal"/>, as the public
/// API does, and gets a receipt code to follow it. Against bots, without any outside service: a small sum to work out
/// (its answer signed into the form, good for an hour), a field people never see, and the API's rate limit per address.
/// </summary>
[AllowAnonymous]
[PublicSendLimit]   // the API's limit per address, on sending (the form is read freely)
public sealed class ProposeModel(OfficeClock clock, FindUnits find, SubmitProposal submit, IDataProtectionProvider protection,
    IStringLocalizerFactory localizers) : TrackerPage
{
    // The view's own strings: the question and the refusal are said in the page's words.
    private readonly IStringLocalizer localizer = localizers.Create("Features.Public.Propose", typeof(ProposeModel).Assembly.GetName().Name!);

    private static readonly TimeSpan ChallengeLife = TimeSpan.FromHours(1);

    [BindProperty(SupportsGet = true)] public int? JurisdictionId { get; set; }
    [BindProperty(SupportsGet = true)] public string? JurisdictionText { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Answer { get; set; }
    [BindProperty] public string? Check { get; set; }
    /// <summary>Hidden from people; a form filler that fills every field fills it.</summary>
    [BindProperty] public string? Website { get; set; }

    public UnitPick Places { get; private set; } = UnitPick.None;
    public string Question { get; private set; } = "";
    public ProposalReceipt? Receipt { get; private set; }
    public int Year => clock.Today.Year;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Places = await find.PickJurisdictionAsync(JurisdictionId, JurisdictionText, everyone: true, firstByDefault: false, ct);
        NewChallenge();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Places = await find.PickJurisdictionAsync(JurisdictionId, JurisdictionText, everyone: true, firstByDefault: false, ct);
        var solved = string.IsNullOrEmpty(Website) && Solved();
        // Whatever happens, a fresh sum: the posted one is not shown again.
        ModelState.Remove(nameof(Check));
        ModelState.Remove(nameof(Answer));
        if (!solved)
            ModelState.AddModelError(nameof(Answer), localizer["答案不对，请重新计算。"]);
        else if (await TrySubmitAsync(async () => Receipt = await submit.PublicAsync(new ProposalInput(Places.Chosen?.Id, Year, Title, Description), ct)))
            return Page();
        Answer = null;
        NewChallenge();
        return Page();
    }

    private IDataProtector Protector => protection.CreateProtector("Tracker.Public.ProposalChallenge");

    private void NewChallenge()
    {
        var (a, b) = (RandomNumberGenerator.GetInt32(2, 10), RandomNumberGenerator.GetInt32(2, 10));
        Question = localizer["{0} 加 {1} 等于几？", a, b];
        Check = Protector.Protect($"{a + b}|{clock.Now.ToUnixTimeSeconds()}");
    }

    private bool Solved()
    {
        try
        {
            var parts = Protector.Unprotect(Check ?? "").Split('|');
            var issued = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
            return parts[0] == Answer?.Trim() && clock.Now - issued < ChallengeLife;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
