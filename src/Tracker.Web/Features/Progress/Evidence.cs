using System.Security.Cryptography;
using System.Text;
using Tracker.Domain;

namespace Tracker.Web.Features.Progress;

/// <summary>
/// Checks evidence files by their bytes, not by the name or content type the client claims, and
/// gives them a safe name.
/// </summary>
public static class Evidence
{
    private static readonly (string ContentType, string Extension, byte[] Magic, int Offset)[] Signatures =
    [
        ("image/jpeg", ".jpg", [0xFF, 0xD8, 0xFF], 0),
        ("image/png", ".png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 0),
        ("image/webp", ".webp", "WEBP"u8.ToArray(), 8),
        ("application/pdf", ".pdf", "%PDF-"u8.ToArray(), 0),
    ];

    public static IReadOnlyList<string> AllowedTypes { get; } = [.. Signatures.Select(s => s.ContentType)];

    /// <summary>The content type the bytes show, or null when they are none of the allowed kinds.</summary>
    public static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> head)
    {
        foreach (var (type, ext, magic, offset) in Signatures)
            if (head.Length >= offset + magic.Length && head.Slice(offset, magic.Length).SequenceEqual(magic))
                return (type, ext);
        return null;
    }

    /// <summary>The client's file name reduced to its last segment, without control or path characters, with the real extension.</summary>
    public static string SafeName(string? clientName, string extension)
    {
        var name = Path.GetFileNameWithoutExtension((clientName ?? "").Replace('\\', '/').Split('/')[^1]);
        var clean = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormC))
            if (!char.IsControl(c) && c is not ('"' or '<' or '>' or ':' or '|' or '?' or '*' or ';'))
                clean.Append(c);
        var stem = clean.ToString().Trim().Trim('.');
        if (stem.Length == 0)
            stem = "evidence";
        return (stem.Length > 100 ? stem[..100] : stem) + extension;
    }

    public static Attachment ToAttachment(byte[] data, string? clientName, (string ContentType, string Extension) kind) => new()
    {
        Id = Guid.CreateVersion7(),
        FileName = SafeName(clientName, kind.Extension),
        ContentType = kind.ContentType,
        Size = data.Length,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(data)),
        Content = new AttachmentContent { Data = data },
    };
}
