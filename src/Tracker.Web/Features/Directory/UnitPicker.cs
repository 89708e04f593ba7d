namespace Tracker.Web.Features.Directory;

/// <summary>
/// A department or jurisdiction picker on a page (<c>Features/Shared/_UnitPicker.cshtml</c>): a text box and a select
/// of the units <see cref="FindUnits"/> picked for it. Without script, typing and submitting the form narrows the
/// select; with <c>wwwroot/js/picker.js</c>, the select is refilled from <paramref name="Source"/> as the person types.
/// </summary>
/// <param name="Field">The select's id and name: the query parameter the page binds (e.g. <c>JurisdictionId</c>).</param>
/// <param name="TextField">The text box's name (e.g. <c>JurisdictionText</c>).</param>
/// <param name="Label">The select's label, in the page's language.</param>
/// <param name="AnyLabel">The empty option ("all"), or null when the picker always holds a unit.</param>
/// <param name="Text">What was typed.</param>
/// <param name="Pick">The chosen unit and the others listed.</param>
/// <param name="Source">The API that answers <c>?q=&amp;jurisdictionId=&amp;limit=</c> with <see cref="UnitOption"/>s.</param>
/// <param name="NarrowedBy">The id of another picker's select whose jurisdiction narrows this one, if any.</param>
public sealed record UnitPicker(
    string Field, string TextField, string Label, string? AnyLabel, string? Text, UnitPick Pick, string Source, string? NarrowedBy = null)
{
    public const string JurisdictionsSource = "/api/directory/jurisdictions";
    public const string DepartmentsSource = "/api/directory/departments";
    public const string PublicJurisdictionsSource = "/api/public/jurisdictions";

    public static string OptionText(UnitOption o) => o.Within is null ? o.Name : $"{o.Name} · {o.Within}";
}
