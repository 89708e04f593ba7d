using FluentValidation;
using FluentValidation.Results;

namespace Tracker.Web.Infrastructure;

/// <summary>The sheet of an import form: one file in the <c>file</c> part; a body that is not such a form is a 415.</summary>
public static class SheetUpload
{
    public static async Task<IFormFile> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (!MultipartForms.IsMultipart(request))
            throw new BadHttpRequestException("Send the sheet as multipart/form-data, in a part named 'file'.", StatusCodes.Status415UnsupportedMediaType);
        var form = await MultipartForms.ReadAsync(request, ct);
        return form.Files.GetFile("file") is { Length: > 0 } file
            ? file
            : throw new ValidationException([new ValidationFailure("file", "Attach the sheet (.xlsx or .csv) in a part named 'file'.")]);
    }
}
