using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Tracker.Domain;
using Tracker.Web.Infrastructure;

namespace Tracker.Web.Features.Progress;

/// <summary>
/// Reads a request that carries a JSON document and, optionally, evidence files: plain JSON, or
/// multipart/form-data with the JSON in a named part and the files in parts named <c>files</c>.
/// Files are checked by size and by their bytes before anything is written.
/// </summary>
public static class EvidenceForm
{
    public static async Task<(T Input, List<Attachment> Files)> ReadAsync<T>(
        HttpRequest request, string part, UploadOptions limits, JsonSerializerOptions json, CancellationToken ct) where T : class
    {
        if (request.HasJsonContentType())
            return (await Deserialize(part, () => request.ReadFromJsonAsync<T>(json, ct).AsTask()), []);

        if (!MultipartForms.IsMultipart(request))
            throw new BadHttpRequestException($"Send the {part} as application/json, or as multipart/form-data with a '{part}' part and 'files'.",
                StatusCodes.Status415UnsupportedMediaType);

        var form = await MultipartForms.ReadAsync(request, ct);

        var document = form[part].ToString();
        if (string.IsNullOrWhiteSpace(document))
            throw new ValidationException([new ValidationFailure(part, $"The '{part}' part with the {part} as JSON is required.")]);
        var input = await Deserialize(part, () => Task.FromResult(JsonSerializer.Deserialize<T>(document, json)));

        return (input, await ReadFilesAsync(form.Files, limits, part, ct));
    }

    /// <summary>Checks evidence files by count, size and their bytes (not their names or declared types) and reads them.</summary>
    public static async Task<List<Attachment>> ReadFilesAsync(IReadOnlyCollection<IFormFile> upload, UploadOptions limits, string part, CancellationToken ct)
    {
        if (upload.Count > limits.MaxFiles)
            throw new ValidationException([new ValidationFailure("files", $"At most {limits.MaxFiles} files per {part}.")
            {
                ErrorCode = ErrorCodes.TooManyFiles,
                CustomState = new object[] { limits.MaxFiles },
            }]);
        var files = new List<Attachment>();
        foreach (var file in upload)
        {
            if (file.Length > limits.MaxFileBytes)
                throw new UploadRefusedException(ErrorCodes.FileTooLarge, [Evidence.SafeName(file.FileName, ""), file.Length, limits.MaxFileBytes],
                    $"'{Evidence.SafeName(file.FileName, "")}' is {file.Length:N0} bytes; a file may have at most {limits.MaxFileBytes:N0}.",
                    StatusCodes.Status413PayloadTooLarge);
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            var data = buffer.ToArray();
            var kind = Evidence.Sniff(data.AsSpan(0, Math.Min(data.Length, 16)))
                ?? throw new UploadRefusedException(ErrorCodes.FileType, [Evidence.SafeName(file.FileName, ""), string.Join(", ", Evidence.AllowedTypes)],
                    $"'{Evidence.SafeName(file.FileName, "")}' is not one of: {string.Join(", ", Evidence.AllowedTypes)}.",
                    StatusCodes.Status415UnsupportedMediaType);
            files.Add(Evidence.ToAttachment(data, file.FileName, kind));
        }
        return files;
    }


    private static async Task<T> Deserialize<T>(string part, Func<Task<T?>> read) where T : class
    {
        try
        {
            return await read() ?? throw new BadHttpRequestException($"The {part} is empty.");
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException($"The {part} is not valid JSON: {e.Message}");
        }
    }
}

/// <summary>An evidence file refused for its size or type (413, 415), with a code and figures for a page to say it in its words.</summary>
public sealed class UploadRefusedException(string code, IReadOnlyList<object> args, string message, int statusCode)
    : BadHttpRequestException(message, statusCode)
{
    public string Code { get; } = code;
    public IReadOnlyList<object> Args { get; } = args;
}
