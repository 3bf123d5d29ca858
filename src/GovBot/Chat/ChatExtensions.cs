using GovBot.Chat.Commands;
using GovBot.Chat.Console;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.Chat;

public static class ChatExtensions
{
    /// <summary>The router and the commands written once for every surface.</summary>
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.AddSingleton<ChatSettingsStore>();
        services.AddSingleton<IChatCommand, ProposalsCommand>();
        services.AddSingleton<IChatCommand, ProposalCommand>();
        services.AddSingleton<IChatCommand, VotesCommand>();
        services.AddSingleton<IChatCommand, VoterCommand>();
        services.AddSingleton<IChatCommand, DelegatesCommand>();
        services.AddSingleton<IChatCommand, DaoCommand>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<IChatCommandHandler>(sp => sp.GetRequiredService<CommandRouter>());
        return services;
    }

    public static IServiceCollection AddConsoleSurface(this IServiceCollection services, ConsoleSurfaceIo? io = null)
    {
        services.AddSingleton(io ?? ConsoleSurfaceIo.Standard());
        services.AddHostedService<ConsoleSurface>();
        return services;
    }
}
