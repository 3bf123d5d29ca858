using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using GovBot.Chain.Devnet;
using GovBot.Governance;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace GovBot.Bench;

/// <summary>
/// Discord's interactions endpoint under an open-loop load of pre-signed /proposal requests: GovBot runs as its own
/// process (`govbot run` on a seeded devnet), the load comes from this one at a fixed rate, and latency is measured
/// from each request's scheduled send time, so a stall cannot hide behind fewer requests.
/// </summary>
public static class InteractionsBenchmark
{
    public static async Task RunAsync(string command, IReadOnlyList<string> args)
    {
        var rate = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var seconds = args.Count > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var root = Path.GetFullPath(Path.Combine(BenchResults.Folder, "..", ".."));
        var govbot = Path.Combine(root, "src", "GovBot", "bin", "Release", "net10.0", "govbot.dll");

        await using var anvil = await AnvilProcess.StartAsync(DevnetSeeder.WallClockAnvil(DateTimeOffset.UtcNow));
        var deployment = await DevnetSeeder.SeedAsync(anvil);
        var dao = deployment.Dao(DevnetSeeder.BlockDao);
        var proposalId = dao.Proposal(ProposalState.Active).Id;

        var privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        var publicKey = Convert.ToHexStringLower(privateKey.GeneratePublicKey().GetEncoded());
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var folder = Directory.CreateTempSubdirectory("govbot-bench-").FullName;
        var config = DevnetConfig.Build([dao], Path.Combine(folder, "govbot.db"), url, "bench-link-signing-key-0123456789abcdef0123", null);
        config["Discord"] = new System.Text.Json.Nodes.JsonObject { ["ApplicationId"] = "1100000000000000001", ["PublicKey"] = publicKey, ["BotToken"] = "bench-token" };
        var configPath = Path.Combine(folder, "appsettings.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = folder };
        foreach (var a in new[] { govbot, "run", "--config", configPath })
            info.ArgumentList.Add(a);
        using var server = Process.Start(info)!;
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) };
            await WaitReadyAsync(http, url, proposalId, privateKey);

            // Warm-up: JIT, connection pool, the live-state cache and the summary cache.
            await FireAsync(http, url, Sign(privateKey, proposalId, 200), rate: 100);

            var requests = Sign(privateKey, proposalId, rate * seconds);
            var memory = new List<long>();
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    memory.Add(RssKib(server.Id));
                    await Task.Delay(250, CancellationToken.None);
                }
            });
            var wall = Stopwatch.StartNew();
            var (latencies, errors, statuses) = await FireAsync(http, url, requests, rate);
            wall.Stop();
            await sampling.CancelAsync();
            await sampler;

            latencies.Sort();
            var achieved = requests.Count / wall.Elapsed.TotalSeconds;
            await BenchResults.WriteAsync("interactions", command, $"""
                Open-loop load of pre-signed Discord interactions (`/proposal {GovernanceService.ShortId(proposalId)}`, Ed25519-signed as Discord signs them) against `POST /discord/interactions` of a separate `govbot run` process on a seeded anvil devnet. Latency counts from each request's scheduled send time. Replies are inline (type 4) embeds; the live state and summary are cached after warm-up.

                | target rate | requests | achieved req/s | p50 ms | p90 ms | p99 ms | max ms | errors | statuses | server RSS MiB (min–max under load) |
                |---|---|---|---|---|---|---|---|---|---|
                | {rate} | {requests.Count} | {achieved:0.0} | {BenchResults.Percentile(latencies, 50)} | {BenchResults.Percentile(latencies, 90)} | {BenchResults.Percentile(latencies, 99)} | {latencies[^1]:0.00} | {errors} | {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))} | {memory.Min() / 1024.0:0}–{memory.Max() / 1024.0:0} |

                Goal: p99 ≤ 30 ms (100× under Discord's 3 s deadline) with no errors. Load generator and server share the machine's 2 cores.

                """);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(List<double> Latencies, int Errors, SortedDictionary<int, int> Statuses)> FireAsync(HttpClient http, string url, IReadOnlyList<(string Timestamp, string Signature, byte[] Body)> requests, int rate)
    {
        var latencies = new double[requests.Count];
        var statuses = new int[requests.Count];
        var start = Stopwatch.GetTimestamp();
        var tasks = new Task[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var scheduled = start + (long)(i * (double)Stopwatch.Frequency / rate);
            while (Stopwatch.GetTimestamp() < scheduled)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                if (wait > TimeSpan.FromMilliseconds(2))
                    await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
                else
                    Thread.SpinWait(50);
            }

            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, url + "/discord/interactions") { Content = new ByteArrayContent(requests[index].Body) };
                message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                message.Headers.Add("X-Signature-Ed25519", requests[index].Signature);
                message.Headers.Add("X-Signature-Timestamp", requests[index].Timestamp);
                try
                {
                    using var response = await http.SendAsync(message);
                    var body = await response.Content.ReadAsStringAsync();
                    statuses[index] = (int)response.StatusCode;
                    if (response.IsSuccessStatusCode && !body.Contains("\"type\":4", StringComparison.Ordinal))
                        statuses[index] = 299;
                }
                catch (HttpRequestException)
                {
                    statuses[index] = -1;
                }
                catch (TaskCanceledException)
                {
                    statuses[index] = -2;
                }

                latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
            });
        }

        await Task.WhenAll(tasks);
        var histogram = new SortedDictionary<int, int>();
        foreach (var s in statuses)
            histogram[s] = histogram.GetValueOrDefault(s) + 1;
        return (latencies.ToList(), statuses.Count(s => s != 200), histogram);
    }

    private static List<(string Timestamp, string Signature, byte[] Body)> Sign(Ed25519PrivateKeyParameters key, string proposalId, int count)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var list = new List<(string, string, byte[])>(count);
        for (var i = 0; i < count; i++)
        {
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
            {
                id = (1200000000000000000L + i).ToString(CultureInfo.InvariantCulture),
                application_id = "1100000000000000001",
                type = 2,
                token = $"bench-token-{i}",
                version = 1,
                channel_id = "1300000000000000001",
                guild_id = "1400000000000000001",
                member = new { permissions = "0", user = new { id = (1500000000000000000L + (i % 50)).ToString(CultureInfo.InvariantCulture), username = "bench" } },
                data = new { id = "1600000000000000001", name = "proposal", type = 1, options = new[] { new { name = "id", type = 3, value = proposalId } } },
            }));
            var signer = new Ed25519Signer();
            signer.Init(true, key);
            var stamp = Encoding.UTF8.GetBytes(timestamp);
            signer.BlockUpdate(stamp, 0, stamp.Length);
            signer.BlockUpdate(body, 0, body.Length);
            list.Add((timestamp, Convert.ToHexStringLower(signer.GenerateSignature()), body));
        }

        return list;
    }

    private static async Task WaitReadyAsync(HttpClient http, string url, string proposalId, Ed25519PrivateKeyParameters key)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                {
                    // Ready when the proposal is indexed: the inline embed shows its state.
                    var (timestamp, signature, body) = Sign(key, proposalId, 1)[0];
                    using var message = new HttpRequestMessage(HttpMethod.Post, url + "/discord/interactions") { Content = new ByteArrayContent(body) };
                    message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    message.Headers.Add("X-Signature-Ed25519", signature);
                    message.Headers.Add("X-Signature-Timestamp", timestamp);
                    using var response = await http.SendAsync(message);
                    if ((await response.Content.ReadAsStringAsync()).Contains("Active", StringComparison.Ordinal))
                        return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("govbot run did not become ready within 2 minutes");
    }

    private static long RssKib(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }

        return 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
