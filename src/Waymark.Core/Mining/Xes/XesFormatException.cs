namespace Waymark.Core.Mining;

/// <summary>A malformed XES or PNML document; says where (1-based line and column) when known.</summary>
public sealed class XesFormatException : FormatException
{
    public XesFormatException()
    {
    }

    public XesFormatException(string message)
        : base(message)
    {
    }

    public XesFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public XesFormatException(string message, int lineNumber, int linePosition, Exception? innerException = null)
        : base(lineNumber > 0 ? $"{message} (line {lineNumber}, position {linePosition})" : message, innerException)
    {
        LineNumber = lineNumber;
        LinePosition = linePosition;
    }

    /// <summary>1-based line of the problem, 0 when unknown.</summary>
    public int LineNumber { get; }

    /// <summary>1-based column of the problem, 0 when unknown.</summary>
    public int LinePosition { get; }
}
