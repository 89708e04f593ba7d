using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Tracker.Domain;
using Tracker.Web.Infrastructure;
using Tracker.Web.Infrastructure.Web;

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

        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new BadHttpRequestException($"Send the {part} as application/json, or as multipart/form-data with a '{part}' part and 'files'.",
                StatusCodes.Status415UnsupportedMediaType);

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e)
        {
            throw new BadHttpRequestException(e.Message, StatusCodes.Status413PayloadTooLarge);
        }

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
            throw new ValidationException([new ValidationFailure("files",
                PageLanguage.Say($"At most {limits.MaxFiles} files per {part}.", $"每次最多上传 {limits.MaxFiles} 个文件。"))]);
        var files = new List<Attachment>();
        foreach (var file in upload)
        {
            if (file.Length > limits.MaxFileBytes)
                throw new BadHttpRequestException(PageLanguage.Say(
                    $"'{Evidence.SafeName(file.FileName, "")}' is {file.Length:N0} bytes; a file may have at most {limits.MaxFileBytes:N0}.",
                    $"“{Evidence.SafeName(file.FileName, "")}”有 {file.Length:N0} 字节，每个文件最多 {limits.MaxFileBytes:N0} 字节。"),
                    StatusCodes.Status413PayloadTooLarge);
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            var data = buffer.ToArray();
            var kind = Evidence.Sniff(data.AsSpan(0, Math.Min(data.Length, 16)))
                ?? throw new BadHttpRequestException(PageLanguage.Say(
                    $"'{Evidence.SafeName(file.FileName, "")}' is not one of: {string.Join(", ", Evidence.AllowedTypes)}.",
                    $"“{Evidence.SafeName(file.FileName, "")}”不是可接受的文件（{string.Join("、", Evidence.AllowedTypes)}）。"),
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
