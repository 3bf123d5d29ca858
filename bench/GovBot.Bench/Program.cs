using GovBot.Bench;

// dotnet run -c Release --project bench/GovBot.Bench -- <decoder|fanout|indexer|interactions|simulate>
var which = args.Length > 0 ? args[0] : "";
var command = "dotnet run -c Release --project bench/GovBot.Bench -- " + string.Join(' ', args);
switch (which)
{
    case "decoder":
        await DecoderBenchmark.RunAsync(command);
        return 0;
    case "fanout":
        await FanoutBenchmark.RunAsync(command);
        return 0;
    default:
        Console.Error.WriteLine("usage: GovBot.Bench <decoder|fanout|indexer|interactions|simulate>");
        return 2;
}
