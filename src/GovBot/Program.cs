using System.Runtime.InteropServices;
using GovBot.Cli;

// The composition root is GovBotHost.Build; the verbs live in GovBotCli. Ctrl+C, SIGTERM (docker stop, systemd, kill)
// and SIGQUIT cancel the verb gracefully, so `devnet` and `demo` stop their anvil instead of leaving it running.
using var cancel = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
return await GovBotCli.RunAsync(args, Console.Out, Console.Error, cancellationToken: cancel.Token);
