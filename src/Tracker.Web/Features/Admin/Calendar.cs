using System.Globalization;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Tracker.Domain;
using Tracker.Web.Data;
using Tracker.Web.Features.Access;
using Tracker.Web.Features.Audit;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Admin;

/// <summary>A year of the holiday calendar: its days off and its weekend days made working days (调休上班).</summary>
public sealed record CalendarYear(int Year, int Holidays, int Workdays);

/// <summary>One line of an import as it was sent, with where it was (its line, or its row of a sheet), to say where it is wrong.</summary>
public sealed record CalendarLine(int Line, string? Day, string? Kind, string? Name);

public sealed record CalendarImported(int Year, int Holidays, int Workdays, CalendarYear? Before);

/// <summary>The years loaded, with their counts (one row a year, a hundred at most: 2000–2100).</summary>
public sealed class ReadCalendar(TrackerDbContext db, Viewer viewer) : IUseCase
{
    public async Task<IReadOnlyList<CalendarYear>> YearsAsync(CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        return await YearsOfAsync(db.CalendarDays, ct);
    }

    internal static async Task<List<CalendarYear>> YearsOfAsync(IQueryable<CalendarDay> days, CancellationToken ct) =>
        [.. (await days.GroupBy(d => d.Day.Year)
                .Select(g => new { Year = g.Key, Holidays = g.Count(d => d.Kind == CalendarDayKind.Holiday), Workdays = g.Count(d => d.Kind == CalendarDayKind.Workday) })
                .OrderBy(y => y.Year).ToListAsync(ct))
            .Select(y => new CalendarYear(y.Year, y.Holidays, y.Workdays))];
}

/// <summary>
/// An admin loads a year's holiday arrangement as the State Council publishes it (in seed/holidays.json's shape:
/// day, kind, name): the year's rows are replaced in one transaction. Every line is checked first; any bad line
/// refuses the whole import with each error and its line, and nothing is written.
/// </summary>
public sealed class ImportCalendar(TrackerDbContext db, Viewer viewer, IAuditActor actor, OfficeClock clock) : IUseCase
{
    public async Task<CalendarImported> RunAsync(int year, IReadOnlyList<CalendarLine> lines, CancellationToken ct)
    {
        AdminOnly.Check(viewer);
        var days = Check(year, lines);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var before = (await ReadCalendar.YearsOfAsync(db.CalendarDays.Where(d => d.Day.Year == year), ct)).SingleOrDefault();
        await db.CalendarDays.Where(d => d.Day.Year == year).ExecuteDeleteAsync(ct);
        db.CalendarDays.AddRange(days);
        var after = new CalendarYear(year, days.Count(d => d.Kind == CalendarDayKind.Holiday), days.Count(d => d.Kind == CalendarDayKind.Workday));
        // The trail keeps the year's counts before and after; the days themselves are the published arrangement.
        db.AuditLog.Add(AdminOnly.Entry(actor, clock.Now, before is null ? "Created" : "Updated", "CalendarYear",
            year.ToString(CultureInfo.InvariantCulture), before, after));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new CalendarImported(year, after.Holidays, after.Workdays, before);
    }

    /// <summary>The lines as days, or every error with its line (a <see cref="ValidationException"/>, property <c>line N</c>).</summary>
    internal static List<CalendarDay> Check(int year, IReadOnlyList<CalendarLine> lines)
    {
        var failures = new List<ValidationFailure>();
        if (year is < 2000 or > 2100)
            failures.Add(new ValidationFailure("Year", "The year is between 2000 and 2100.") { ErrorCode = ErrorCodes.CalendarYearRange });
        if (lines.Count == 0)
            failures.Add(new ValidationFailure("Lines", "Send at least one day: an empty import would wipe the year.") { ErrorCode = ErrorCodes.CalendarEmpty });
        var days = new List<CalendarDay>();
        var seen = new Dictionary<DateOnly, int>();
        foreach (var line in lines)
        {
            void Fail(string message, string code, params object[] args) =>
                failures.Add(new ValidationFailure($"line {line.Line}", message) { ErrorCode = code, CustomState = args });
            var kind = KindOf(line.Kind);
            var name = line.Name?.Trim() ?? "";
            if (!DateOnly.TryParseExact(line.Day?.Trim(), ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                Fail($"'{line.Day}' is not a date like 2027-01-01.", ErrorCodes.CalendarDate, line.Day ?? "");
            else if (day.Year != year)
                Fail($"{day:yyyy-MM-dd} is not in {year}.", ErrorCodes.CalendarYear, year);
            else if (seen.TryGetValue(day, out var first))
                Fail($"{day:yyyy-MM-dd} is given on line {first} already.", ErrorCodes.CalendarDuplicate, first);
            else
                seen[day] = line.Line;
            if (kind is null)
                Fail($"'{line.Kind}' is neither Holiday (放假) nor Workday (上班).", ErrorCodes.CalendarKind, line.Kind ?? "");
            else if (kind == CalendarDayKind.Workday && day != default && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                Fail($"{day:yyyy-MM-dd} is a weekday: only a Saturday or Sunday is made a working day.", ErrorCodes.CalendarWorkday);
            if (name.Length is 0 or > 50 || PlainText.HasControlCharacters(name))
                Fail("Name the festival, in at most 50 characters.", ErrorCodes.CalendarName);
            if (kind is { } k && day != default)
                days.Add(new CalendarDay(day, k, name));
        }
        return failures.Count > 0 ? throw new ValidationException(failures) : days;
    }

    internal static CalendarDayKind? KindOf(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "holiday" or "放假" or "休" or "休息" => CalendarDayKind.Holiday,
        "workday" or "上班" or "班" or "调休上班" or "补班" => CalendarDayKind.Workday,
        _ => null,
    };
}

/// <summary>
/// What an import is read from: seed/holidays.json's JSON (an array of <c>{ day, kind, name }</c>), a sheet (.xlsx or
/// .csv with the columns 日期, 类型, 名称), or lines of text (<c>2027-01-01,Holiday,元旦</c>). Each line keeps where it was.
/// </summary>
public static class CalendarFiles
{
    public static readonly SheetColumn Day = new("日期", ["day", "date"]);
    public static readonly SheetColumn Kind = new("类型", ["kind", "类别"]);
    public static readonly SheetColumn Name = new("名称", ["name", "节日"]);

    /// <summary>An uploaded file, by its content: JSON when it starts with '[', a sheet otherwise.</summary>
    public static async Task<List<CalendarLine>> ReadAsync(Stream upload, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await upload.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            start++;
        if (start < bytes.Length && bytes[start] == (byte)'[')
            return FromJson(bytes);
        var rows = await Sheets.ReadForImportAsync(new MemoryStream(bytes), [Day, Kind, Name], [Day, Kind, Name], ct);
        return [.. rows.Select(r => new CalendarLine(r.Number, r[Day], r[Kind], r[Name]))];
    }

    /// <summary>seed/holidays.json's shape; each entry's line is the line its '{' is on.</summary>
    public static List<CalendarLine> FromJson(byte[] json)
    {
        var lines = new List<CalendarLine>();
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                throw Unreadable("The file is not a JSON array of { day, kind, name }.");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = 1 + json.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n');
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw Unreadable($"Line {line}: each entry is an object {{ day, kind, name }}.");
                using var entry = JsonDocument.ParseValue(ref reader);
                string? Field(string name) => entry.RootElement.EnumerateObject()
                    .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: JsonValueKind.String } p
                    ? p.Value.GetString() : null;
                lines.Add(new CalendarLine(line, Field("day"), Field("kind"), Field("name")));
            }
        }
        catch (JsonException e)
        {
            throw Unreadable($"The file is not readable JSON: {e.Message}");
        }
        return lines;
    }

    /// <summary>Lines of text: day, kind and name, by commas, tabs or spaces; blank lines, '#' notes and a header line are skipped.</summary>
    public static List<CalendarLine> FromText(string text)
    {
        var lines = new List<CalendarLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split([',', '，', '\t', ' '], 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Count == 0 && (Day.Matches(parts[0]) || parts[0].Equals("day", StringComparison.OrdinalIgnoreCase)))
                continue;
            lines.Add(new CalendarLine(number, parts[0], parts.ElementAtOrDefault(1), parts.ElementAtOrDefault(2)));
        }
        return lines;
    }

    private static ValidationException Unreadable(string message) =>
        new([new ValidationFailure("file", message) { ErrorCode = ErrorCodes.CalendarFile }]);
}
