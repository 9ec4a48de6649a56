using MudBlazor;

namespace Waymark.Server.Console.Shell;

/// <summary>The console's colours and type: calm, dense, readable on a laptop.</summary>
internal static class ConsoleTheme
{
    private static readonly string[] s_fonts = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fa8",
            Secondary = "#6b4fbb",
            AppbarBackground = "#14263d",
            AppbarText = "#ffffff",
            Background = "#f5f7fa",
            Surface = "#ffffff",
            Success = "#2e7d32",
            Warning = "#b26a00",
            Error = "#c62828",
            Info = "#0277bd",
            TextPrimary = "#1b2430",
            TextSecondary = "#55606e",
            LinesDefault = "#e3e7ec",
            TableLines = "#e8ecf0",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = s_fonts, FontSize = "0.875rem", LineHeight = "1.45" },
            H1 = new H1Typography { FontFamily = s_fonts },
            H4 = new H4Typography { FontFamily = s_fonts, FontSize = "1.6rem", FontWeight = "600" },
            H5 = new H5Typography { FontFamily = s_fonts, FontSize = "1.3rem", FontWeight = "600" },
            H6 = new H6Typography { FontFamily = s_fonts, FontSize = "1.05rem", FontWeight = "600" },
            Button = new ButtonTypography { FontFamily = s_fonts, TextTransform = "none" },
            Body1 = new Body1Typography { FontFamily = s_fonts },
            Body2 = new Body2Typography { FontFamily = s_fonts },
            Caption = new CaptionTypography { FontFamily = s_fonts },
            Subtitle1 = new Subtitle1Typography { FontFamily = s_fonts },
            Subtitle2 = new Subtitle2Typography { FontFamily = s_fonts },
            Overline = new OverlineTypography { FontFamily = s_fonts },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px", AppbarHeight = "48px" },
    };
}
