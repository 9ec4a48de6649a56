using System.Text.Json;
using Waymark.Core.Mining;

namespace Waymark.Core.Tests.Mining;

/// <summary>
/// The PM4Py 2.7.14 reference figures and the files they were computed on,
/// copied into Data/process-mining (see its README) and read from the output directory.
/// </summary>
internal static class ReferenceData
{
    private static readonly string s_folder = Path.Combine(AppContext.BaseDirectory, "Data", "process-mining");

    private static readonly Lazy<JsonElement[]> s_logs = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_folder, "reference.json")));
        return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
    });

    private static readonly Dictionary<string, EventLog> s_parsed = [];

    public static string Folder => s_folder;

    /// <summary>The log file names, for theories.</summary>
    public static TheoryData<string> LogNames
    {
        get
        {
            var d = new TheoryData<string>();
            foreach (var e in s_logs.Value)
            {
                d.Add(e.GetProperty("log").GetString()!);
            }
            return d;
        }
    }

    /// <summary>(log, net file) pairs, for theories.</summary>
    public static TheoryData<string, string> ModelPairs
    {
        get
        {
            var d = new TheoryData<string, string>();
            foreach (var e in s_logs.Value)
            {
                foreach (var m in e.GetProperty("models").EnumerateArray())
                {
                    d.Add(e.GetProperty("log").GetString()!, NetFile(m));
                }
            }
            return d;
        }
    }

    public static JsonElement Log(string log) => s_logs.Value.Single(e => e.GetProperty("log").GetString() == log);

    public static JsonElement Model(string log, string net) =>
        Log(log).GetProperty("models").EnumerateArray().Single(m => NetFile(m) == net);

    public static string LogPath(string log) => Path.Combine(Folder, "logs", log);

    public static string NetPath(string net) => Path.Combine(Folder, "nets", net);

    /// <summary>The parsed log, read once per test run (the logs are immutable in the tests).</summary>
    public static EventLog ReadLog(string log)
    {
        lock (s_parsed)
        {
            if (!s_parsed.TryGetValue(log, out var parsed))
            {
                parsed = XesReader.Read(LogPath(log));
                s_parsed[log] = parsed;
            }
            return parsed;
        }
    }

    public static AcceptingPetriNet ReadNet(string net) => PnmlReader.Read(NetPath(net));

    private static string NetFile(JsonElement model) =>
        model.GetProperty("model_files").EnumerateArray().Select(f => f.GetString()!).Single(f => f.EndsWith(".pnml", StringComparison.Ordinal));
}
