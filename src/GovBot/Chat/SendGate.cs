namespace GovBot.Chat;

/// <summary>
/// Waits until one more request to a platform fits its flood limits and returns a lease on that room; the caller
/// disposes the lease once the platform has answered. Senders call it before every request they make, retries included.
/// </summary>
public delegate Task<IDisposable> SendGate(CancellationToken cancellationToken);
