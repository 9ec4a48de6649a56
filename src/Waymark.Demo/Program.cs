using Waymark.Demo;
using Waymark.Server.Hosting;

// The server with the demo data: what ./run.sh starts.
await WaymarkApp.Create(args, builder => builder.AddWaymarkDemo()).RunAsync();
