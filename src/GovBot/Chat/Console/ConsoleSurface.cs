using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovBot.Chat.Console;

/// <summary>
/// The console surface: reads commands from stdin, answers on stdout, through the same router as the chat
/// platforms. When stdin ends (a piped script), the host stops.
/// </summary>
public sealed class ConsoleSurface(
    IServiceScopeFactory scopes,
    IHostApplicationLifetime lifetime,
    ConsoleSurfaceIo io,
    ILogger<ConsoleSurface> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await io.Output.WriteLineAsync("GovBot console. Type /help for commands, Ctrl+D to quit.");
        await io.Output.FlushAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await io.Output.WriteAsync("> ");
            await io.Output.FlushAsync(stoppingToken);
            string? line;
            try
            {
                // Console.In reads synchronously whatever token it is given, so the read runs on its own thread and is
                // abandoned at shutdown; otherwise a SIGTERM waits out the host's whole shutdown timeout on an idle prompt.
                line = await Task.Run(() => io.Input.ReadLineAsync(CancellationToken.None).AsTask(), CancellationToken.None).WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (line is null)
                break;
            var parsed = ChatCommandParser.Parse(line);
            if (parsed is null)
                continue;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetRequiredService<IChatCommandHandler>();
                var request = new ChatRequest(ChatSurface.Console, "console", Environment.UserName, parsed.Value.Command, parsed.Value.Arguments, line) { IsChatAdmin = true };
                var reply = await handler.HandleAsync(request, stoppingToken);
                await io.Output.WriteLineAsync(ConsoleRenderer.Render(reply));
                await io.Output.FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Console command failed");
            }
        }

        lifetime.StopApplication();
    }
}

/// <summary>The console's streams, replaceable in tests.</summary>
public sealed record ConsoleSurfaceIo(TextReader Input, TextWriter Output)
{
    public static ConsoleSurfaceIo Standard() => new(System.Console.In, System.Console.Out);
}
