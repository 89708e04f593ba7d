using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Tracker.Web.Infrastructure;

/// <summary>
/// Retries what is safe to retry when PostgreSQL restarts or a connection breaks: reads, and statements run outside
/// a transaction with nothing of ours pending. A write (SaveChanges with pending changes) or anything inside an explicit
/// transaction runs once: if its commit's answer was lost, running it again could write it twice, so it fails and the
/// client is answered 503 to retry the whole request. Four tries over about three seconds cover a restart (~0.6 s here).
/// </summary>
internal sealed class ReadRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount: 4, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null)
{
    public override TResult Execute<TState, TResult>(
        TState state, Func<DbContext, TState, TResult> operation, Func<DbContext, TState, ExecutionResult<TResult>>? verifySucceeded) =>
        SafeToRetry ? base.Execute(state, operation, verifySucceeded) : operation(Dependencies.CurrentContext.Context, state);

    public override Task<TResult> ExecuteAsync<TState, TResult>(
        TState state, Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded, CancellationToken cancellationToken = default) =>
        SafeToRetry
            ? base.ExecuteAsync(state, operation, verifySucceeded, cancellationToken)
            : operation(Dependencies.CurrentContext.Context, state, cancellationToken);

    private bool SafeToRetry
    {
        get
        {
            var context = Dependencies.CurrentContext.Context;
            return context.Database.CurrentTransaction is null && !context.ChangeTracker.HasChanges();
        }
    }
}
