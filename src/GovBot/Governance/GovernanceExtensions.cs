using Microsoft.Extensions.DependencyInjection;

namespace GovBot.Governance;

public static class GovernanceExtensions
{
    public static IServiceCollection AddGovernance(this IServiceCollection services) =>
        services.AddSingleton<GovernanceService>();
}
