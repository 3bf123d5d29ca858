using GovBot.Bench;

// dotnet run -c Release --project bench/GovBot.Bench -- <decoder|fanout|indexer|interactions|llm|simulate|store>
var which = args.Length > 0 ? args[0] : "";
var command = "dotnet run -c Release --project bench/GovBot.Bench -- " + string.Join(' ', args);
switch (which)
{
    case "decoder":
        await DecoderBenchmark.RunAsync(command);
        return 0;
    case "indexer":
        await IndexerBenchmark.RunAsync(command, args.Skip(1).ToList());
        return 0;
    case "interactions":
        await InteractionsBenchmark.RunAsync(command, args.Skip(1).ToList());
        return 0;
    case "simulate":
        await SimulationBenchmark.RunAsync(command, args.Skip(1).ToList());
        return 0;
    case "llm":
        await LlmBenchmark.RunAsync(command);
        return 0;
    case "store":
        await StoreBenchmark.RunAsync(command, args.Skip(1).ToList());
        return 0;
    case "fanout":
        await FanoutBenchmark.RunAsync(command);
        return 0;
    default:
        Console.Error.WriteLine("usage: GovBot.Bench <decoder|fanout|indexer|interactions|llm|simulate|store>");
        return 2;
}
