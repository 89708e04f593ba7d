using System.Text.RegularExpressions;
using FluentValidation;

namespace Tracker.Web.Infrastructure;

/// <summary>
/// A refused import as its page shows it: every error where (row and column, as the sheet shows them) and why, and the
/// uploaded sheet again with each row's errors in a last column (<see cref="Sheets.AnnotateAsync"/>), offered as a
/// download to fix and upload again. The page keeps no file: the sheet travels in the link itself.
/// </summary>
public sealed partial record SheetErrors(IReadOnlyList<(string Where, string Why)> Errors, string? AnnotatedSheet)
{
    public static readonly SheetErrors None = new([], null);

    public static async Task<SheetErrors> OfAsync(ValidationException refused, IFormFile file, CancellationToken ct)
    {
        var errors = refused.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).ToList();
        var byRow = errors.Select(e => (Where: RowAndColumn().Match(e.PropertyName), e.ErrorMessage)).Where(e => e.Where.Success)
            .GroupBy(e => int.Parse(e.Where.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => string.Join("；", g.Select(e => $"{e.Where.Groups[2].Value}：{e.ErrorMessage}")));
        if (byRow.Count == 0)
            return new(errors, null);
        try
        {
            await using var upload = file.OpenReadStream();
            var annotated = await Sheets.AnnotateAsync(upload, byRow, ct);
            return new(errors, $"data:{Sheets.ContentType(SheetFormat.Xlsx)};base64,{Convert.ToBase64String(annotated)}");
        }
        catch (SheetException)
        {
            return new(errors, null);
        }
    }

    [GeneratedRegex(@"^row (\d+): (.+)$")]
    private static partial Regex RowAndColumn();
}
