using Microsoft.Extensions.Options;
using Waymark.Core.Rules;
using Waymark.Server.Rules;

namespace Waymark.Server.Actions;

/// <summary>The names rules may use: the configured webhook targets, e-mail templates (and "default") and widgets.</summary>
public sealed class ActionCatalog(IOptions<ActionOptions> options) : IRuleCatalogSource
{
    public RuleCatalog Catalog { get; } = new()
    {
        WebhookTargets = options.Value.Webhooks.Keys.ToHashSet(StringComparer.Ordinal),
        Templates = options.Value.Templates.Keys.Append(MailSender.DefaultTemplate).ToHashSet(StringComparer.Ordinal),
        Widgets = options.Value.Widgets.ToHashSet(StringComparer.Ordinal),
    };
}
