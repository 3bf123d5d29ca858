using GovBot.Chat;
using GovBot.Chat.Console;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GovBot.Tests.Chat;

public sealed class ConsoleSurfaceTests
{
    private sealed class ScriptedHandler : IChatCommandHandler
    {
        public List<ChatRequest> Requests { get; } = [];

        public Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return request.Command == "votes"
                ? throw new InvalidOperationException("boom")
                : Task.FromResult(new ChatReply($"/{request.Command}", $"id={request.Argument("id")}"));
        }

        public bool IsSlow(string command) => false;
    }

    [Fact]
    public async Task Stdin_LinesGoThroughTheHandler_AFailingLineDoesNotStopTheSurface_AndEndOfInputStopsTheHost()
    {
        var output = new StringWriter();
        var handler = new ScriptedHandler();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IChatCommandHandler>(handler);
        builder.Services.AddConsoleSurface(new ConsoleSurfaceIo(new StringReader("/votes 1\n\n/proposal 42\nproposals active\n"), output));
        using var host = builder.Build();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.RunAsync(timeout.Token);

        Assert.False(timeout.IsCancellationRequested, "the host stops by itself when stdin ends");
        Assert.Equal(["votes", "proposal", "proposals"], handler.Requests.Select(r => r.Command));
        Assert.All(handler.Requests, r => Assert.Equal((ChatSurface.Console, true), (r.Surface, r.IsChatAdmin)));
        Assert.Equal("active", handler.Requests[2].Argument("state"));
        var text = output.ToString();
        Assert.Contains("/proposal\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("id=42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_WhileTheReadBlocksLikeConsoleIn_EndsTheSurfaceWithoutWaitingForALine()
    {
        using var neverTyped = new ManualResetEventSlim();
        using var stdin = new BlockingReader(neverTyped);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IChatCommandHandler>(new ScriptedHandler());
        builder.Services.AddConsoleSurface(new ConsoleSurfaceIo(stdin, new StringWriter()));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        using var host = builder.Build();
        await host.StartAsync();
        await stdin.Reading.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var surface = host.Services.GetServices<IHostedService>().OfType<ConsoleSurface>().Single();
        using var stopping = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await host.StopAsync(stopping.Token);

        Assert.False(stopping.IsCancellationRequested, "the host stopped without running into its own timeout");
        Assert.True(surface.ExecuteTask!.IsCompletedSuccessfully);
        neverTyped.Set();
    }

    /// <summary>Reads the way Console.In does: synchronously, ignoring the token, until a line arrives.</summary>
    private sealed class BlockingReader(ManualResetEventSlim typed) : TextReader
    {
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string? ReadLine()
        {
            Reading.TrySetResult();
            typed.Wait();
            return null;
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());
    }
}
