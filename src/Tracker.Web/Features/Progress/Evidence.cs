using System.Globalization;
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

    /// <summary>
    /// The client's file name reduced to its last segment, without control, format or path characters, with the real extension.
    /// Format characters include the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks
    /// (U+200E/U+200F), which would let "photo\u202Egpj.exe" show as "photoexe.jpg" wherever the name is displayed.
    /// </summary>
    public static string SafeName(string? clientName, string extension)
    {
        var name = Path.GetFileNameWithoutExtension((clientName ?? "").Replace('\\', '/').Split('/')[^1]);
        var clean = new StringBuilder();
        // By code point, so that a character outside the BMP (a rare Chinese character, say) stays whole, and a lone
        // surrogate (which EnumerateRunes turns into U+FFFD) goes.
        foreach (var rune in name.EnumerateRunes())
            if (!IsInvisibleOrControl(rune) && !(rune.IsBmp && (char)rune.Value is '"' or '<' or '>' or ':' or '|' or '?' or '*' or ';'))
                clean.Append(rune.ToString());
        var stem = clean.ToString().Normalize(NormalizationForm.FormC).Trim().Trim('.');
        if (stem.Length == 0)
            stem = "evidence";
        // At most 100 UTF-16 units, never half of a surrogate pair.
        if (stem.Length > 100)
            stem = stem[..(char.IsHighSurrogate(stem[99]) ? 99 : 100)];
        return stem + extension;
    }

    // Cc (C0/C1 controls), Cf (bidi controls, zero-width characters, the BOM, soft hyphen), Zl/Zp (line and paragraph
    // separators), Co (private use), Cn (unassigned) and U+FFFD (what a broken character decoded to): nothing a file name needs.
    private static bool IsInvisibleOrControl(Rune rune) => rune == Rune.ReplacementChar || Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

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
