using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tracker.Web.Tests.Infrastructure;

/// <summary>What the fuzzer needs from the world it runs against: valid bodies, ids and query values, so that a
/// request with one thing wrong gets past everything else and reaches the check of that one thing.</summary>
public interface IFuzzTargets
{
    /// <summary>A valid body for the operation's request schema (a component name), or null to build one from the schema.
    /// <see cref="OpenApiFuzzer.Unique"/> in a string becomes the case's number, for values that must be unique (codes, e-mails).</summary>
    JsonNode? Example(string operation, string schema);

    /// <summary>Valid values for a path parameter of the operation, the one to use by default first.</summary>
    IReadOnlyList<string> PathValues(string operation, string parameter);

    /// <summary>A valid value for a query parameter, or null to take one from its schema.</summary>
    string? QueryValue(string operation, string parameter);
}

/// <summary>One malformed (or, for the baseline, well-formed) request of one operation, not yet given to anyone.</summary>
public sealed record FuzzCase(
    int Id, string Operation, string Method, string Location, string Malformation, string Url,
    byte[]? Body, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, string? ETagFrom)
{
    public const string Baseline = "baseline";

    public string Kind => Location == Baseline ? Baseline : $"{Location}: {Malformation}";
    public bool IsRead => Method == "GET";
}

/// <summary>
/// Reads an OpenAPI 3.1 document and, for every operation, makes requests with one thing wrong each: every path and
/// query parameter given bad values, every body property (to two levels down, array elements included) given the wrong
/// JSON type, null, an extreme or broken value, or left out; whole bodies that are empty, truncated or not JSON; wrong
/// If-Match headers where the operation documents a 428; and broken multipart bodies where it accepts multipart.
/// Everything else in each request is valid (<see cref="IFuzzTargets"/>). The same seed gives the same cases.
/// </summary>
public sealed class OpenApiFuzzer(JsonNode document, IFuzzTargets targets, int seed)
{
    /// <summary>The huge string of a body. A URL carries less: System.Uri refuses one longer than 65,519 characters.</summary>
    public const int HugeBody = 100_000;

    public const int HugeUrl = 60_000;

    /// <summary>In an example's strings, replaced by the case's number in every request body.</summary>
    public const string Unique = "{n}";

    private const string Marker = "__fuzz_marker_7f3a__";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private readonly Random _random = new(seed);
    private readonly List<FuzzCase> _cases = [];

    /// <summary>
    /// Paths not fuzzed: the Hangfire dashboard and the API reference page themselves; and signing out (one's own, or an
    /// admin's sign-out of a user), which ends the fuzzing people's sessions and would leave the rest of the run at 401
    /// (SessionTests covers them).
    /// </summary>
    public static bool Skipped(string path) =>
        path.StartsWith("/hangfire", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/openapi/scalar", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/scalar", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/api/auth/logout", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/sign-out", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> Operations()
    {
        var paths = document["paths"]!.AsObject();
        return [.. paths.Where(p => !Skipped(p.Key)).SelectMany(p => p.Value!.AsObject()
            .Where(m => Methods.Contains(m.Key)).Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))];
    }

    public IReadOnlyList<FuzzCase> Generate()
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (Skipped(path))
                continue;
            foreach (var (method, op) in item!.AsObject())
                if (Methods.Contains(method))
                    GenerateOperation(path, method.ToUpperInvariant(), op!.AsObject(), item.AsObject());
        }
        return _cases;
    }

    // ----- one operation -----

    private sealed record Param(string Name, string In, bool Required, Schema Schema);

    private sealed class Op
    {
        public required string Name;
        public required string Method;
        public required string Path;
        public required List<Param> Parameters;
        public Schema? JsonBody;
        public Schema? MultipartBody;
        public string? ETagFrom;
        public Dictionary<string, string> PathValues = [];
        public Dictionary<string, string> RequiredQuery = [];
    }

    private void GenerateOperation(string path, string method, JsonObject operation, JsonObject pathItem)
    {
        var name = $"{method} {path}";
        var parameters = (operation["parameters"]?.AsArray() ?? []).Select(p => new Param(
            p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false,
            Schema.Resolve(document, p["schema"], 0))).ToList();
        var op = new Op { Name = name, Method = method, Path = path, Parameters = parameters };
        if (operation["requestBody"]?["content"] is JsonObject content)
        {
            if (content["application/json"]?["schema"] is { } json)
                op.JsonBody = Schema.Resolve(document, json, 0);
            if (content["multipart/form-data"]?["schema"] is { } multipart)
                op.MultipartBody = Schema.Resolve(document, multipart, 0);
        }
        // An operation that answers 428 wants If-Match: the valid one is the ETag its GET twin answers with.
        if (operation["responses"]?["428"] is not null && pathItem["get"] is not null)
            op.ETagFrom = path;

        foreach (var p in parameters.Where(p => p.In == "path"))
            op.PathValues[p.Name] = targets.PathValues(name, p.Name)[0];
        foreach (var p in parameters.Where(p => p.In == "query" && p.Required))
            op.RequiredQuery[p.Name] = ValidQuery(op, p);

        var body = op.JsonBody is null ? null : BaselineBody(op, op.JsonBody);
        Add(op, FuzzCase.Baseline, "valid request", op.PathValues, op.RequiredQuery, body, body is null ? null : "application/json");
        AddQueryCases(op, body);
        AddPathCases(op, body);
        AddHeaderCases(op, body);
        if (op.JsonBody is not null)
            AddBodyCases(op, op.JsonBody);
        else if (method is "POST" or "PUT")
            Add(op, "body", "a body where none is expected (not JSON)", op.PathValues, op.RequiredQuery, Encoding.UTF8.GetBytes("{\"x\":"), "application/json");
        if (op.MultipartBody is not null)
            AddMultipartCases(op, op.MultipartBody);
    }

    private void Add(Op op, string location, string malformation, IReadOnlyDictionary<string, string> path, IReadOnlyDictionary<string, string> query,
        string? body, string? contentType, IReadOnlyList<KeyValuePair<string, string>>? headers = null, bool rawQuery = false) =>
        Add(op, location, malformation, path, query, body is null ? null : Encoding.UTF8.GetBytes(body), contentType, headers, rawQuery);

    /// <summary>The body with <see cref="Unique"/> replaced by the case's number (bytes, as a multipart body holds a file).</summary>
    private static byte[] WithNumber(byte[] body, int id)
    {
        var marker = Encoding.UTF8.GetBytes(Unique);
        var number = Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture));
        var result = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body.AsSpan(i).StartsWith(marker))
            {
                result.AddRange(number);
                i += marker.Length - 1;
            }
            else
            {
                result.Add(body[i]);
            }
        }
        return [.. result];
    }

    private void Add(Op op, string location, string malformation, IReadOnlyDictionary<string, string> path, IReadOnlyDictionary<string, string> query,
        byte[]? body, string? contentType, IReadOnlyList<KeyValuePair<string, string>>? headers = null, bool rawQuery = false)
    {
        var url = new StringBuilder();
        foreach (var segment in op.Path.Split('/').Skip(1))
        {
            url.Append('/');
            url.Append(segment.StartsWith('{') && segment.EndsWith('}') ? path[segment[1..^1]] : segment);
        }
        var separator = '?';
        foreach (var (key, value) in query)
        {
            url.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(rawQuery ? value : Uri.EscapeDataString(value));
            separator = '&';
        }
        // Where the operation wants If-Match, every request sends the item's current ETag (read just before it is
        // sent), except the cases about the header itself, which send what they are given.
        var eTagFrom = op.ETagFrom is null || location.StartsWith("header", StringComparison.Ordinal) ? null
            : string.Concat(op.ETagFrom.Split('/').Skip(1).Select(seg => "/" + (seg.StartsWith('{') ? path[seg[1..^1]] : seg)));
        _cases.Add(new FuzzCase(_cases.Count, op.Name, op.Method, location, malformation, url.ToString(),
            body is null ? null : WithNumber(body, _cases.Count), contentType, headers ?? [], eTagFrom));
    }

    private string ValidQuery(Op op, Param p) => targets.QueryValue(op.Name, p.Name) ?? ExampleText(p.Schema);

    private static string ExampleText(Schema s) => Example(s, 0) switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        { } node => node.ToJsonString(),
        null => "",
    };

    // ----- path, query and header values -----

    private static readonly (string Value, string Label)[] BadIds =
    [
        ("-1", "-1"), ("0", "0"), ("9223372036854775807", "long.MaxValue (no such row)"), ("2147483648", "int.MaxValue + 1"),
        ("99999999999999999999", "beyond long"), ("abc", "not a number"), ("1.5", "a fraction"), ("1e3", "exponent notation"),
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "a GUID where a number is expected"), (" ", "a space"), ("\u0001", "control character U+0001"),
    ];

    private static readonly (string Value, string Label)[] BadGuids =
    [
        ("not-a-guid", "not a GUID"), ("00000000-0000-0000-0000-000000000000", "the empty GUID"),
        ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "a GUID of nothing"), ("-1", "-1"), ("1", "a number where a GUID is expected"),
        ("\u0001", "control character U+0001"),
    ];

    private static readonly (string Value, string Label)[] BadStrings =
    [
        ("\u0000", "NUL (U+0000)"), ("a\u0000b", "embedded NUL"), ("\u0001", "control character U+0001"),
        ("\u202Eevil", "right-to-left override U+202E"), ("%_\\", "LIKE wildcards % _ \\"), ("'; --", "SQL quote"),
        ("-1", "-1"), ("../../etc/passwd", "path traversal"), ("   ", "whitespace only"),
    ];

    private static (string Value, string Label)[] BadQueryValues(Schema s) => Schema.KindOf(s) switch
    {
        ValueKind.Integer or ValueKind.Number =>
        [
            ("-1", "-1"), ("0", "0"), ("2147483648", "int.MaxValue + 1"), ("9223372036854775807", "long.MaxValue"),
            ("99999999999999999999", "beyond long"), ("abc", "not a number"), ("1e308", "1e308"), ("NaN", "NaN"),
            ("", "empty"), ("1.5", "a fraction"), ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "a GUID where a number is expected"),
            ("\u0000", "NUL (U+0000)"),
        ],
        ValueKind.Boolean => [("maybe", "not a boolean"), ("2", "2"), ("", "empty"), ("\u0000", "NUL (U+0000)")],
        ValueKind.Date or ValueKind.DateTime =>
        [
            ("0001-01-01", "0001-01-01"), ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"), ("0001-01-01T00:00:00+14:00", "min date east of UTC"),
            ("9999-12-31T23:59:59-14:00", "max date west of UTC"), ("2026-02-30", "2026-02-30"), ("garbage", "garbage date"), ("", "empty"),
        ],
        ValueKind.Enum =>
        [
            ("NotAThing", "unknown enum name"), ("99", "undefined enum number"), ("-1", "negative enum number"), ("", "empty"),
            ("1.5", "a fraction"), ("\u0000", "NUL (U+0000)"),
            (string.Join(",", s.Enum!.OfType<JsonValue>().Take(2).Select(v => v.GetValue<string>())), "comma-joined enum names"),
        ],
        _ => [.. BadStrings, (new string('x', HugeUrl), $"huge string ({HugeUrl:N0} chars)"), ("", "empty")],
    };

    private void AddQueryCases(Op op, string? body)
    {
        var query = op.Parameters.Where(p => p.In == "query").ToList();
        if (query.Count == 0)
            return;
        var contentType = body is null ? null : "application/json";
        if (query.Any(p => !p.Required))
            Add(op, "query", "every parameter valid", op.PathValues, query.ToDictionary(p => p.Name, p => ValidQuery(op, p)), body, contentType);
        foreach (var p in query)
        {
            var location = $"query.{p.Name}";
            foreach (var (value, label) in BadQueryValues(p.Schema))
                Add(op, location, label, op.PathValues, new Dictionary<string, string>(op.RequiredQuery) { [p.Name] = value }, body, contentType);
            if (p.Required)
                Add(op, location, "missing required parameter", op.PathValues, op.RequiredQuery.Where(q => q.Key != p.Name).ToDictionary(), body, contentType);
            var valid = Uri.EscapeDataString(ValidQuery(op, p));
            // The raw query carries the parameter twice; written as one entry whose value holds the second copy.
            Add(op, location, "given twice", op.PathValues,
                new Dictionary<string, string> { [p.Name] = $"{valid}&{Uri.EscapeDataString(p.Name)}={valid}" }
                    .Concat(op.RequiredQuery.Where(q => q.Key != p.Name).Select(q => KeyValuePair.Create(q.Key, Uri.EscapeDataString(q.Value)))).ToDictionary(),
                body, contentType, rawQuery: true);
            Add(op, location, "bad percent-encoding (%ZZ)", op.PathValues,
                new Dictionary<string, string> { [p.Name] = "%ZZ" }
                    .Concat(op.RequiredQuery.Where(q => q.Key != p.Name).Select(q => KeyValuePair.Create(q.Key, Uri.EscapeDataString(q.Value)))).ToDictionary(),
                body, contentType, rawQuery: true);
        }
    }

    private void AddPathCases(Op op, string? body)
    {
        var contentType = body is null ? null : "application/json";
        foreach (var p in op.Parameters.Where(p => p.In == "path"))
        {
            var location = $"path.{p.Name}";
            foreach (var other in targets.PathValues(op.Name, p.Name).Skip(1))
                Add(op, location, "another real id", Set(op.PathValues, p.Name, Uri.EscapeDataString(other)), op.RequiredQuery, body, contentType);
            // No NUL in a path: Kestrel answers 400 for %00 in a path before the app sees it, and the test server throws.
            var bad = Schema.KindOf(p.Schema) switch
            {
                ValueKind.Integer => BadIds,
                ValueKind.Guid => BadGuids,
                _ => BadStrings.Where(b => !b.Value.Contains('\u0000')).ToArray(),
            };
            foreach (var (value, label) in bad.Append((new string('9', HugeUrl), $"huge ({HugeUrl:N0} digits)")))
                Add(op, location, label, Set(op.PathValues, p.Name, Uri.EscapeDataString(value)), op.RequiredQuery, body, contentType);
            Add(op, location, "bad percent-encoding (%ZZ)", Set(op.PathValues, p.Name, "%ZZ"), op.RequiredQuery, body, contentType);
        }
    }

    private static Dictionary<string, string> Set(Dictionary<string, string> values, string key, string value) =>
        new(values) { [key] = value };

    private void AddHeaderCases(Op op, string? body)
    {
        if (op.ETagFrom is null)
            return;
        var contentType = body is null ? null : "application/json";
        Add(op, "header.If-Match", "missing", op.PathValues, op.RequiredQuery, body, contentType);
        foreach (var (value, label) in new[]
                 {
                     ("\"1\"", "a stale ETag"), ("W/\"zz\"", "a weak non-numeric ETag"), ("*", "*"), ("\"99999999999\"", "beyond uint"),
                     ("\"-1\"", "negative"), ("garbage", "unquoted garbage"),
                 })
            Add(op, "header.If-Match", label, op.PathValues, op.RequiredQuery, body, contentType, headers: [KeyValuePair.Create("If-Match", value)]);
    }

    // ----- JSON bodies -----

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private string BaselineBody(Op op, Schema schema) => BaselineNode(op, schema).ToJsonString(Relaxed);

    /// <summary>The valid body of the operation. Its values meant to be unique (codes, e-mails) hold <see cref="Unique"/>,
    /// so that a malformed body the service accepts is not refused instead for a code taken by an earlier case, which
    /// would hide what the rest of the body does.</summary>
    private JsonNode BaselineNode(Op op, Schema schema) =>
        targets.Example(op.Name, schema.Name ?? "") ?? Example(schema, 0) ?? new JsonObject();

    private void AddBodyCases(Op op, Schema schema)
    {
        void Whole(string malformation, byte[] body, string? contentType = "application/json") =>
            Add(op, "body", malformation, op.PathValues, op.RequiredQuery, body, contentType);
        var valid = Encoding.UTF8.GetBytes(BaselineBody(op, schema));

        Whole("empty object {} (every field missing)", "{}"u8.ToArray());
        Whole("JSON null", "null"u8.ToArray());
        Whole("an array instead of an object", "[]"u8.ToArray());
        Whole("a string instead of an object", "\"abc\""u8.ToArray());
        Whole("a number instead of an object", "42"u8.ToArray());
        Whole("no body at all", []);
        Whole("whitespace only", "   "u8.ToArray());
        Whole("not JSON", "this is not json"u8.ToArray());
        foreach (var cut in new[] { 1, valid.Length / 2, valid.Length - 1 }.Select(c => Math.Clamp(c, 1, Math.Max(1, valid.Length - 1))).Distinct())
            Whole($"truncated JSON ({cut} of {valid.Length} bytes)", valid[..cut]);
        var randomCut = _random.Next(1, Math.Max(2, valid.Length - 1));
        Whole($"truncated JSON ({randomCut} of {valid.Length} bytes, seeded)", valid[..randomCut]);
        Whole("trailing garbage after the JSON", [.. valid, .. " }x"u8.ToArray()]);
        var text = schema.Properties.FirstOrDefault(p => Schema.KindOf(p.Schema) == ValueKind.String).Name;
        if (text is not null)
        {
            // Invalid UTF-8 inside the first string property of an otherwise valid body.
            var parts = Render(BaselineNode(op, schema), [text], "\"" + Marker + "\"", remove: false).Split(Marker);
            Whole($"invalid UTF-8 bytes in body.{text}", [.. Encoding.UTF8.GetBytes(parts[0]), 0xFF, 0xFE, 0xC3, .. Encoding.UTF8.GetBytes(parts[1])]);
        }
        Whole("nested 10,000 arrays deep", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)));
        Whole("a JSON comment", [.. "/* c */"u8.ToArray(), .. valid]);
        Whole("valid JSON as text/plain", valid, "text/plain");
        Whole("valid JSON without a content type", valid, null);
        Whole("valid JSON with an unknown charset", valid, "application/json; charset=bogus");
        Whole("valid JSON as UTF-16 declared", valid, "application/json; charset=utf-16");

        var root = BaselineNode(op, schema);
        Walk(op, schema, root, [], "body", 0);
    }

    /// <summary>Mutates the value at <paramref name="path"/> in the body (and what lies under it) one way at a time.</summary>
    private void Walk(Op op, Schema schema, JsonNode root, List<object> path, string location, int depth)
    {
        if (schema.IsObject)
        {
            foreach (var (name, property) in schema.Properties)
            {
                var child = new List<object>(path) { name };
                var childLocation = $"{location}.{name}";
                if (schema.Required.Contains(name) || Get(root, child) is not null)
                    AddBody(op, root, child, childLocation, "missing", remove: true);
                Leaf(op, property, root, child, childLocation, depth + 1);
            }
        }
    }

    private void Leaf(Op op, Schema schema, JsonNode root, List<object> path, string location, int depth)
    {
        var kind = Schema.KindOf(schema);
        AddBody(op, root, path, location, "null", raw: "null");
        foreach (var (raw, label) in WrongTypes(kind))
            AddBody(op, root, path, location, label, raw: raw);
        foreach (var (raw, label) in BadValues(schema, kind))
            AddBody(op, root, path, location, label, raw: raw);

        if (depth > 3)
            return;
        if (kind == ValueKind.Object)
        {
            var withObject = WithValue(root, path, Get(root, path) as JsonObject ?? Example(schema, 0) ?? new JsonObject());
            Walk(op, schema, withObject, path, location, depth);
        }
        else if (kind == ValueKind.Array && schema.Items is { } items)
        {
            // The elements are fuzzed in a body whose array has one valid element.
            var element = (Get(root, path) as JsonArray)?.FirstOrDefault()?.DeepClone() ?? Example(items, 0) ?? JsonValue.Create(1);
            var withOne = WithValue(root, path, new JsonArray(element));
            var elementPath = new List<object>(path) { 0 };
            var elementText = element.ToJsonString();
            AddBody(op, root, path, location, "1,000 copies of the element", raw: "[" + string.Join(",", Enumerable.Repeat(elementText, 1000)) + "]");
            AddBody(op, root, path, location, "the element twice", raw: $"[{elementText},{elementText}]");
            Leaf(op, items, withOne, elementPath, $"{location}[0]", depth + 1);
        }
    }

    private static IEnumerable<(string Raw, string Label)> WrongTypes(ValueKind kind)
    {
        var name = kind.ToString().ToLowerInvariant();
        if (kind is not (ValueKind.String or ValueKind.Date or ValueKind.DateTime or ValueKind.Guid or ValueKind.Enum))
            yield return ("\"abc\"", $"a string for a {name}");
        if (kind is not (ValueKind.Integer or ValueKind.Number))
            yield return ("12", $"a number for a {name}");
        if (kind is not ValueKind.Boolean)
            yield return ("true", $"a boolean for a {name}");
        yield return (kind == ValueKind.Object ? "{}" : "{\"a\":1}", kind == ValueKind.Object ? "an empty object" : $"an object for a {name}");
        if (kind is not ValueKind.Array)
            yield return ("[\"abc\"]", $"an array for a {name}");
    }

    private static IEnumerable<(string Raw, string Label)> BadValues(Schema schema, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.String:
                yield return (JsonSerializer.Serialize(new string('x', HugeBody)), $"huge string ({HugeBody:N0} chars)");
                yield return ("\"\\u0000\"", "NUL (U+0000)");
                yield return ("\"\\u0001\"", "control character U+0001");
                yield return ("\"\\u202Eevil\"", "right-to-left override U+202E");
                yield return ("\"\\uD800\"", "lone surrogate \\uD800");
                yield return ("\"a\u0001b\"", "unescaped control character in a JSON string");
                yield return ("\"\"", "empty string");
                yield return ("\"   \"", "whitespace only");
                break;
            case ValueKind.Integer:
                yield return ("1e308", "1e308");
                yield return ("-1", "-1");
                yield return ("0", "0");
                yield return ("9223372036854775807", "long.MaxValue");
                yield return ("2147483648", "int.MaxValue + 1");
                yield return ("2147483647", "int.MaxValue (no such row)");
                yield return ("99999999999999999999999", "beyond long");
                yield return ("1.5", "a fraction");
                yield return ("\"NaN\"", "NaN as a string");
                break;
            case ValueKind.Number:
                yield return ("1e308", "1e308");
                yield return ("-1", "-1");
                yield return ("0", "0");
                yield return ("9223372036854775807", "long.MaxValue");
                yield return ("79228162514264337593543950336", "beyond decimal");
                yield return ("1e-30", "1e-30");
                yield return ("12345678901234567.123456", "too many digits");
                yield return ("\"NaN\"", "NaN as a string");
                yield return ("\"Infinity\"", "Infinity as a string");
                break;
            case ValueKind.Boolean:
                yield return ("\"yes\"", "a word for a boolean");
                yield return ("1", "1 for a boolean");
                yield return ("\"true\"", "\"true\" as a string");
                break;
            case ValueKind.Date:
                yield return ("\"0001-01-01\"", "0001-01-01");
                yield return ("\"9999-12-31\"", "9999-12-31");
                yield return ("\"2026-02-30\"", "2026-02-30");
                yield return ("\"garbage\"", "garbage date");
                yield return ("\"\"", "empty date");
                yield return ("\"2026-06-15T10:00:00Z\"", "a date-time for a date");
                break;
            case ValueKind.DateTime:
                yield return ("\"0001-01-01T00:00:00Z\"", "0001-01-01T00:00:00Z");
                yield return ("\"9999-12-31T23:59:59Z\"", "9999-12-31T23:59:59Z");
                yield return ("\"0001-01-01T00:00:00+14:00\"", "min date east of UTC");
                yield return ("\"9999-12-31T23:59:59-14:00\"", "max date west of UTC");
                yield return ("\"2026-02-30T10:00:00Z\"", "2026-02-30");
                yield return ("\"garbage\"", "garbage date");
                yield return ("\"\"", "empty date");
                break;
            case ValueKind.Guid:
                yield return ("\"not-a-guid\"", "not a GUID");
                yield return ("\"00000000-0000-0000-0000-000000000000\"", "the empty GUID");
                break;
            case ValueKind.Enum:
                var names = schema.Enum!.OfType<JsonValue>().Select(v => v.GetValue<string>()).ToList();
                yield return ("\"NotAThing\"", "unknown enum name");
                yield return ("99", "undefined enum number");
                yield return ("-1", "negative enum number");
                yield return ("\"\"", "empty enum");
                if (names.Count >= 2)
                    yield return (JsonSerializer.Serialize($"{names[0]}, {names[1]}"), "comma-joined enum names");
                if (names.Count >= 1)
                    yield return (JsonSerializer.Serialize(names[0].ToLowerInvariant()), "lower-case enum name");
                break;
            case ValueKind.Array:
                yield return ("[null]", "a null element");
                yield return ("[]", "empty array");
                yield return (Schema.KindOf(schema.Items) is ValueKind.String or ValueKind.Enum ? "[12]" : "[\"abc\"]", "an element of the wrong type");
                break;
        }
    }

    private void AddBody(Op op, JsonNode root, List<object> path, string location, string malformation, string? raw = null, bool remove = false)
    {
        var body = Render(root, path, raw, remove);
        Add(op, location, malformation, op.PathValues, op.RequiredQuery, body, "application/json");
    }

    /// <summary>The body with the value at <paramref name="path"/> replaced by raw JSON text (which need not be valid) or removed.</summary>
    private static string Render(JsonNode root, List<object> path, string? raw, bool remove)
    {
        var copy = root.DeepClone();
        if (path.Count == 0)
            return raw ?? "";
        var parent = Navigate(copy, path.Take(path.Count - 1));
        var last = path[^1];
        if (parent is JsonObject o)
        {
            if (remove)
                o.Remove((string)last);
            else
                o[(string)last] = Marker;
        }
        else if (parent is JsonArray a && last is int i)
        {
            while (a.Count <= i)
                a.Add(null);
            if (remove)
                a.RemoveAt(i);
            else
                a[i] = Marker;
        }
        var text = copy.ToJsonString(Relaxed);
        return raw is null ? text : text.Replace($"\"{Marker}\"", raw, StringComparison.Ordinal);
    }

    private static JsonNode Navigate(JsonNode node, IEnumerable<object> path)
    {
        foreach (var step in path)
        {
            JsonNode? next;
            if (step is string key)
            {
                var o = node.AsObject();
                next = o[key];
                if (next is null)
                    o[key] = next = new JsonObject();
            }
            else
            {
                var a = node.AsArray();
                var i = (int)step;
                while (a.Count <= i)
                    a.Add(new JsonObject());
                next = a[i] ??= new JsonObject();
            }
            node = next;
        }
        return node;
    }

    private static JsonNode? Get(JsonNode root, List<object> path)
    {
        JsonNode? node = root;
        foreach (var step in path)
            node = step is string key ? (node as JsonObject)?[key] : node is JsonArray a && (int)step < a.Count ? a[(int)step] : null;
        return node;
    }

    private static JsonNode WithValue(JsonNode root, List<object> path, JsonNode value)
    {
        var copy = root.DeepClone();
        var parent = Navigate(copy, path.Take(path.Count - 1));
        if (parent is JsonObject o)
            o[(string)path[^1]] = value.Parent is null ? value : value.DeepClone();
        else if (parent is JsonArray a)
            a[(int)path[^1]] = value.Parent is null ? value : value.DeepClone();
        return copy;
    }

    /// <summary>A valid-looking value built from the schema alone.</summary>
    private static JsonNode? Example(Schema? s, int depth)
    {
        if (s is null || depth > 6)
            return null;
        return Schema.KindOf(s) switch
        {
            ValueKind.Enum => s.Enum!.OfType<JsonValue>().FirstOrDefault()?.DeepClone(),
            ValueKind.Integer => JsonValue.Create(1),
            ValueKind.Number => JsonValue.Create(1.5m),
            ValueKind.Boolean => JsonValue.Create(true),
            ValueKind.Date => JsonValue.Create("2026-06-15"),
            ValueKind.DateTime => JsonValue.Create("2026-06-15T10:00:00+08:00"),
            ValueKind.Guid => JsonValue.Create(Guid.Empty.ToString()),
            ValueKind.String => JsonValue.Create("fuzz"),
            ValueKind.Array => new JsonArray(Example(s.Items, depth + 1)),
            ValueKind.Object => new JsonObject(s.Properties.Select(p => KeyValuePair.Create(p.Name, Example(p.Schema, depth + 1)))),
            _ => null,
        };
    }

    // ----- multipart bodies -----

    private void AddMultipartCases(Op op, Schema schema)
    {
        // The JSON part is named after the schema: ReportInput → "report", InspectionInput → "inspection"
        // (the service's EvidenceForm reads that part and the files in parts named "files").
        var part = (schema.Name ?? "document").Replace("Input", "", StringComparison.Ordinal).ToLowerInvariant();
        var json = BaselineBody(op, schema);
        var boundary = $"fuzz-boundary-{_random.Next(100_000, 999_999)}";
        var type = $"multipart/form-data; boundary={boundary}";

        static byte[] Field(string boundary, string name, string value, string? contentType = "application/json") =>
            Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n"
                + (contentType is null ? "" : $"Content-Type: {contentType}\r\n") + $"\r\n{value}\r\n");
        static byte[] File(string boundary, string fileName, string contentType, byte[] data) =>
            [.. Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{fileName}\"\r\nContent-Type: {contentType}\r\n\r\n"),
                .. data, .. "\r\n"u8.ToArray()];
        static byte[] End(string boundary) => Encoding.UTF8.GetBytes($"--{boundary}--\r\n");
        void Multipart(string malformation, string contentType, params byte[][] parts) =>
            Add(op, "multipart", malformation, op.PathValues, op.RequiredQuery, parts.SelectMany(p => p).ToArray(), contentType);

        var jsonPart = Field(boundary, part, json);
        var png = File(boundary, "site.png", "image/png", Png);
        Multipart($"valid: the {part} part and a PNG", type, jsonPart, png, End(boundary));
        Multipart($"valid: the {part} part only", type, jsonPart, End(boundary));
        Multipart("the boundary in the header does not match the body", "multipart/form-data; boundary=not-the-boundary", jsonPart, png, End(boundary));
        Multipart("no closing boundary", type, jsonPart, png);
        Multipart("no closing boundary after the JSON part", type, Field(boundary, part, json));
        Multipart("cut off in the middle of a file", type, jsonPart, png[..(png.Length - 8)]);
        Multipart("no boundary parameter", "multipart/form-data", jsonPart, End(boundary));
        Multipart("an empty boundary parameter", "multipart/form-data; boundary=", jsonPart, End(boundary));
        var longBoundary = new string('b', 200);
        Multipart("a boundary longer than 70 characters", $"multipart/form-data; boundary={longBoundary}", Field(longBoundary, part, json), End(longBoundary));
        Multipart("an empty body", type);
        Multipart("only the closing boundary", type, End(boundary));
        Multipart("garbage instead of parts", type, "this is not multipart"u8.ToArray());
        Multipart($"the {part} part is not JSON", type, Field(boundary, part, "this is not json"), End(boundary));
        Multipart($"the {part} part is empty", type, Field(boundary, part, ""), End(boundary));
        Multipart($"the {part} part is truncated JSON", type, Field(boundary, part, json[..(json.Length / 2)]), End(boundary));
        Multipart($"the {part} part is JSON null", type, Field(boundary, part, "null"), End(boundary));
        Multipart($"the {part} part is a JSON array", type, Field(boundary, part, "[]"), End(boundary));
        Multipart($"the {part} part is missing (a file only)", type, png, End(boundary));
        Multipart($"the {part} part twice", type, jsonPart, jsonPart, End(boundary));
        Multipart($"the {part} part sent as a file", type,
            File(boundary, "report.json", "application/json", Encoding.UTF8.GetBytes(json)), End(boundary));
        Multipart($"the {part} part as text/plain", type, Field(boundary, part, json, "text/plain"), End(boundary));
        Multipart("a file with a bad content type (an executable)", type, jsonPart,
            File(boundary, "setup.exe", "application/x-msdownload", [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0]), End(boundary));
        Multipart("a file declared image/png that is text", type, jsonPart, File(boundary, "site.png", "image/png", "hello, not a picture"u8.ToArray()), End(boundary));
        Multipart("an empty file", type, jsonPart, File(boundary, "empty.png", "image/png", []), End(boundary));
        Multipart("a file with a garbage content type", type, jsonPart, File(boundary, "site.png", "not/a/type;;", Png), End(boundary));
        Multipart("a file name with control characters", type, jsonPart, File(boundary, "a\u0001b\u202E.png", "image/png", Png), End(boundary));
        Multipart("a file name with a path", type, jsonPart, File(boundary, "../../etc/passwd.png", "image/png", Png), End(boundary));
        Multipart("a file name of 20,000 characters", type, jsonPart, File(boundary, new string('n', 20_000) + ".png", "image/png", Png), End(boundary));
        Multipart("a file without a file name", type, jsonPart,
            Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"\r\nContent-Type: image/png\r\n\r\n"), Png, "\r\n"u8.ToArray(),
            End(boundary));
        Multipart("four files (one over the limit)", type, jsonPart, png, png, png, png, End(boundary));
        Multipart("a file one byte over 1 MiB", type, jsonPart,
            File(boundary, "big.png", "image/png", [.. Png, .. new byte[1024 * 1024 + 1 - Png.Length]]), End(boundary));
        Multipart("a part without Content-Disposition", type,
            Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Type: application/json\r\n\r\n{json}\r\n"), End(boundary));
        Multipart("a part header without a colon", type,
            Encoding.UTF8.GetBytes($"--{boundary}\r\nthis is no header\r\n\r\n{json}\r\n"), End(boundary));
        Multipart("multipart/mixed instead of form-data", $"multipart/mixed; boundary={boundary}", jsonPart, End(boundary));
        Add(op, "multipart", "form-urlencoded instead of multipart", op.PathValues, op.RequiredQuery,
            Encoding.UTF8.GetBytes($"{part}={Uri.EscapeDataString(json)}"), "application/x-www-form-urlencoded");

        // Some of the JSON body's malformations, sent in the multipart part instead (seeded picks).
        var bodyCases = _cases.Where(c => c.Operation == op.Name && c.Location.StartsWith("body.", StringComparison.Ordinal) && c.Body is not null).ToList();
        foreach (var pick in Enumerable.Range(0, Math.Min(12, bodyCases.Count)).Select(_ => bodyCases[_random.Next(bodyCases.Count)]).Distinct().ToList())
            Add(op, $"multipart {part} part, {pick.Location}", pick.Malformation, op.PathValues, op.RequiredQuery,
                [.. Field(boundary, part, Encoding.UTF8.GetString(pick.Body!)), .. png, .. End(boundary)], type);
    }

    // ----- schemas -----

    public enum ValueKind { Unknown, Enum, Integer, Number, Boolean, Date, DateTime, Guid, String, Array, Object }

    private sealed class Schema
    {
        public string? Name;
        public HashSet<string> Types = [];
        public string? Format;
        public List<JsonNode?>? Enum;
        public Schema? Items;
        public List<(string Name, Schema Schema)> Properties = [];
        public HashSet<string> Required = [];

        public bool IsObject => Types.Contains("object") || Properties.Count > 0;

        public static ValueKind KindOf(Schema? s)
        {
            if (s is null)
                return ValueKind.Unknown;
            if (s.Enum is not null)
                return ValueKind.Enum;
            if (s.Types.Contains("array"))
                return ValueKind.Array;
            if (s.IsObject)
                return ValueKind.Object;
            if (s.Types.Contains("integer"))
                return ValueKind.Integer;
            if (s.Types.Contains("number"))
                return ValueKind.Number;
            if (s.Types.Contains("boolean"))
                return ValueKind.Boolean;
            return s.Format switch
            {
                "date" => ValueKind.Date,
                "date-time" => ValueKind.DateTime,
                "uuid" => ValueKind.Guid,
                _ => s.Types.Contains("string") ? ValueKind.String : ValueKind.Unknown,
            };
        }

        public static Schema Resolve(JsonNode document, JsonNode? node, int depth)
        {
            var schema = new Schema();
            if (node is not JsonObject o || depth > 8)
                return schema;
            if (o["$ref"]?.GetValue<string>() is { } reference)
            {
                var name = reference.Split('/')[^1];
                var resolved = Resolve(document, document["components"]?["schemas"]?[name], depth + 1);
                resolved.Name = name;
                return resolved;
            }
            foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
            {
                if (o[key] is not JsonArray members)
                    continue;
                foreach (var member in members)
                {
                    if (member?["type"]?.GetValueKind() == JsonValueKind.String && member["type"]!.GetValue<string>() == "null")
                    {
                        schema.Types.Add("null");
                        continue;
                    }
                    var inner = Resolve(document, member, depth + 1);
                    schema.Name ??= inner.Name;
                    schema.Types.UnionWith(inner.Types);
                    schema.Format ??= inner.Format;
                    schema.Enum ??= inner.Enum;
                    schema.Items ??= inner.Items;
                    if (schema.Properties.Count == 0)
                        schema.Properties = inner.Properties;
                    schema.Required.UnionWith(inner.Required);
                }
            }
            switch (o["type"])
            {
                case JsonArray types:
                    schema.Types.UnionWith(types.Select(t => t!.GetValue<string>()));
                    break;
                case JsonValue type:
                    schema.Types.Add(type.GetValue<string>());
                    break;
            }
            schema.Format ??= o["format"]?.GetValue<string>();
            if (o["enum"] is JsonArray values)
            {
                schema.Enum = [.. values.Where(v => v is not null).Select(v => v!.DeepClone())];
                if (values.Any(v => v is null))
                    schema.Types.Add("null");
            }
            if (o["items"] is { } items)
                schema.Items = Resolve(document, items, depth + 1);
            if (o["properties"] is JsonObject properties)
                schema.Properties = [.. properties.Select(p => (p.Key, Resolve(document, p.Value, depth + 1)))];
            if (o["required"] is JsonArray required)
                schema.Required.UnionWith(required.Select(r => r!.GetValue<string>()));
            return schema;
        }
    }

    /// <summary>A short, printable form of a body: control characters escaped, long runs of one character counted.</summary>
    public static string Excerpt(byte[]? body, int max = 240)
    {
        if (body is null)
            return "(no body)";
        if (body.Length == 0)
            return "(empty body)";
        var text = Encoding.UTF8.GetString(body);
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length && sb.Length < max; i++)
        {
            var c = text[i];
            var run = 1;
            while (i + run < text.Length && text[i + run] == c)
                run++;
            if (run > 12)
            {
                sb.Append(Printable(c)).Append("×").Append(run.ToString("N0", CultureInfo.InvariantCulture));
                i += run - 1;
                continue;
            }
            sb.Append(Printable(c));
        }
        if (sb.Length >= max)
            sb.Append($"… ({body.Length:N0} bytes)");
        return sb.ToString();
    }

    private static string Printable(char c) => c switch
    {
        '\r' => "",
        '\n' => "↵",
        _ => char.IsControl(c) || c is '\u202E' or '\uFFFD' || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString(),
    };
}
