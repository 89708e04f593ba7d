namespace Tracker.Web.Infrastructure;

/// <summary>Reads a multipart form once for every upload (evidence, sheets): over the limit is a 413, a broken body a 400.</summary>
public static class MultipartForms
{
    public static bool IsMultipart(HttpRequest request) =>
        request.HasFormContentType && request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException(e.Message, StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A boundary that does not match, or a body that ends before its closing boundary.
            throw new BadHttpRequestException($"The multipart body could not be read: {e.Message}", StatusCodes.Status400BadRequest);
        }
    }
}
