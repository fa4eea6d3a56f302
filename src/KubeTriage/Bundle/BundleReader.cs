using System.Text;

namespace KubeTriage.Bundle;

/// <summary>
/// Read access to a bundle directory. Every path is relative to <see cref="Root"/> in the layout of
/// <see cref="BundleLayout"/>; reads are bounded (the tail of a larger file is kept) and never throw for a
/// missing file.
/// </summary>
public sealed class BundleReader
{
    /// <summary>Files larger than this are read from their last <see cref="MaxFileBytes"/> bytes.</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    public BundleReader(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new BundleException($"{root}: not a directory");
        }

        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public bool Exists(string relative) => File.Exists(FullPath(relative));

    public bool DirectoryExists(string relative) => Directory.Exists(FullPath(relative));

    /// <summary>The text of a file, or null when it is missing. Oversized files keep their tail (logs end with what matters).</summary>
    public string? ReadText(string relative, long maxBytes = MaxFileBytes)
    {
        var path = FullPath(relative);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > maxBytes)
            {
                stream.Seek(-maxBytes, SeekOrigin.End);
            }

            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BundleException($"{relative}: cannot read: {ex.Message}");
        }
    }

    /// <summary>
    /// Whether text read from a file is binary rather than a log or resolv.conf: a NUL, or more than one character in
    /// ten that is a control character or an undecodable byte (U+FFFD).
    /// </summary>
    public static bool LooksBinary(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return true;
        }

        var odd = 0;
        foreach (var c in text)
        {
            if (c == '\uFFFD' || (char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                odd++;
            }
        }

        return odd * 10 > text.Length;
    }

    /// <summary>Names of the sub-directories of a bundle directory (e.g. node names under <c>nodes/</c>), sorted.</summary>
    public IReadOnlyList<string> Directories(string relative)
    {
        var path = FullPath(relative);
        return Directory.Exists(path)
            ? Directory.GetDirectories(path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Names of the files of a bundle directory, sorted.</summary>
    public IReadOnlyList<string> Files(string relative)
    {
        var path = FullPath(relative);
        return Directory.Exists(path)
            ? Directory.GetFiles(path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
