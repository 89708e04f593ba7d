using Tracker.Web.Features.Progress;

namespace Tracker.Web.Tests;

/// <summary>What is left of a client's file name: no path, no control or invisible formatting, the extension the bytes show.</summary>
public sealed class EvidenceNameTests
{
    public static TheoryData<string, string> Names() => new()
    {
        { "../../etc/passwd", "passwd.jpg" },
        { @"C:\Users\张三\现场照片.jpg", "现场照片.jpg" },
        { "a\u0000b\u001Fc\u007F\u0085d.png", "abcd.jpg" },
        // Right-to-left override: "photo‮gpj.exe" shows as "photoexe.jpg" where the name is displayed.
        { "photo\u202Egpj.exe", "photogpj.jpg" },
        { "\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee.jpg", "abcde.jpg" },
        { "\u2066a\u2067b\u2068c\u2069d.jpg", "abcd.jpg" },
        { "\u200Eleft\u200Fright.jpg", "leftright.jpg" },
        // Zero-width characters, the BOM, the soft hyphen, line and paragraph separators, private use.
        { "\u200Bz\u200Cw\u200Dj\uFEFFb\u00ADs\u2028l\u2029p\uE000.jpg", "zwjbslp.jpg" },
        // A lone surrogate goes; a character outside the BMP (a rare Chinese character) stays whole.
        { "x\uD800y\U00020000.jpg", "xy\U00020000.jpg" },
        { "\u202E\u202E.jpg", "evidence.jpg" },
        { "<script>:|?*;\".jpg", "script.jpg" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Control_format_and_path_characters_are_removed_from_evidence_file_names(string clientName, string expected) =>
        Assert.Equal(expected, Evidence.SafeName(clientName, ".jpg"));

    [Fact]
    public void A_long_name_is_cut_at_100_units_without_splitting_a_surrogate_pair()
    {
        var name = Evidence.SafeName(new string('a', 99) + "\U00020000\U00020000", ".pdf");
        Assert.Equal(new string('a', 99) + ".pdf", name);
    }
}
