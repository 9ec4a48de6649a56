using Waymark.Server.Hosting;

await WaymarkApp.Create(args).RunAsync();

/// <summary>The entry point, visible to tests.</summary>
public partial class Program;
