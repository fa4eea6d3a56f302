using System.Runtime.InteropServices;

namespace KubeTriage.Lab;

internal static class NativeMethods
{
    internal const int SigInt = 2;

    /// <summary>kill(2): tcpdump finishes its file cleanly on SIGINT, not on the SIGKILL Process.Kill sends.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static extern int Kill(int pid, int signal);
}
