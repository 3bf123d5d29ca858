using GovBot.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace GovBot.Treasury;

public static class TreasuryExtensions
{
    public static IServiceCollection AddTreasury(this IServiceCollection services)
    {
        services.AddSingleton<TreasuryService>();
        services.AddSingleton<ActionDecoderFactory>();
        services.AddSingleton<TreasurySimulator>();
        services.AddSingleton<IChatCommand, TreasuryCommand>();
        services.AddSingleton<IChatCommand, SimulateCommand>();
        return services;
    }
}
