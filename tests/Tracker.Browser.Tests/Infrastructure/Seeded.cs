using System.IO.Compression;
using Microsoft.EntityFrameworkCore;

namespace Tracker.Browser.Tests.Infrastructure;

/// <summary>Look-ups of seeded rows by their codes, counts to check what a form left behind, and a real PNG to upload.</summary>
public static class Seeded
{
    public static async Task<long> ItemIdAsync(this BrowserApp app, string code)
    {
        await using var db = app.Db();
        return await db.Initiatives.Where(i => i.Code == code).Select(i => i.Id).SingleAsync();
    }

    public static async Task<int> JurisdictionIdAsync(this BrowserApp app, string code)
    {
        await using var db = app.Db();
        return await db.Jurisdictions.Where(j => j.Code == code).Select(j => j.Id).SingleAsync();
    }

    public static async Task<int> DepartmentIdAsync(this BrowserApp app, string code)
    {
        await using var db = app.Db();
        return await db.Departments.Where(d => d.Code == code).Select(d => d.Id).SingleAsync();
    }

    public static async Task<int> ReportCountAsync(this BrowserApp app, long initiativeId)
    {
        await using var db = app.Db();
        return await db.ProgressReports.CountAsync(r => r.InitiativeId == initiativeId);
    }

    /// <summary>A real PNG (a filled rectangle) that a browser decodes, built byte by byte.</summary>
    public static byte[] Png(int width = 48, int height = 36, byte r = 0x2e, byte g = 0x7d, byte b = 0x32)
    {
        var raw = new byte[height * (1 + width * 3)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + width * 3);
            raw[row] = 0; // no filter
            for (var x = 0; x < width; x++)
                (raw[row + 1 + x * 3], raw[row + 2 + x * 3], raw[row + 3 + x * 3]) = (r, g, b);
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(raw);

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", [.. BigEndian(width), .. BigEndian(height), 8, 2, 0, 0, 0]);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        byte[] typed = [.. type.Select(c => (byte)c), .. data];
        png.Write(BigEndian(data.Length));
        png.Write(typed);
        png.Write(BigEndian((int)Crc32(typed)));
    }

    private static byte[] BigEndian(int v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var x in bytes)
        {
            crc ^= x;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
