using System.ComponentModel;
using System.Diagnostics;
using EventLog = Waymark.Core.Mining.EventLog;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Waymark.Core.Mining;

namespace Waymark.Server.Mining;

/// <summary>
/// Lays out a process map with Graphviz <c>dot</c> (a real layout engine, run
/// on the server) and returns the SVG: edge thickness by frequency, edge colour
/// by median delay (green quick, red slow, relative to the slowest edge).
/// </summary>
public sealed class ProcessMapRenderer(IOptions<MiningOptions> options, ILogger<ProcessMapRenderer> logger)
{
    /// <summary>The SVG, or null when dot is not installed.</summary>
    public async Task<string?> RenderAsync(ProcessMap map, CancellationToken ct)
    {
        var dot = ToDot(map);
        var start = new ProcessStartInfo(options.Value.DotPath, "-Tsvg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("dot did not start");
        }
        catch (Win32Exception e)
        {
            logger.LogWarning("Graphviz dot is not available ({Message}); the process map is served as JSON only.", e.Message);
            return null;
        }
        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var errors = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.StandardInput.WriteAsync(dot.AsMemory(), timeout.Token);
                process.StandardInput.Close();
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException("dot failed: " + await errors);
                }
                var svg = await output;
                // Drop the XML prolog and DOCTYPE so the SVG can be placed inline in a page.
                var at = svg.IndexOf("<svg", StringComparison.Ordinal);
                return at > 0 ? svg[at..] : svg;
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    /// <summary>The map in the DOT language.</summary>
    public static string ToDot(ProcessMap map)
    {
        var sb = new StringBuilder();
        sb.AppendLine("digraph process {");
        sb.AppendLine("  rankdir=TB; bgcolor=\"transparent\"; nodesep=0.35; ranksep=0.45;");
        sb.AppendLine("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef2ff\", color=\"#4f46e5\", fontname=\"Helvetica\", fontsize=11];");
        sb.AppendLine("  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];");
        sb.AppendLine("  \"__start\" [shape=circle, label=\"\", width=0.25, fillcolor=\"#16a34a\", color=\"#16a34a\"];");
        sb.AppendLine("  \"__end\" [shape=doublecircle, label=\"\", width=0.2, fillcolor=\"#dc2626\", color=\"#dc2626\"];");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in map.Activities)
        {
            var id = "a" + ids.Count.ToString(CultureInfo.InvariantCulture);
            ids[a.Name] = id;
            sb.Append(CultureInfo.InvariantCulture, $"  {id} [label=\"{Escape(a.Name)}\\n{a.Frequency}\", tooltip=\"{Escape(a.Name)}: {a.Frequency}\"];\n");
        }
        var maxFrequency = Math.Max(1, map.Edges.Select(e => e.Frequency).DefaultIfEmpty(1).Max());
        var maxDelay = map.Edges.Select(e => e.Durations?.MedianSeconds ?? 0).DefaultIfEmpty(0).Max();
        foreach (var (name, count) in map.StartActivities)
        {
            if (ids.TryGetValue(name, out var id))
            {
                sb.Append(CultureInfo.InvariantCulture, $"  \"__start\" -> {id} [style=dashed, color=\"#9ca3af\", label=\"{count}\"];\n");
            }
        }
        foreach (var e in map.Edges)
        {
            if (!ids.TryGetValue(e.From, out var from) || !ids.TryGetValue(e.To, out var to))
            {
                continue;
            }
            var width = 1 + (7.0 * e.Frequency / maxFrequency);
            var delay = e.Durations?.MedianSeconds;
            var colour = Colour(delay is { } d && maxDelay > 0 ? d / maxDelay : 0);
            var label = delay is { } m ? $"{e.Frequency} · {Duration(m)}" : e.Frequency.ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"  {from} -> {to} [penwidth={width:0.##}, color=\"{colour}\", label=\"{label}\", tooltip=\"{Escape(e.From)} → {Escape(e.To)}: {label}\"];\n");
        }
        foreach (var (name, count) in map.EndActivities)
        {
            if (ids.TryGetValue(name, out var id))
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {id} -> \"__end\" [style=dashed, color=\"#9ca3af\", label=\"{count}\"];\n");
            }
        }
        sb.AppendLine("}");
        return sb.ToString();
    }

    /// <summary>Green (quick) through amber to red (slowest), for a share in [0, 1].</summary>
    public static string Colour(double share)
    {
        share = Math.Clamp(share, 0, 1);
        var (r, g, b) = share < 0.5
            ? Lerp((22, 163, 74), (217, 119, 6), share * 2)
            : Lerp((217, 119, 6), (220, 38, 38), (share - 0.5) * 2);
        return $"#{r:x2}{g:x2}{b:x2}";
    }

    public static string Duration(double seconds) => seconds switch
    {
        < 1 => $"{seconds * 1000:0} ms",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min"),
        < 86400 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400:0.#} d"),
    };

    private static (int, int, int) Lerp((int R, int G, int B) a, (int R, int G, int B) b, double t) =>
        ((int)Math.Round(a.R + ((b.R - a.R) * t)), (int)Math.Round(a.G + ((b.G - a.G) * t)), (int)Math.Round(a.B + ((b.B - a.B) * t)));

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
