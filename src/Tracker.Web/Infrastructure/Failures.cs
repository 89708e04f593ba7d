using Microsoft.EntityFrameworkCore;
using Npgsql;
using Tracker.Domain;

namespace Tracker.Web.Infrastructure;

/// <summary>What a failure that is not a refused rule means for the one who asked: their input, or a passing outage.</summary>
public static class Failures
{
    /// <summary>What a 503 asks the client to wait: a PostgreSQL restart takes about a second.</summary>
    public const int RetryAfterSeconds = 2;

    /// <summary>PostgreSQL is restarting or out of reach (connection refused or cut, "shutting down", "starting up").</summary>
    public static bool IsTransient(Exception e) => Chain(e).Any(x => x is NpgsqlException { IsTransient: true }
        or Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException);

    /// <summary>Text PostgreSQL cannot store or index (a character it refuses, a value too long for an index): the input's fault.</summary>
    public static bool IsUnstorableInput(Exception e) => Chain(e).Any(x => x is PostgresException
    {
        SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter or PostgresErrorCodes.ProgramLimitExceeded
            or PostgresErrorCodes.StringDataRightTruncation or PostgresErrorCodes.NumericValueOutOfRange or PostgresErrorCodes.DatetimeFieldOverflow
    });

    /// <summary>The status a failure answers with when it is not a server fault; null when it is one (500).</summary>
    public static int? StatusOf(Exception e) => e switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when IsTransient(e) => StatusCodes.Status503ServiceUnavailable,
        _ when IsUnstorableInput(e) => StatusCodes.Status400BadRequest,
        // A multipart body cut short or with a boundary that does not match, read by model binding or anti-forgery.
        InvalidDataException or IOException => StatusCodes.Status400BadRequest,
        _ => null,
    };

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e;
    }
}

public static class UniqueSave
{
    /// <summary>
    /// Saves a row whose uniqueness the database guards (one open notice per item, one ballot or rating per deputy): when
    /// a racing request got there first, the row is let go and <paramref name="duplicate"/> is thrown (409), not a 500.
    /// </summary>
    public static async Task SaveUniqueAsync(this DbContext db, object added, Func<DomainException> duplicate, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.Entry(added).State = EntityState.Detached;
            throw duplicate();
        }
    }
}
