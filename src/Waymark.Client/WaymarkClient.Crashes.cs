using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Waymark.Client;

public sealed partial class WaymarkClient
{
    private int _capturing;

    /// <summary>
    /// Records crashes: an exception nobody caught (<see cref="AppDomain.UnhandledException"/>)
    /// becomes a fatal error, written to the queue on disk and forced to the
    /// device before the process dies, and sent by the next start. An exception
    /// of a task nobody awaited (<see cref="TaskScheduler.UnobservedTaskException"/>)
    /// becomes an error. Call once, early; undone by <see cref="DisposeAsync"/>.
    /// </summary>
    public void CaptureUnhandledExceptions()
    {
        if (Interlocked.Exchange(ref _capturing, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
            TaskScheduler.UnobservedTaskException += OnUnobservedTaskException;
        }
    }

    private void StopCapturing()
    {
        if (Interlocked.Exchange(ref _capturing, 0) == 1)
        {
            AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
            TaskScheduler.UnobservedTaskException -= OnUnobservedTaskException;
        }
    }

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is Exception ex)
        {
            // Synchronous: the process ends when this handler returns.
            RecordError(ex, fatal: e.IsTerminating, _currentAction.Value?.Id, crash: true);
        }
    }

    private void OnUnobservedTaskException(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        var ex = e.Exception.InnerExceptions.Count == 1 ? e.Exception.InnerExceptions[0] : e.Exception;
        RecordError(ex, fatal: false, actionId: null, crash: false);
    }

    /// <summary>
    /// The fingerprint: SHA-256 of the exception's type and its top five frames
    /// (method names only: line numbers move with every build, and compiler-made
    /// names lose their numbers). The source: the top frame, with file and line when known.
    /// </summary>
    internal static (string Fingerprint, string? Source) Describe(Exception exception)
    {
        var frames = new List<string>(5);
        string? source = null;
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            if (DiagnosticMethodInfo.Create(frame) is not { } method)
            {
                continue;
            }
            var type = method.DeclaringTypeName;
            if (type.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal) ||
                type.StartsWith("System.Runtime.ExceptionServices.", StringComparison.Ordinal))
            {
                continue;
            }
            var name = CleanFrame(type + "." + method.Name);
            source ??= frame.GetFileName() is { Length: > 0 } file
                ? $"{name} ({Path.GetFileName(file)}:{frame.GetFileLineNumber()})"
                : name;
            frames.Add(name);
            if (frames.Count == 5)
            {
                break;
            }
        }
        var text = (exception.GetType().FullName ?? exception.GetType().Name) + "\n" + string.Join('\n', frames);
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32], source);
    }

    /// <summary><c>Ns.Page+&lt;PayAsync&gt;d__5.MoveNext</c> → <c>Ns.Page.PayAsync</c>; <c>&lt;Main&gt;b__0_0</c> → <c>&lt;Main&gt;b__</c>.</summary>
    internal static string CleanFrame(string frame)
    {
        frame = GeneratedNumbers().Replace(frame, "__$1");
        return AsyncStateMachine().Replace(frame, ".$1");
    }

    [GeneratedRegex(@"__([A-Za-z]*)\d+(?:_\d+)?")]
    private static partial Regex GeneratedNumbers();

    [GeneratedRegex(@"\+<([^>]+)>d__\.MoveNext$")]
    private static partial Regex AsyncStateMachine();
}
