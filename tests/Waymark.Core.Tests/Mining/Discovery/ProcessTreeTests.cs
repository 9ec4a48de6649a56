using Waymark.Core.Mining.Discovery;
using static Waymark.Core.Mining.Discovery.ProcessTree;

namespace Waymark.Core.Tests.Mining.Discovery;

public sealed class ProcessTreeTests
{
    [Fact]
    public void ToString_NestedTree_WritesPm4pysNotation()
    {
        var tree = Sequence(Activity("Register"), Loop(Activity("Analyze"), Tau), Parallel(Exclusive(Tau, Activity("Inform")), Activity("Repair")));

        Assert.Equal("->( 'Register', *( 'Analyze', tau ), +( X( tau, 'Inform' ), 'Repair' ) )", tree.ToString());
    }

    [Fact]
    public void Parse_Pm4pysText_GivesTheTreeBackAndWritesTheSameText()
    {
        const string text = "->( 'Register', *( 'Analyze Defect', tau ), +( X( tau, 'Inform User' ), X( tau, *( 'Repair (Complex)', tau ) ) ), X( tau, 'Archive Repair' ) )";

        var tree = Parse(text);

        Assert.Equal(ProcessTreeOperator.Sequence, tree.Operator);
        Assert.Equal(4, tree.Children.Count);
        Assert.Equal("Register", tree.Children[0].Label);
        Assert.True(tree.Children[1].Children[1].IsTau);
        Assert.Equal(["Register", "Analyze Defect", "Inform User", "Repair (Complex)", "Archive Repair"], tree.Activities());
        Assert.Equal(text, tree.ToString());
    }

    [Fact]
    public void Parse_LabelWithQuoteCommaAndParenthesis_KeepsItWhole()
    {
        var tree = Parse("X( 'Joe's order, (urgent)', tau )");

        Assert.Equal("Joe's order, (urgent)", tree.Children[0].Label);
        Assert.True(tree.Children[1].IsTau);
    }

    [Fact]
    public void Parse_CompactSpacing_IsAccepted()
    {
        Assert.Equal("->( 'a', X( tau, 'b' ) )", Parse("->('a',X(tau,'b'))").ToString());
    }

    [Theory]
    [InlineData("->( 'a', )")]
    [InlineData("X( 'a'")]
    [InlineData("*( 'a' )")]
    [InlineData("->( 'a' ) extra")]
    [InlineData("Y( 'a' )")]
    [InlineData("'unterminated")]
    [InlineData("")]
    public void Parse_Malformed_ThrowsFormatExceptionWithPosition(string text)
    {
        var e = Assert.Throws<FormatException>(() => Parse(text));

        Assert.Contains("position", e.Message, StringComparison.Ordinal);
        Assert.False(TryParse(text, out _));
    }

    [Fact]
    public void IsEquivalentTo_ChoiceAndParallelChildrenReordered_True()
    {
        var a = Parse("->( 'a', X( 'b', tau, +( 'c', 'd' ) ), 'e' )");
        var b = Parse("->( 'a', X( +( 'd', 'c' ), 'b', tau ), 'e' )");

        Assert.True(a.IsEquivalentTo(b));
        Assert.Equal(a.CanonicalForm(), b.CanonicalForm());
    }

    [Theory]
    [InlineData("->( 'a', 'b' )", "->( 'b', 'a' )")]
    [InlineData("*( 'a', 'b' )", "*( 'b', 'a' )")]
    [InlineData("X( 'a', 'b' )", "X( 'a', 'b', tau )")]
    [InlineData("+( 'a', 'b' )", "X( 'a', 'b' )")]
    public void IsEquivalentTo_OrderedOrDifferentTrees_False(string x, string y)
    {
        Assert.False(Parse(x).IsEquivalentTo(Parse(y)));
    }

    [Fact]
    public void Loop_WithOneChild_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Loop(Activity("a")));
    }
}
