using Hangfire.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Tracker.Web.Features.Reminders;

/// <summary>
/// Hangfire logs through one process-wide provider. This one writes to the host's logging and, when
/// that host is gone (several hosts in one test process), quietly drops instead of throwing.
/// </summary>
internal sealed class HangfireLogBridge(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new ForwardingLog(factory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new ForwardingLog(NullLogger.Instance);
        }
    }

    private sealed class ForwardingLog(ILogger logger) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                HangfireLevel.Trace => LogLevel.Trace,
                HangfireLevel.Debug => LogLevel.Debug,
                HangfireLevel.Info => LogLevel.Information,
                HangfireLevel.Warn => LogLevel.Warning,
                HangfireLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (messageFunc is null)
                return logger.IsEnabled(level);
            logger.Log(level, exception, "{Message}", messageFunc());
            return true;
        }
    }
}
