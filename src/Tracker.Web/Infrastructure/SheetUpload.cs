using FluentValidation;
using FluentValidation.Results;

namespace Tracker.Web.Infrastructure;

/// <summary>The sheet of an import form: one file in the <c>file</c> part; a body that is not such a form is a 415, a broken one a 400.</summary>
public static class SheetUpload
{
    public static async Task<IFormFile> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new BadHttpRequestException("Send the sheet as multipart/form-data, in a part named 'file'.", StatusCodes.Status415UnsupportedMediaType);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException(e.Message, StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new BadHttpRequestException($"The multipart body could not be read: {e.Message}", StatusCodes.Status400BadRequest);
        }
        return form.Files.GetFile("file") is { Length: > 0 } file
            ? file
            : throw new ValidationException([new ValidationFailure("file", "Attach the sheet (.xlsx or .csv) in a part named 'file'.")]);
    }
}
