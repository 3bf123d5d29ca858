using GovBot.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GovBot.Chain;

public static class ChainExtensions
{
    public static IServiceCollection AddChain(this IServiceCollection services, IReadOnlyList<DaoOptions> daos)
    {
        services.AddHttpClient("rpc", client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<GovernorProbe>();
        services.AddSingleton(sp => new DaoRegistry(daos, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<GovernorProbe>(), sp.GetService<RpcRetryPolicy>()));
        services.AddSingleton<ProposalIndexer>();
        services.AddSingleton<GovernorReader>();
        return services;
    }

    /// <summary>The background indexer, for hosts that run continuously.</summary>
    public static IServiceCollection AddIndexerService(this IServiceCollection services) =>
        services.AddHostedService<IndexerService>();
}
