using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace Waymark.Server.Console.Shared;

/// <summary>Shared look of the console's Plotly charts: no mode bar, small type, tight margins.</summary>
internal static class Charts
{
    public const string Satisfied = "#2e7d32";
    public const string Tolerating = "#e0a030";
    public const string Frustrated = "#c62828";
    public const string Primary = "#1f5fa8";
    public const string ThirdParty = "#6b4fbb";

    public static Config Config() => new() { DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False, Responsive = true, DisplayLogo = false };

    public static Layout Layout(int height, bool legend = true) => new()
    {
        Height = height,
        AutoSize = true,
        Margin = new Margin { L = 48, R = 16, T = 8, B = 36 },
        Font = new Font { Family = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", Size = 11, Color = "#3b4654" },
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        ShowLegend = legend,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1.12m, X = 0 }],
        XAxis = [new XAxis { GridColor = "#eef1f4", LineColor = "#d5dbe2" }],
        YAxis = [new YAxis { GridColor = "#eef1f4", LineColor = "#d5dbe2", AutoMargin = Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True }],
    };

    /// <summary>Plotly reads "yyyy-MM-dd HH:mm:ss" as wall-clock time: the console's zone is applied first.</summary>
    public static string Date(DateTimeOffset local) => local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>One series of bars in one colour.</summary>
    public static Plotly.Blazor.Traces.Bar Bars(string name, IList<object> x, IEnumerable<object> y, string color) => new()
    {
        Name = name,
        X = x,
        Y = [.. y],
        Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = color },
    };

    public static string ExperienceColor(string experience) => experience switch
    {
        "satisfied" => Satisfied,
        "tolerating" => Tolerating,
        _ => Frustrated,
    };
}
