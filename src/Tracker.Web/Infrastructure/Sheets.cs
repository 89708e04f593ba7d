using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using FluentValidation.Results;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using ValidationException = FluentValidation.ValidationException;

namespace Tracker.Web.Infrastructure;

public enum SheetFormat
{
    Csv,
    Xlsx,
}

/// <summary>A column of a sheet: its Chinese header as exported, the other headers offices write for it, and how its cells read.</summary>
public sealed record SheetColumn(string Header, string[] Aliases, bool Date = false)
{
    public bool Matches(string header) => Normalize(header) == Normalize(Header) || Aliases.Any(a => Normalize(a) == Normalize(header));

    /// <summary>Headers compare without spaces, line breaks, asterisks (必填 marks) and a bracketed note: "整改时限（限期整改填写）" is 整改时限.</summary>
    public static string Normalize(string header)
    {
        var text = new string([.. header.Where(c => !char.IsWhiteSpace(c) && c != '*' && c != '＊')]);
        var bracket = text.IndexOfAny(['(', '（']);
        return bracket > 0 ? text[..bracket] : text;
    }
}

/// <summary>One data row of an uploaded sheet: its row number as the sheet shows it (the header is row 1) and its cells by column.</summary>
public sealed record SheetRow(int Number, IReadOnlyDictionary<SheetColumn, string> Cells)
{
    public string this[SheetColumn column] => Cells.TryGetValue(column, out var text) ? text : "";
}

/// <summary>
/// Spreadsheets in and out with kept libraries: .xlsx by MiniExcel, .csv by CsvHelper. A CSV is read as UTF-8 (with or
/// without a byte order mark) or, when it is not valid UTF-8, as GB18030 (what Excel in Chinese saves); it is written as
/// UTF-8 with a byte order mark, so that Excel opens it in Chinese. Dates are written as dates, numbers as numbers.
/// </summary>
public static class Sheets
{
    public const int MaxRows = 50_000;

    static Sheets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    public static string Extension(SheetFormat format) => format == SheetFormat.Xlsx ? "xlsx" : "csv";

    public static string ContentType(SheetFormat format) => format == SheetFormat.Xlsx
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8";

    /// <summary>
    /// The sheet's data rows, blank ones left out, with the columns recognised by their headers (unknown headers are
    /// ignored). Throws <see cref="SheetException"/> for a file that is neither, or too long.
    /// </summary>
    public static async Task<(List<SheetRow> Rows, List<SheetColumn> Found)> ReadAsync(Stream upload, IReadOnlyList<SheetColumn> columns, CancellationToken ct)
    {
        var table = await ReadTableAsync(upload, ct);
        var headers = table[0];
        var map = new Dictionary<int, SheetColumn>();
        for (var i = 0; i < headers.Count; i++)
            if (columns.FirstOrDefault(c => c.Matches(headers[i])) is { } column && !map.ContainsValue(column))
                map[i] = column;
        var rows = new List<SheetRow>();
        for (var r = 1; r < table.Count; r++)
        {
            if (table[r].All(string.IsNullOrWhiteSpace))
                continue;
            if (rows.Count == MaxRows)
                throw new SheetException($"A sheet holds at most {MaxRows} rows.");
            rows.Add(new SheetRow(r + 1, map.Where(m => m.Key < table[r].Count).ToDictionary(m => m.Value, m => table[r][m.Key].Trim())));
        }
        return (rows, [.. map.Values]);
    }

    /// <summary>
    /// An import's rows: as <see cref="ReadAsync"/>, with an unreadable file and every missing required column refused as
    /// validation failures (<c>file</c>, <c>row 1: 列名</c>), as the import's other errors are.
    /// </summary>
    public static async Task<List<SheetRow>> ReadForImportAsync(Stream upload, IReadOnlyList<SheetColumn> columns, IReadOnlyList<SheetColumn> required, CancellationToken ct)
    {
        List<SheetRow> rows;
        List<SheetColumn> found;
        try { (rows, found) = await ReadAsync(upload, columns, ct); }
        catch (SheetException e) { throw new ValidationException([new ValidationFailure("file", e.Message)]); }
        var missing = required.Where(c => !found.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new ValidationException(missing.Select(c => new ValidationFailure($"row 1: {c.Header}", $"The sheet has no column {c.Header}.")));
        return rows;
    }

    /// <summary>Every row of an uploaded .xlsx or .csv as text, the header first; a file that is neither, or empty, is a <see cref="SheetException"/>.</summary>
    private static async Task<List<List<string>>> ReadTableAsync(Stream upload, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await upload.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var head = buffer.GetBuffer().AsSpan(0, (int)Math.Min(4, buffer.Length));
        var table = head.StartsWith("PK\u0003\u0004"u8) ? ReadXlsx(buffer) : ReadCsv(buffer.ToArray());
        return table.Count > 0 ? table : throw new SheetException("The sheet has no header row.");
    }

    /// <summary>
    /// The uploaded sheet again as .xlsx, every row where it was, with a last column 错误说明 saying what is wrong with each
    /// refused row: the office fixes the cells and uploads it again (the import ignores the extra column).
    /// </summary>
    public static async Task<byte[]> AnnotateAsync(Stream upload, IReadOnlyDictionary<int, string> errorsByRow, CancellationToken ct)
    {
        var table = await ReadTableAsync(upload, ct);
        var width = table.Max(r => r.Count);
        // Headers must be distinct to be columns: a blank or repeated one gets its position.
        var headers = table[0].Concat(Enumerable.Repeat("", width - table[0].Count)).Select((h, i) => h.Trim() is { Length: > 0 } t ? t : $"列{i + 1}").ToList();
        var seen = new HashSet<string>();
        var columns = headers.Select((h, i) => new SheetColumn(seen.Add(h) ? h : $"{h} ({i + 1})", [])).Append(new SheetColumn(ErrorColumn, [])).ToList();
        var rows = table.Skip(1).Select((cells, i) => (object?[])[.. cells, .. Enumerable.Repeat("", width - cells.Count), errorsByRow.GetValueOrDefault(i + 2, "")]);
        await using var file = await WriteAsync(SheetFormat.Xlsx, columns, rows.ToAsyncEnumerable(), ct);
        var annotated = new MemoryStream();
        await file.CopyToAsync(annotated, ct);
        return annotated.ToArray();
    }

    /// <summary>The column a refused sheet comes back with.</summary>
    public const string ErrorColumn = "错误说明";

    private static List<List<string>> ReadXlsx(Stream stream)
    {
        try
        {
            return [.. stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>()
                .Select(row => row.Values.Select(Text).ToList())];
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException or IOException or NotSupportedException)
        {
            throw new SheetException("The file is not a readable .xlsx workbook.");
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        double n => n.ToString("G15", CultureInfo.InvariantCulture),
        decimal n => n.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };

    private static List<List<string>> ReadCsv(byte[] bytes)
    {
        string text;
        if (bytes.AsSpan().StartsWith("\uFEFF"u8))
            text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        else
        {
            try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
            catch (DecoderFallbackException) { text = Gb18030.GetString(bytes); }
        }
        var rows = new List<List<string>>();
        using var reader = new CsvReader(new StringReader(text), new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            DetectDelimiter = true,
            BadDataFound = null,
            MissingFieldFound = null,
        });
        while (reader.Read())
            rows.Add([.. Enumerable.Range(0, reader.Parser.Count).Select(i => reader.GetField(i) ?? "")]);
        return rows;
    }

    /// <summary>
    /// Writes rows to a temporary file (deleted when closed), positioned at its start: the whole sheet never sits in
    /// memory, whatever its length. Each row gives one value per column: text, a number, or a date (<see cref="DateOnly"/>).
    /// </summary>
    public static async Task<Stream> WriteAsync(SheetFormat format, IReadOnlyList<SheetColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            if (format == SheetFormat.Csv)
                await WriteCsvAsync(file, columns, rows, ct);
            else
                await WriteXlsxAsync(file, columns, rows, ct);
            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A workbook of several small sheets (a bulletin's tables), one per name, each with its columns: built in memory,
    /// so only for tables of hundreds of rows — a long list goes through <see cref="WriteAsync"/>.
    /// </summary>
    public static byte[] Workbook(IEnumerable<(string Name, IReadOnlyList<SheetColumn> Columns, IEnumerable<object?[]> Rows)> sheets)
    {
        var book = new Dictionary<string, object>();
        foreach (var (name, columns, rows) in sheets)
        {
            var table = rows.Select(row => XlsxRow(columns, row)).ToList();
            book[name] = table.Count > 0 ? table : [columns.ToDictionary(c => c.Header, _ => (object?)null)];
        }
        var file = new MemoryStream();
        file.SaveAs(book, printHeader: true, excelType: ExcelType.XLSX);
        return file.ToArray();
    }

    private static async Task WriteCsvAsync(Stream file, IReadOnlyList<SheetColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var column in columns)
            csv.WriteField(column.Header);
        await csv.NextRecordAsync();
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var value in row)
                csv.WriteField(value switch
                {
                    null => "",
                    DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    var v => v.ToString(),
                });
            await csv.NextRecordAsync();
        }
    }

    /// <summary>A row as MiniExcel writes it: by header, dates as dates (it knows <see cref="DateTime"/>, not <see cref="DateOnly"/>).</summary>
    private static Dictionary<string, object?> XlsxRow(IReadOnlyList<SheetColumn> columns, object?[] row) =>
        Enumerable.Range(0, columns.Count).ToDictionary(i => columns[i].Header, i => row[i] switch
        {
            DateOnly d => (object?)d.ToDateTime(TimeOnly.MinValue),
            var v => v,
        });

    private static async Task WriteXlsxAsync(Stream file, IReadOnlyList<SheetColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        // MiniExcel enumerates a sequence as it writes; the rows come from the database a page at a time through a queue.
        var queue = System.Threading.Channels.Channel.CreateBounded<Dictionary<string, object?>>(1000);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var row in rows.WithCancellation(ct))
                    await queue.Writer.WriteAsync(XlsxRow(columns, row), ct);
                queue.Writer.Complete();
            }
            catch (Exception e)
            {
                queue.Writer.Complete(e);
            }
        }, ct);
        var configuration = new OpenXmlConfiguration
        {
            DynamicColumns = [.. columns.Where(c => c.Date).Select(c => new DynamicExcelColumn(c.Header) { Format = "yyyy-MM-dd" })],
        };
        IEnumerable<Dictionary<string, object?>> Drain()
        {
            var reader = queue.Reader;
            while (reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
                while (reader.TryRead(out var row))
                    yield return row;
        }
        var header = new[] { columns.ToDictionary(c => c.Header, _ => (object?)null) };
        await Task.Run(() => file.SaveAs(Drain().DefaultIfEmpty(header[0]), printHeader: true, sheetName: "Sheet1", excelType: ExcelType.XLSX, configuration: configuration), ct);
        await producer;
    }
}

/// <summary>A file that is not a sheet the service reads.</summary>
public sealed class SheetException(string message) : Exception(message);
