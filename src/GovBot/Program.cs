using GovBot.Cli;

// The composition root is GovBotHost.Build; the verbs live in GovBotCli. Ctrl+C cancels the verb gracefully.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await GovBotCli.RunAsync(args, Console.Out, Console.Error, cancellationToken: cancel.Token);
