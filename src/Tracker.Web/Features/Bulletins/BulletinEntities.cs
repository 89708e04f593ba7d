using Tracker.Domain;

namespace Tracker.Web.Features.Bulletins;

/// <summary>
/// An issued bulletin (通报), stored whole and never changed: its figures as they stood on the day it was issued
/// (<see cref="Content"/>, JSON), its number, and for a special one its title and text. Withdrawal marks it, with the
/// reason; nothing else is ever written to it (the database refuses).
/// </summary>
public sealed class Bulletin
{
    public long Id { get; set; }
    public int JurisdictionId { get; set; }
    public BulletinKind Kind { get; set; }

    /// <summary>The period's key (<see cref="BulletinPeriod.Key"/>), or a special bulletin's own number: unique per jurisdiction and kind.</summary>
    public required string PeriodKey { get; set; }

    public int Year { get; set; }
    public int Number { get; set; }
    public required string Title { get; set; }

    /// <summary>A special bulletin's own text; empty for the recurring ones.</summary>
    public string Text { get; set; } = "";

    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    public DateOnly IssuedOn { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public required string IssuedBy { get; set; }
    public required string Content { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnBy { get; set; }
    public string? WithdrawnReason { get; set; }
}

/// <summary>Which recurring bulletins a jurisdiction issues (none unless switched on).</summary>
public sealed class BulletinSetting
{
    public int JurisdictionId { get; set; }
    public bool Daily { get; set; }
    public bool Weekly { get; set; }
    public bool Monthly { get; set; }

    public bool Issues(BulletinKind kind) => kind switch
    {
        BulletinKind.Daily => Daily,
        BulletinKind.Weekly => Weekly,
        BulletinKind.Monthly => Monthly,
        _ => false,
    };
}
