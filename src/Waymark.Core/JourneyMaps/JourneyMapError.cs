namespace Waymark.Core.JourneyMaps;

/// <summary>Why a journey-map document was refused, and where.</summary>
/// <param name="Line">1-based line of the offending node.</param>
/// <param name="Column">1-based column of the offending node.</param>
/// <param name="Path">Where in the document, e.g. <c>stages[2].touchpoints[0].match.page</c>; empty for the document itself.</param>
/// <param name="Message">What is wrong and how to put it right.</param>
public sealed record JourneyMapError(int Line, int Column, string Path, string Message)
{
    /// <summary>"line:column path: message", the form the console and the API show.</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{Line}:{Column}: {Message}" : $"{Line}:{Column} {Path}: {Message}";
}

/// <summary>The outcome of reading a journey-map document: the map, or every error found.</summary>
public sealed class JourneyMapParseResult
{
    internal JourneyMapParseResult(JourneyMap? map, IReadOnlyList<JourneyMapError> errors)
    {
        Map = map;
        Errors = errors;
    }

    /// <summary>The map; null when there is any error (a document is taken whole or not at all).</summary>
    public JourneyMap? Map { get; }

    /// <summary>Every error, in document order.</summary>
    public IReadOnlyList<JourneyMapError> Errors { get; }

    /// <summary>True when the document was accepted.</summary>
    public bool Ok => Map is not null;
}
