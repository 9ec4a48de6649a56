using Microsoft.Extensions.Options;
using Waymark.Core.Mining;
using Waymark.Core.Mining.Discovery;
using Waymark.Server.Http;

namespace Waymark.Server.Mining;

/// <summary>
/// The net a conformance request checks against: a PNML file in the request
/// body, or the net the Inductive Miner discovers from the log itself
/// (<c>noise</c> = IMf's threshold, 0 for IM).
/// </summary>
public sealed class MiningModels(IOptions<MiningOptions> options)
{
    public async Task<(AcceptingPetriNet? Net, string Name, IResult? Problem)> ResolveAsync(HttpContext http, MiningQuery q, EventLog log, CancellationToken ct)
    {
        var noise = q.Share("noise", 0.2);
        if (q.Errors.Count > 0)
        {
            return (null, "", Problems.Create(StatusCodes.Status400BadRequest, "Invalid query", string.Join("; ", q.Errors)));
        }
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var limit = options.Value.MaxUploadBytes;
            var bytes = await Http.BodyReader.ReadAsync(http.Request.BodyReader, limit, ct);
            if (bytes is null)
            {
                return (null, "", Problems.Create(StatusCodes.Status413PayloadTooLarge, "Net too large", $"A PNML file is at most {limit} bytes (Waymark:Mining:MaxUploadBytes)."));
            }
            if (bytes.Length > 0)
            {
                try
                {
                    var net = PnmlReader.Read(new MemoryStream(bytes));
                    if (net.InitialMarking.Count == 0)
                    {
                        return (null, "", Problems.Create(StatusCodes.Status400BadRequest, "Net without initial marking", "The PNML net has no place with an initialMarking: conformance needs one."));
                    }
                    return (net, "uploaded PNML " + net.Net.Name, null);
                }
                catch (Exception e) when (e is FormatException or InvalidDataException or System.Xml.XmlException or ArgumentException)
                {
                    return (null, "", MiningEndpoints.MalformedProblem("PNML", e));
                }
            }
        }
        var tree = InductiveMiner.Discover(log, new InductiveMinerOptions { NoiseThreshold = noise });
        return (ProcessTreeToPetriNet.Convert(tree), (noise > 0 ? "IMf noise " : "IM noise ") + noise.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
    }
}
