using System.Diagnostics;

namespace Tracker.Benchmarks;

/// <summary>The highest managed heap and working set seen while a sampler ran.</summary>
public sealed record MemoryPeaks(long ManagedBytes, long WorkingSetBytes);

/// <summary>Samples the managed heap (GC.GetTotalMemory) and the process's working set every 50 ms and keeps the maxima.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private long _managed;
    private long _workingSet;

    private MemorySampler()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
    }

    public static MemorySampler Start() => new();

    public MemoryPeaks Stop()
    {
        _timer.Dispose();
        Sample();
        lock (_lock)
            return new MemoryPeaks(_managed, _workingSet);
    }

    private void Sample()
    {
        lock (_lock)
        {
            _managed = Math.Max(_managed, GC.GetTotalMemory(forceFullCollection: false));
            _process.Refresh();
            _workingSet = Math.Max(_workingSet, _process.WorkingSet64);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _process.Dispose();
    }
}
