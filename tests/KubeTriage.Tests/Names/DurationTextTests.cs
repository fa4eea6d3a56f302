using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1.5s", 1500)]
    [InlineData("1m", 60000)]
    [InlineData("3", 3000)]
    [InlineData(" 2S ", 2000)]
    public void TryParseReadsTheUnits(string text, double milliseconds)
    {
        // Given
        // When
        var ok = DurationText.TryParse(text, out var duration);

        // Then
        Assert.True(ok);
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2x")]
    [InlineData("0s")]
    [InlineData("-1s")]
    [InlineData("ms")]
    [InlineData("1e3s")]
    [InlineData("99999999999h")]
    public void TryParseRejectsWhatIsNotAPositiveDuration(string text)
    {
        // Given
        // When
        var ok = DurationText.TryParse(text, out _);

        // Then
        Assert.False(ok);
    }
}
