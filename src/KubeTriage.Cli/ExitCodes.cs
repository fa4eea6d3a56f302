namespace KubeTriage.Cli;

/// <summary>The contract's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Nothing at warning or above.</summary>
    public const int Clean = 0;

    /// <summary>At least one warning or critical finding.</summary>
    public const int Findings = 1;

    /// <summary>Usage error or unreadable input.</summary>
    public const int ToolError = 2;
}
