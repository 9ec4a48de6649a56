using Waymark.Core.Rules;

namespace Waymark.Core.Tests.Rules;

/// <summary>Refused documents: every error, with line, column (worked out by hand) and path.</summary>
public sealed class ParseTests
{
    private static readonly RuleCatalog s_catalog = new()
    {
        Stages = new HashSet<string> { "browse", "booking", "payment" },
        Templates = new HashSet<string> { "welcome", "booking-help" },
    };

    private const string BadYaml = """
        rules:
          - id: r1
            pattern:
              kind: sequence
              contiguity: loose
              steps:
                - match: { type: veiw }
                - match: { type: view, name: { begins: x } }
                  within: 10 minutes
            actions:
              - type: sms
            priorty: 3
          - id: r2
            when: { stage: bookng }
            pattern: { kind: count, match: { type: error }, atLeast: 2 }
            actions:
              - { type: email, template: welcom, to: customer }
        """;

    [Fact]
    public void Yaml_EveryErrorWithItsPlace()
    {
        var result = RuleSet.Parse(BadYaml, s_catalog);

        Assert.False(result.Ok);
        Assert.Null(result.Rules);
        Assert.Equal(
            [
                (5, 19, "rules[0].pattern.contiguity"),
                (7, 26, "rules[0].pattern.steps[0].match.type"),
                (8, 40, "rules[0].pattern.steps[1].match.name.begins"),
                (9, 19, "rules[0].pattern.steps[1].within"),
                (11, 15, "rules[0].actions[0].type"),
                (12, 5, "rules[0].priorty"),
                (14, 20, "rules[1].when.stage"),
                (17, 34, "rules[1].actions[0].template"),
            ],
            result.Errors.Select(e => (e.Line, e.Column, e.Path)));
        Assert.Contains("unknown contiguity 'loose'", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'view'?", result.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("unknown operator 'begins'", result.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("not a duration", result.Errors[3].Message, StringComparison.Ordinal);
        Assert.Contains("unknown action type 'sms'", result.Errors[4].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'priority'?", result.Errors[5].Message, StringComparison.Ordinal);
        Assert.Contains("unknown stage 'bookng'", result.Errors[6].Message, StringComparison.Ordinal);
        Assert.Contains("unknown template 'welcom'", result.Errors[7].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_StagesAndTemplatesNotDeclared_NotChecked()
    {
        var result = RuleSet.Parse("""
            rules:
              - id: r2
                when: { stage: anything }
                pattern: { kind: count, match: { type: error }, atLeast: 2 }
                actions: [ { type: email, template: any-template, to: customer } ]
            """);
        Assert.True(result.Ok, string.Join("\n", result.Errors));
    }

    private const string BadJson = """
        {
          "rules": [
            {
              "id": "r1",
              "pattern": {
                "kind": "sequence",
                "steps": [
                  { "match": { "type": "view" } },
                  { "absent": { "type": "conversion" }, "within": "10" }
                ]
              },
              "actions": [ { "type": "webhook", "target": "crm", "url": "x" } ]
            }
          ]
        }
        """;

    [Fact]
    public void Json_SameParserSamePlaces()
    {
        var result = RuleSet.Parse(BadJson);
        Assert.Equal(
            [(9, 59, "rules[0].pattern.steps[1].within"), (12, 58, "rules[0].actions[0].url")],
            result.Errors.Select(e => (e.Line, e.Column, e.Path)));
    }

    [Fact]
    public void Json_SyntaxError_LineOfTheMissingComma()
    {
        var result = RuleSet.Parse("{\n  \"rules\": []\n  \"settings\": {}\n}");
        var error = Assert.Single(result.Errors);
        // The YAML parser would take this; the JSON check refuses it where the comma is missing.
        Assert.Equal((3, 3, ""), (error.Line, error.Column, error.Path));
        Assert.StartsWith("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_UnclosedFlowList_PointsAtIt()
    {
        var result = RuleSet.Parse("rules:\n  - id: r1\n    pattern: { kind: sequence, steps: [ { match: { type: view } }\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 39), (error.Line, error.Column));
        Assert.Equal("this '[' is not closed", error.Message);
    }

    [Fact]
    public void Json_UnclosedBracket_PointsAtIt()
    {
        var result = RuleSet.Parse("{ \"rules\": [\n  { \"id\": \"r1\" }\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, 12), (error.Line, error.Column));
    }

    [Fact]
    public void Yaml_DuplicateKey_ReportedWithItsPath()
    {
        var result = RuleSet.Parse("""
            rules:
              - id: r1
                priority: 1
                priority: 2
                pattern: { kind: experience, becomes: frustrated }
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal((4, 5, "rules[0].priority"), (error.Line, error.Column, error.Path));
    }

    [Theory]
    [InlineData("pattern: { kind: sequence, steps: [ { idle: 5m }, { match: { type: view } } ] }", "rules[0].pattern.steps[0]", "must be the last step")]
    [InlineData("pattern: { kind: sequence, steps: [ { absent: { type: view }, within: 5m } ] }", "rules[0].pattern.steps[0]", "needs a step before it")]
    [InlineData("pattern: { kind: sequence, steps: [ { match: { type: view }, times: 2, atLeast: 2 } ] }", "rules[0].pattern.steps[0].atLeast", "not both")]
    [InlineData("pattern: { kind: sequence, steps: [ { match: { type: view, name: { gt: 3 } } } ] }", "rules[0].pattern.steps[0].match.name.gt", "is a text")]
    [InlineData("pattern: { kind: count, match: { type: error }, atLeast: 0 }", "rules[0].pattern.atLeast", "between 1 and 100")]
    [InlineData("pattern: { kind: funnel }", "rules[0].pattern.kind", "unknown pattern kind 'funnel'")]
    [InlineData("pattern: { kind: experience, becomes: angry }", "rules[0].pattern.becomes", "unknown experience 'angry'")]
    [InlineData("when: { channel: webb }\n    pattern: { kind: experience, becomes: frustrated }", "rules[0].when.channel", "did you mean 'web'?")]
    [InlineData("holdout: 150%\n    pattern: { kind: experience, becomes: frustrated }", "rules[0].holdout", "share between 0 and 1")]
    [InlineData("caps: { perWeek: 1 }\n    pattern: { kind: experience, becomes: frustrated }", "rules[0].caps.perWeek", "unknown field 'perWeek'")]
    [InlineData("id: r2\n    pattern: { kind: experience, becomes: frustrated }", "rules[0].id", "duplicate field")]
    public void Yaml_OneWrongThing_Refused(string rule, string path, string message)
    {
        var result = RuleSet.Parse("rules:\n  - id: r1\n    " + rule + "\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_SameIdTwice_Refused()
    {
        var result = RuleSet.Parse("""
            rules:
              - { id: r1, pattern: { kind: experience, becomes: frustrated } }
              - { id: r1, pattern: { kind: experience, becomes: frustrated } }
            """);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 11, "rules[1].id"), (error.Line, error.Column, error.Path));
    }

    [Fact]
    public void Settings_UnknownTimeZone_Refused()
    {
        var result = RuleSet.Parse("settings: { timeZone: Mars/Olympus }\nrules: []\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, 23, "settings.timeZone"), (error.Line, error.Column, error.Path));
    }

    [Fact]
    public void Logic_AppWithoutEnabledRules_NoState()
    {
        var none = RuleSet.Parse("rules: []").Rules!;
        var disabled = RuleSet.Parse("rules:\n  - { id: r1, enabled: false, pattern: { kind: experience, becomes: frustrated } }").Rules!;
        var logic = new RulesLogic(new Dictionary<string, RuleSet> { ["a"] = none, ["b"] = disabled });
        Assert.Null(logic.Create("a", "v1"));
        Assert.Null(logic.Create("b", "v1"));
        Assert.Null(logic.Create("c", "v1"));
        Assert.Single(disabled.Rules);
    }
}
