using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Tracker.Domain;
using Tracker.Web.Features.Access;
using Tracker.Web.Infrastructure.Web;

namespace Tracker.Web.Features.Admin;

/// <summary>
/// The holiday calendar's years with their counts (<see cref="ReadCalendar"/>), and the import of a year as the State
/// Council publishes it (<see cref="ImportCalendar"/>): a file in seed/holidays.json's shape or a sheet, or lines typed in.
/// A refused import lists every bad line and writes nothing.
/// </summary>
[Authorize(Policy = Policies.Administer)]
[RequestSizeLimit(MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes)]
public sealed class CalendarModel(ReadCalendar read, OfficeClock clock) : TrackerPage
{
    /// <summary>A year is about forty lines; a megabyte is far more than any arrangement needs.</summary>
    public const int MaxBytes = 1_000_000;

    [BindProperty] public int? Year { get; set; }
    [BindProperty] public string? Lines { get; set; }

    public IReadOnlyList<CalendarYear> Years { get; private set; } = [];
    public CalendarImported? Imported { get; private set; }

    /// <summary>A refused import's errors: where (a line, or the file) and why.</summary>
    public IReadOnlyList<(int? Line, string Why)> LineErrors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Years = await read.YearsAsync(ct);
        // Published in November or December for the year after.
        Year = clock.Today.Year + 1;
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, [FromServices] ImportCalendar import, CancellationToken ct)
    {
        Years = await read.YearsAsync(ct);
        if (Year is null)
            ModelState.AddModelError(nameof(Year), L("请填写年度。", "Give the year."));
        if (file is not { Length: > 0 } && string.IsNullOrWhiteSpace(Lines))
            ModelState.AddModelError(nameof(Lines), L("请上传文件或填写日期。", "Upload a file or type the days."));
        if (!ModelState.IsValid)
            return Page();
        try
        {
            List<CalendarLine> lines;
            if (file is { Length: > 0 })
            {
                await using var stream = file.OpenReadStream();
                lines = await CalendarFiles.ReadAsync(stream, ct);
            }
            else
                lines = CalendarFiles.FromText(Lines!);
            Imported = await import.RunAsync(Year!.Value, lines, ct);
            Years = await read.YearsAsync(ct);
            Lines = null;
        }
        catch (ValidationException e)
        {
            LineErrors = [.. e.Errors.Select(f => (
                f.PropertyName.StartsWith("line ", StringComparison.Ordinal) ? int.Parse(f.PropertyName[5..], System.Globalization.CultureInfo.InvariantCulture) : (int?)null,
                ErrorMessages.For(f.ErrorCode, f.CustomState as IReadOnlyList<object>) ?? f.ErrorMessage))];
        }
        return Page();
    }

    private static string L(string zh, string en) =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh" ? zh : en;
}
